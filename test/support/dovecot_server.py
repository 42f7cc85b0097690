#!/usr/bin/env python3
"""A throwaway Dovecot IMAP server for tests (Debian's dovecot-imapd, Python stdlib only).

It runs /usr/sbin/dovecot in the foreground from its own dovecot.conf in a temporary directory
(base_dir, state, logs and the Maildirs all inside it), listening for plain IMAP on 127.0.0.1 and
a free port only, ssl = no, one user with a plain-text password from a passwd-file. As root the
mail processes run as the `dovecot` system user (Dovecot refuses mail access as root) and logins
as `dovenull`; as any other user everything runs as that user with chroots switched off.

Python API (for the e2e tests):

    from dovecot_server import DovecotServer
    with DovecotServer(user="casedesk", password="secret") as server:   # starts at once
        server.port                                  # IMAP port on 127.0.0.1
        server.url("INBOX")                          # "imap://127.0.0.1:PORT/INBOX"
        uid = server.append(raw_bytes, mailbox="INBOX", flags="")   # IMAP APPEND -> UID
        server.messages("INBOX")   # [{"uid": 1, "flags": ["\\Seen"], "message_id": "<..>",
                                   #   "subject": "..."}], messages marked \\Deleted included
        server.folders()           # ["INBOX", "Processed", ...]
        server.stop_server(); server.start_server()  # take it down and bring it back, same port
    # leaving the block (or stop()) kills dovecot and removes the directory

Command line (for tests in other languages, e.g. src/adapters/mailin/imap_poller_test.cc):

    python3 dovecot_server.py [--user NAME] [--password PASSWORD]

prints `listening PORT` on stdout once the server accepts connections, then reads one command per
line on stdin and answers each with one line of JSON, {"ok": true, ...} or
{"ok": false, "error": "..."}:

    append MAILBOX BASE64        -> {"ok": true, "uid": N}     (message bytes, base64)
    messages MAILBOX             -> {"ok": true, "messages": [...as messages() above...]}
    folders                      -> {"ok": true, "folders": [...]}
    down / up                    -> stop dovecot / start it again on the same port
    quit                         -> stops everything and exits

End of stdin or SIGTERM/SIGINT stops everything too, so a test that dies (its end of the pipe
closes) does not leave dovecot behind. For a helper that is itself killed with SIGKILL, a detached
watchdog shell blocks reading a pipe whose only writer is this process; when the pipe closes it
kills dovecot and removes the directory.

For LMTP tests, Python's smtplib.LMTP is a ready client.

Thread-safety: one DovecotServer is driven by one thread at a time.
"""

import argparse
import atexit
import base64
import grp
import imaplib
import json
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

DOVECOT = "/usr/sbin/dovecot"
START_TIMEOUT = 30


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _quote(mailbox):
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


class DovecotServer:
    """One Dovecot instance in its own temporary directory."""

    def __init__(self, user="casedesk", password="secret-password", start=True):
        if not re.fullmatch(r"[A-Za-z0-9._-]+", user):
            raise ValueError("user must be letters, digits, '.', '_' or '-': %r" % user)
        if ":" in password or "\n" in password:
            raise ValueError("password must not contain ':' or a newline")
        self.user = user
        self.password = password
        self.port = None
        self.directory = None
        self._process = None
        self._watchdog_pipe = None
        if start:
            self.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    # --- lifecycle -------------------------------------------------------------------------

    def start(self):
        if not os.access(DOVECOT, os.X_OK):
            raise RuntimeError("%s not found: install the Debian packages dovecot-imapd and "
                               "dovecot-lmtpd" % DOVECOT)
        self.directory = tempfile.mkdtemp(prefix="casedesk-dovecot-")
        # Login and mail processes run as other users and must reach base_dir and the Maildirs.
        os.chmod(self.directory, 0o755)
        atexit.register(self.stop)
        try:
            self._start_watchdog()
            self._write_config()
            self.start_server()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        """Kills dovecot and removes the directory (idempotent)."""
        self.stop_server()
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None
        if self._watchdog_pipe is not None:
            os.close(self._watchdog_pipe)  # the watchdog wakes, finds nothing left, and exits
            self._watchdog_pipe = None

    def start_server(self):
        """Starts dovecot (again): a free port the first time, the same port afterwards."""
        if self._process is not None:
            return
        error = None
        for _ in range(3 if self.port is None else 1):
            port = self.port or _free_port()
            self._write_config(port)
            log = open(os.path.join(self.directory, "master.log"), "ab")
            self._process = subprocess.Popen(
                [DOVECOT, "-F", "-c", os.path.join(self.directory, "dovecot.conf")],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
            log.close()
            with open(os.path.join(self.directory, "master.pid.watch"), "w") as handle:
                handle.write(str(self._process.pid))
            try:
                self._wait_ready(port)
                self.port = port
                return
            except RuntimeError as failure:
                error = failure
                self.stop_server()
        raise error

    def stop_server(self):
        """Stops dovecot; the Maildirs stay (start_server brings it back)."""
        if self._process is None:
            return
        try:
            os.killpg(self._process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
        # The master's children (imap, auth, ...) leave when the master goes; make sure.
        try:
            os.killpg(self._process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._process = None

    # --- mailbox access --------------------------------------------------------------------

    def url(self, mailbox="INBOX"):
        return "imap://127.0.0.1:%d/%s" % (self.port, mailbox)

    def append(self, raw, mailbox="INBOX", flags=""):
        """Appends one message (bytes) and returns its UID."""
        with self._session() as imap:
            if mailbox != "INBOX":
                imap.create(_quote(mailbox))  # fails harmlessly when it exists
            typ, data = imap.append(_quote(mailbox), flags or None, None, raw)
            if typ != "OK":
                raise RuntimeError("APPEND to %s failed: %r" % (mailbox, data))
            found = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
            if not found:
                raise RuntimeError("no APPENDUID in %r" % data)
            return int(found.group(1))

    def messages(self, mailbox="INBOX"):
        """Every message in MAILBOX: uid, flags, message_id, subject (read-only look)."""
        with self._session() as imap:
            typ, data = imap.select(_quote(mailbox), readonly=True)
            if typ != "OK":
                raise RuntimeError("cannot open %s: %r" % (mailbox, data))
            typ, data = imap.uid("FETCH", "1:*",
                                 "(FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID SUBJECT)])")
            result = []
            for item in data:
                if not isinstance(item, tuple):
                    continue
                meta, headers = item
                uid = int(re.search(rb"UID (\d+)", meta).group(1))
                flags = [flag for flag in
                         re.search(rb"FLAGS \(([^)]*)\)", meta).group(1).decode().split()
                         if flag != "\\Recent"]  # \Recent depends on who looked first
                parsed = {}
                for line in headers.decode("utf-8", "replace").replace("\r\n ", " ").splitlines():
                    name, _, value = line.partition(":")
                    parsed[name.strip().lower()] = value.strip()
                result.append({"uid": uid, "flags": flags,
                               "message_id": parsed.get("message-id", ""),
                               "subject": parsed.get("subject", "")})
            return sorted(result, key=lambda message: message["uid"])

    def folders(self):
        with self._session() as imap:
            typ, data = imap.list()
            names = []
            for line in data:
                found = re.match(rb'\([^)]*\) (?:"[^"]*"|NIL) (.*)$', line)
                name = found.group(1).decode()
                names.append(name[1:-1] if name.startswith('"') else name)
            return sorted(names)

    # --- internals -------------------------------------------------------------------------

    def _session(self):
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=30)
        imap.login(self.user, self.password)
        return _LoggedIn(imap)

    def _write_config(self, port=0):
        d = self.directory
        for sub in ("run", "state", "mail"):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
        if os.geteuid() == 0:
            mail_user = pwd.getpwnam("dovecot")
            os.chown(os.path.join(d, "mail"), mail_user.pw_uid, mail_user.pw_gid)
            users = ("default_internal_user = dovecot\ndefault_login_user = dovenull\n"
                     "mail_uid = %d\nmail_gid = %d\nfirst_valid_uid = %d\nfirst_valid_gid = %d\n"
                     % (mail_user.pw_uid, mail_user.pw_gid, mail_user.pw_uid, mail_user.pw_gid))
            chroots = ""
        else:
            me = pwd.getpwuid(os.geteuid()).pw_name
            group = grp.getgrgid(os.getegid()).gr_name
            users = ("default_internal_user = %s\ndefault_login_user = %s\n"
                     "default_internal_group = %s\nfirst_valid_uid = %d\nfirst_valid_gid = %d\n"
                     % (me, me, group, os.geteuid(), os.getegid()))
            chroots = "service anvil {\n  chroot =\n}\n"
        with open(os.path.join(d, "passwd"), "w") as handle:
            handle.write("%s:{PLAIN}%s::::::\n" % (self.user, self.password))
        os.chmod(os.path.join(d, "passwd"), 0o644)
        config = """# Generated by test/support/dovecot_server.py
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
instance_name = casedesk-test-{port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# Tests log in with wrong passwords on purpose: answer at once. (Dovecot still delays the next
# few logins from 127.0.0.1 after a failure by up to a few seconds.)
auth_failure_delay = 0
{users}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/passwd
}}
userdb {{
  driver = static
  args = home={d}/mail/%u
}}
mail_location = maildir:{d}/mail/%u/Maildir
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  {login_chroot}
}}
{chroots}""".format(d=d, port=port, users=users, chroots=chroots,
                    login_chroot="" if os.geteuid() == 0 else "chroot =")
        with open(os.path.join(d, "dovecot.conf"), "w") as handle:
            handle.write(config)

    def _wait_ready(self, port):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError("dovecot exited (%d): %s" % (self._process.returncode,
                                                                 self._log_tail()))
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as probe:
                    if probe.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("dovecot did not accept connections within %ds: %s" %
                           (START_TIMEOUT, self._log_tail()))

    def _log_tail(self):
        text = ""
        for name in ("master.log", "dovecot.log"):
            try:
                with open(os.path.join(self.directory, name), errors="replace") as handle:
                    text += handle.read()[-1500:]
            except OSError:
                pass
        return text.strip()

    def _start_watchdog(self):
        """A detached shell that kills dovecot and removes the directory once we are gone."""
        read_end, write_end = os.pipe()
        # dash's kill takes no "--"; dovecot leads its own process group (start_new_session).
        script = ("cat >/dev/null; pid=$(cat %s 2>/dev/null) && kill -KILL -$pid 2>/dev/null; "
                  "rm -rf %s" % (shlex.quote(os.path.join(self.directory, "master.pid.watch")),
                                 shlex.quote(self.directory)))
        subprocess.Popen(["sh", "-c", script], stdin=read_end, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
        os.close(read_end)
        self._watchdog_pipe = write_end


class _LoggedIn:
    def __init__(self, imap):
        self.imap = imap

    def __enter__(self):
        return self.imap

    def __exit__(self, *exc):
        try:
            self.imap.logout()
        except (imaplib.IMAP4.error, OSError):
            pass


def _serve(server):
    """The stdin command loop of the command-line mode."""
    print("listening %d" % server.port, flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            command = words[0]
            if command == "append" and len(words) == 3:
                answer = {"uid": server.append(base64.b64decode(words[2]), mailbox=words[1])}
            elif command == "messages" and len(words) == 2:
                answer = {"messages": server.messages(words[1])}
            elif command == "folders":
                answer = {"folders": server.folders()}
            elif command == "down":
                server.stop_server()
                answer = {}
            elif command == "up":
                server.start_server()
                answer = {"port": server.port}
            elif command == "quit":
                print(json.dumps({"ok": True}), flush=True)
                return
            else:
                raise ValueError("unknown command %r" % command)
            answer["ok"] = True
        except Exception as failure:  # the test reads the error; the loop keeps serving
            answer = {"ok": False, "error": str(failure)}
        print(json.dumps(answer), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--user", default="casedesk")
    parser.add_argument("--password", default="secret-password")
    arguments = parser.parse_args()

    def on_signal(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server = DovecotServer(arguments.user, arguments.password, start=False)
    try:
        server.start()
        _serve(server)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
