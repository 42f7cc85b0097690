"""A throwaway PostgreSQL 15 server for the end-to-end tests (the Python twin of
test/support/postgres_server.h).

`shared_server()` starts one server per test process on first use: initdb into a temporary
directory (handed to the `postgres` user and run as that user when we are root), trust
authentication, listening on 127.0.0.1 and a free port only (its Unix socket stays inside that
directory), fsync and synchronous_commit on. `create_database()` makes one fresh database per
desk and returns its postgresql:// URL. CREATE DATABASE costs about half a second with fsync on
(the template is copied through the WAL), so one spare empty database is kept ready in the
background and handed out under its new name (a rename is a catalog update).

The server is stopped (`pg_ctl stop -m immediate`: the data is thrown away) and its directory
removed at interpreter exit. A watchdog does the same when this process dies without running
its exit handlers (kill -9, a CTest timeout): it is a detached shell that blocks reading a pipe
whose only writer is this process, so the end of this process is the end of the pipe. Being
detached, it is not in this process's tree or process group, so the kill that ends the test
does not end the watchdog with it.

When the PostgreSQL binaries are missing, start() raises naming the package to install, so
PostgreSQL runs fail loudly instead of skipping. CASEDESK_POSTGRES_BIN overrides the directory.

Python 3 standard library only. Thread-safety: shared_server() and create_database() may be
called from several threads.
"""

import atexit
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import threading

DEFAULT_BIN_DIRECTORY = "/usr/lib/postgresql/15/bin"
SUPERUSER = "casedesk"
TOOL_TIMEOUT = 120


def _is_root():
    return os.geteuid() == 0


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One initdb'd cluster and its running server."""

    def __init__(self, bin_directory=None):
        self.bin = bin_directory or os.environ.get("CASEDESK_POSTGRES_BIN") or DEFAULT_BIN_DIRECTORY
        self.directory = None
        self.data = None
        self.port = None
        self._running = False
        self._watchdog_pipe = None
        self._lock = threading.Lock()  # guards the counter and the spare
        self._next_database = 1
        self._spare = None  # (thread, result dict) of the spare database being made

    # --- lifecycle -------------------------------------------------------------------------

    def start(self):
        for tool in ("initdb", "pg_ctl", "postgres", "psql"):
            if not os.access(os.path.join(self.bin, tool), os.X_OK):
                raise RuntimeError(
                    "PostgreSQL 15 binaries not found in %s (missing %s): install the Debian "
                    "package `postgresql` (scripts/install-deps does), or set "
                    "CASEDESK_POSTGRES_BIN" % (self.bin, tool))
        self.directory = tempfile.mkdtemp(prefix="casedesk-e2e-pg-")
        self.data = os.path.join(self.directory, "data")
        try:
            self._start_watchdog()
            if _is_root():
                try:
                    user = pwd.getpwnam("postgres")
                except KeyError:
                    raise RuntimeError("running as root needs the `postgres` system user")
                os.chown(self.directory, user.pw_uid, user.pw_gid)
                # Our own tool log lives here too, and we must be able to walk the cluster.
                os.chmod(self.directory, 0o755)
            # -N: the cluster is thrown away with the test; the server itself runs with fsync on.
            self._run_tool(["initdb", "-D", self.data, "-U", SUPERUSER, "--auth=trust",
                            "-E", "UTF8", "--locale=C.UTF-8", "-N"])
            self._start_server()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        """Stops the server at once and removes its directory (idempotent)."""
        if self._running:
            self._running = False
            try:
                self._run_tool(["pg_ctl", "-D", self.data, "-w", "-t", "60", "-m", "immediate",
                                "stop"])
            except RuntimeError:
                pass  # the watchdog tries again when the pipe closes
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)
        if self._watchdog_pipe is not None:
            os.close(self._watchdog_pipe)  # the watchdog wakes, finds nothing left, and exits
            self._watchdog_pipe = None

    # --- databases -------------------------------------------------------------------------

    def url(self, database):
        if os.environ.get("CASEDESK_TEST_PG_UNIX_SOCKET", "0") not in ("", "0"):
            # The server's Unix socket (in its private directory) instead of TCP on loopback:
            # how a node reaches a PostgreSQL on the same machine (benchmarks ask for it).
            return "postgresql://%s@/%s?host=%s&port=%d" % (SUPERUSER, database, self.directory,
                                                            self.port)
        return "postgresql://%s@127.0.0.1:%d/%s" % (SUPERUSER, self.port, database)

    def create_database(self, prefix="e2e"):
        """A fresh, empty database named PREFIX_N; returns its URL."""
        if not re.fullmatch(r"[a-z][a-z0-9_]*", prefix):
            raise ValueError("database prefix must be lower-case letters, digits and _: %r" %
                             prefix)
        with self._lock:
            name = self._new_name(prefix)
            spare, self._spare = self._spare, None
        spare_name = None
        if spare is not None:
            thread, result = spare
            thread.join()  # no slower than making one now: it is already under way
            spare_name = result.get("name")
        # Neither statement takes parameters; every name is ours and checked above.
        if spare_name:
            self.sql("postgres", "ALTER DATABASE %s RENAME TO %s" % (spare_name, name))
        else:
            self.sql("postgres", "CREATE DATABASE " + name)
        self._prepare_spare()
        return self.url(name)

    def sql(self, database, statement):
        """Runs one statement with psql over TCP; returns its unaligned, tuples-only output."""
        result = subprocess.run(
            [os.path.join(self.bin, "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, "-d", database,
             "-c", statement],
            capture_output=True, text=True, timeout=TOOL_TIMEOUT, stdin=subprocess.DEVNULL,
            env=dict(os.environ, PGCONNECT_TIMEOUT="5"))
        if result.returncode != 0:
            raise RuntimeError("psql %r on %s failed (%d): %s" %
                               (statement, database, result.returncode, result.stderr.strip()))
        return result.stdout.strip()

    # --- internals -------------------------------------------------------------------------

    def _new_name(self, prefix):
        name = "%s_%d" % (prefix, self._next_database)
        self._next_database += 1
        return name

    def _prepare_spare(self):
        """Starts making the next spare database unless one is on its way."""
        with self._lock:
            if self._spare is not None or not self._running:
                return
            name = self._new_name("spare")
            result = {}

            def make():
                try:
                    self.sql("postgres", "CREATE DATABASE " + name)
                    result["name"] = name
                except (RuntimeError, OSError, subprocess.SubprocessError):
                    pass  # the taker creates its database itself (and sees any real error)

            thread = threading.Thread(target=make, name="spare-database", daemon=True)
            self._spare = (thread, result)
        thread.start()

    def _as_server_user(self, arguments):
        command = [os.path.join(self.bin, arguments[0])] + list(arguments[1:])
        return (["runuser", "-u", "postgres", "--"] + command) if _is_root() else command

    def _run_tool(self, arguments):
        """Runs a PostgreSQL tool (as `postgres` when root), output appended to tools.log."""
        log = os.path.join(self.directory, "tools.log")
        with open(log, "ab") as out:
            result = subprocess.run(self._as_server_user(arguments), stdout=out, stderr=out,
                                    stdin=subprocess.DEVNULL, timeout=TOOL_TIMEOUT)
        if result.returncode != 0:
            with open(log, "r", errors="replace") as handle:
                tail = handle.read()[-2000:]
            raise RuntimeError("%s failed (%d): %s" % (arguments[0], result.returncode, tail))

    def _start_server(self):
        error = None
        for _ in range(3):  # a free port can be taken by someone else before we bind it
            self.port = _free_port()
            options = ("-c listen_addresses=127.0.0.1 -p %d -k %s -c shared_buffers=64MB "
                       "-c max_connections=200 -c fsync=on -c synchronous_commit=on"
                       % (self.port, self.directory))
            # Benchmarks may ask for more (bench/node_reads.py: pg_stat_statements).
            options += " " + os.environ.get("CASEDESK_TEST_PG_OPTIONS", "")
            try:
                self._run_tool(["pg_ctl", "-D", self.data, "-l",
                                os.path.join(self.directory, "server.log"), "-w", "-t", "30",
                                "-o", options, "start"])
                self._running = True
                return
            except RuntimeError as failure:
                error = failure
        raise error

    def _start_watchdog(self):
        """A detached shell that stops the server and removes the directory once this process
        (the only holder of the pipe's write end) is gone."""
        cleanup = "%s >/dev/null 2>&1; rm -rf %s" % (
            " ".join(shlex.quote(part) for part in self._as_server_user(
                ["pg_ctl", "-D", self.data, "-m", "immediate", "stop"])),
            shlex.quote(self.directory))
        # The inner shell runs in the background and the outer one exits at once, so the
        # watchdog is re-parented away from this process's tree. An asynchronous list's stdin
        # is /dev/null unless redirected explicitly, hence fd 3.
        script = "exec 3<&0; ( read _ignored; %s ) <&3 3<&- >/dev/null 2>&1 &" % cleanup
        read_end, write_end = os.pipe()  # not inheritable: only the watchdog gets read_end
        try:
            subprocess.run(["/bin/sh", "-c", script], stdin=read_end, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True, check=True,
                           timeout=TOOL_TIMEOUT)
        finally:
            os.close(read_end)
        self._watchdog_pipe = write_end


_shared = None
_shared_lock = threading.Lock()


def shared_server():
    """The one server of this test process, started on first use, stopped at exit."""
    global _shared
    with _shared_lock:
        if _shared is None:
            server = PostgresServer().start()
            atexit.register(server.stop)
            _shared = server
        return _shared
