"""End-to-end harness: runs the real `casedesk` binary and talks to it over HTTP.

`Desk` creates a temporary data directory, runs `casedesk init` with a known admin password,
creates an admin API token through the CLI, starts `casedesk serve --listen 127.0.0.1:0`, reads
the port from its `listening on http://HOST:PORT` line, and offers small helpers to make
organisations, people, tokens and cases. Server output goes to files in the temporary directory
(never to a pipe that could fill up); `log_tail()` shows it when a test fails.

The binary is $CASEDESK_BIN, or build/casedesk relative to the repository.

The store is chosen by $CASEDESK_E2E_STORE: "sqlite" (the default: DATA/casedesk.db) or
"postgres": one throwaway PostgreSQL server per test process (postgres_server.py) and one fresh
database per data directory. Every command this module runs with `--data DIR` (run_cli, and so
init, token create, serve, migrate, backup) gets CASEDESK_STORE_URL naming DIR's database, so
tests that drive the CLI directly need no change. `requires_sqlite(reason)` skips what only
makes sense on SQLite, with the reason.
Python 3 standard library only.
"""

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid
from urllib.parse import quote

import postgres_server as _postgres_server

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("CASEDESK_BIN") or os.path.join(REPO, "build", "casedesk")
ADMIN_EMAIL = "admin@provider.example"
ADMIN_PASSWORD = "e2e-Admin-Passw0rd-7f3a9c"
LISTENING = re.compile(r"listening on http://([0-9.]+|\[[0-9a-fA-F:]+\]):(\d+)")
START_TIMEOUT = 15.0
STORES = ("sqlite", "postgres")
STORE = os.environ.get("CASEDESK_E2E_STORE", "sqlite").strip().lower() or "sqlite"
if STORE not in STORES:
    raise RuntimeError("CASEDESK_E2E_STORE must be one of %s, not %r" %
                       (", ".join(STORES), os.environ.get("CASEDESK_E2E_STORE")))

_store_urls = {}  # real path of a data directory -> its PostgreSQL database URL
_store_urls_lock = threading.Lock()


def requires_sqlite(reason):
    """Decorator: skips a test (or class) on any store but SQLite, saying why."""
    return unittest.skipUnless(STORE == "sqlite", "SQLite only: " + reason)


def _postgres():
    return _postgres_server.shared_server()  # started on the first call only


def store_env(data_dir):
    """The environment that points casedesk at DATA_DIR's store: nothing for SQLite (the store
    lives in the directory); for PostgreSQL, CASEDESK_STORE_URL of the directory's own database,
    created on first use."""
    if STORE == "sqlite":
        return {}
    key = os.path.realpath(data_dir)
    with _store_urls_lock:
        url = _store_urls.get(key)
        if url is None:
            url = _store_urls[key] = _postgres().create_database("e2e")
    return {"CASEDESK_STORE_URL": url}


def use_store(data_dir, url):
    """Points DATA_DIR at an existing PostgreSQL database (a restored copy, say)."""
    assert STORE == "postgres", "use_store is for PostgreSQL runs"
    with _store_urls_lock:
        _store_urls[os.path.realpath(data_dir)] = url


def postgres_server():
    """The PostgreSQL server of this process (PostgreSQL runs only)."""
    assert STORE == "postgres", "no PostgreSQL server on a %s run" % STORE
    return _postgres()


def store_exists(data_dir):
    """True when DATA_DIR's store holds a desk's schema (SQLite file, or PostgreSQL tables)."""
    if STORE == "sqlite":
        return os.path.isfile(os.path.join(data_dir, "casedesk.db"))
    with _store_urls_lock:
        url = _store_urls.get(os.path.realpath(data_dir))
    if url is None:
        return False
    tables = _postgres().sql(url.rsplit("/", 1)[1], "SELECT count(*) FROM pg_tables "
                             "WHERE schemaname = current_schema()")
    return int(tables) > 0


def files_at_rest(data_dir):
    """Yields (path, bytes) of every file that holds DATA_DIR's desk at rest: the directory and,
    on PostgreSQL, the whole cluster (tables, WAL, logs). Files that vanish meanwhile (the
    server recycles WAL and removes temporary files) are passed over."""
    roots = [data_dir] + ([_postgres().directory] if STORE == "postgres" else [])
    for root in roots:
        for directory, _, names in os.walk(root):
            for name in names:
                path = os.path.join(directory, name)
                if not os.path.isfile(path):
                    continue  # the server's Unix socket
                try:
                    with open(path, "rb") as handle:
                        content = handle.read()
                except FileNotFoundError:
                    continue
                yield path, content


def _data_dir_of(args):
    args = list(args)
    for index, arg in enumerate(args):
        if arg == "--data" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--data="):
            return arg[len("--data="):]
    return None


def check_binary():
    """Raises with a clear message when the binary under test is missing."""
    if not (os.path.isfile(BINARY) and os.access(BINARY, os.X_OK)):
        raise RuntimeError(
            "casedesk binary not found at %s (build it, or set CASEDESK_BIN)" % BINARY)


def run_cli(args, env=None, timeout=30):
    """Runs `casedesk ARGS`; returns the CompletedProcess (text stdout/stderr). With
    `--data DIR` in ARGS, the command uses DIR's store (see store_env); ENV comes last."""
    full_env = dict(os.environ)
    full_env.pop("CASEDESK_ADMIN_PASSWORD", None)
    full_env.pop("CASEDESK_STORE_URL", None)  # the run's store decides, not the caller's shell
    data_dir = _data_dir_of(args)
    if data_dir is not None:
        full_env.update(store_env(data_dir))
    full_env.update(env or {})
    return subprocess.run([BINARY] + list(args), env=full_env, capture_output=True, text=True,
                          timeout=timeout)


def unique(prefix="x"):
    return "%s%s" % (prefix, uuid.uuid4().hex[:10])


class HttpResult(tuple):
    """(status, headers, body): headers is a dict with lower-case names; body is the parsed
    JSON when the response is JSON, else bytes. `.raw` holds the undecoded body bytes."""

    def __new__(cls, status, headers, body, raw):
        result = super().__new__(cls, (status, headers, body))
        result.raw = raw
        return result


def request_on(connection, method, path, body=None, token=None, headers=None, raw_body=None):
    """Sends one request on an http.client connection and reads the whole response."""
    all_headers = {}
    payload = None
    if raw_body is not None:
        payload = raw_body if isinstance(raw_body, bytes) else raw_body.encode()
    elif body is not None:
        payload = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    if token is not None:
        all_headers["Authorization"] = "Bearer " + token
    all_headers.update(headers or {})
    connection.request(method, path, body=payload, headers=all_headers)
    response = connection.getresponse()
    raw = response.read()
    response_headers = {name.lower(): value for name, value in response.getheaders()}
    content_type = response_headers.get("content-type", "")
    parsed = raw
    if "json" in content_type and raw:
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = raw
    return HttpResult(response.status, response_headers, parsed, raw)


class Desk:
    """One casedesk data directory and (while started) one serving process."""

    def __init__(self, env=None, start=True, data_dir=None, init=True):
        check_binary()
        self.env = dict(env or {})
        self.root = tempfile.mkdtemp(prefix="casedesk-e2e-")
        self.data_dir = data_dir or os.path.join(self.root, "data")
        self.store = STORE
        self.store_url = None
        self.process = None
        self.port = None
        self.host = "127.0.0.1"
        self._serve_count = 0
        self.admin_token = None
        self._provider_org_id = None
        try:
            # Serve sees the same store as the CLI commands; a test's own env still wins.
            self.env = dict(store_env(self.data_dir), **self.env)
            self.store_url = self.env.get("CASEDESK_STORE_URL")  # None on SQLite
            if init:
                result = run_cli(["init", "--data", self.data_dir, "--admin-email", ADMIN_EMAIL],
                                 env={"CASEDESK_ADMIN_PASSWORD": ADMIN_PASSWORD})
                if result.returncode != 0:
                    raise RuntimeError("casedesk init failed (%d): %s" %
                                       (result.returncode, result.stderr))
                if STORE != "sqlite" and os.path.exists(os.path.join(self.data_dir,
                                                                    "casedesk.db")):
                    raise RuntimeError("init wrote a SQLite store on a %s run: the store URL "
                                       "did not reach casedesk" % STORE)
                self.admin_token = self.token_for(ADMIN_EMAIL, name="e2e-admin")
            if start:
                self.start()
        except BaseException:
            self.close()
            raise

    # --- process control -------------------------------------------------------------------

    def start(self, extra_args=()):
        """Starts `serve` on port 0 and waits for its listening line."""
        assert self.process is None, "already serving"
        self._serve_count += 1
        self.stdout_path = os.path.join(self.root, "serve-%d.out" % self._serve_count)
        self.stderr_path = os.path.join(self.root, "serve-%d.err" % self._serve_count)
        env = dict(os.environ)
        env.pop("CASEDESK_ADMIN_PASSWORD", None)
        env.pop("CASEDESK_STORE_URL", None)
        env.update(self.env)
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                [BINARY, "serve", "--data", self.data_dir, "--listen", "127.0.0.1:0"] +
                list(extra_args), stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            with open(self.stdout_path, "r", errors="replace") as out:
                match = LISTENING.search(out.read())
            if match:
                self.host = match.group(1).strip("[]")
                self.port = int(match.group(2))
                return
            if self.process.poll() is not None:
                code = self.process.returncode
                self.process = None
                raise RuntimeError("casedesk serve exited with %d before listening:\n%s" %
                                   (code, self.log_tail()))
            time.sleep(0.02)
        self.kill9()
        raise RuntimeError("casedesk serve did not print its listening line within %.0fs:\n%s" %
                           (START_TIMEOUT, self.log_tail()))

    def stop(self, timeout=20.0):
        """SIGTERM; waits for the exit and returns the exit code."""
        if self.process is None:
            return None
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            self.process = None
            raise AssertionError("casedesk serve did not exit within %.0fs of SIGTERM" % timeout)
        self.process = None
        return code

    def kill9(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def restart(self):
        """kill -9 if still running, then serve again on a new port."""
        self.kill9()
        self.start()

    def close(self):
        self.kill9()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def log_tail(self, characters=3000):
        text = ""
        for path in (getattr(self, "stdout_path", None), getattr(self, "stderr_path", None)):
            if path and os.path.exists(path):
                with open(path, "r", errors="replace") as handle:
                    text += "--- %s ---\n%s\n" % (os.path.basename(path), handle.read()[-characters:])
        return text

    # --- HTTP ------------------------------------------------------------------------------

    def connection(self, timeout=30):
        """A new keep-alive connection to the server."""
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, body=None, token=None, headers=None, raw_body=None):
        """One request on a fresh connection -> HttpResult (status, headers, body)."""
        connection = self.connection()
        try:
            return request_on(connection, method, path, body=body, token=token, headers=headers,
                              raw_body=raw_body)
        finally:
            connection.close()

    def admin(self, method, path, body=None, **kwargs):
        return self.request(method, path, body=body, token=self.admin_token, **kwargs)

    # --- directory helpers -----------------------------------------------------------------

    def token_for(self, email, name=None):
        """Creates an API token with `casedesk token create` (works while serving)."""
        args = ["token", "create", "--data", self.data_dir, "--email", email]
        if name:
            args += ["--name", name]
        result = run_cli(args)
        if result.returncode != 0:
            raise RuntimeError("token create for %s failed (%d): %s" %
                               (email, result.returncode, result.stderr))
        lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
        if not lines:
            raise RuntimeError("token create printed nothing on stdout")
        return lines[-1]

    def provider_org_id(self):
        if self._provider_org_id is None:
            status, _, body = self.admin("GET", "/api/v1/users/me")
            if status == 200 and isinstance(body, dict) and body.get("org_id"):
                self._provider_org_id = body["org_id"]
            else:
                status, _, body = self.admin("GET", "/api/v1/orgs?kind=provider")
                if status != 200:
                    raise RuntimeError("cannot find the provider organisation: %s %r" %
                                       (status, body))
                self._provider_org_id = body["items"][0]["id"]
        return self._provider_org_id

    def create_org(self, name, kind, parent_id=None, plan=None, shares_cases=False):
        body = {"name": name, "kind": kind, "parent_id": parent_id or self.provider_org_id(),
                "shares_cases": shares_cases}
        if plan:
            body["plan"] = plan
        status, _, response = self.admin("POST", "/api/v1/orgs", body)
        if status != 201:
            raise RuntimeError("POST /api/v1/orgs %r -> %s %r" % (body, status, response))
        return response["id"]

    def create_user(self, role, org_id=None, email=None, name=None, token=True, **extra):
        """Creates a verified user as the admin; returns (id, token or None)."""
        email = email or unique(role.replace("_", "-") + "-") + "@example.com"
        body = {"email": email, "name": name or email.split("@")[0], "role": role,
                "org_id": org_id or self.provider_org_id(), "verified": True}
        body.update(extra)
        status, _, response = self.admin("POST", "/api/v1/users", body)
        if status != 201:
            raise RuntimeError("POST /api/v1/users %r -> %s %r" % (body, status, response))
        return response["id"], (self.token_for(email) if token else None)

    def create_case(self, token, **fields):
        """Creates a case; returns the response body (asserting 201)."""
        body = {"subject": unique("Case "), "description": "e2e", "severity": 3}
        body.update(fields)
        status, _, response = self.request("POST", "/api/v1/cases", body, token=token)
        if status != 201:
            raise RuntimeError("POST /api/v1/cases %r -> %s %r" % (body, status, response))
        return response

    def list_all(self, path, token, limit=200):
        """Follows next_cursor through a list; returns every item."""
        items = []
        cursor = None
        separator = "&" if "?" in path else "?"
        for _ in range(10000):
            url = "%s%slimit=%d" % (path, separator, limit)
            if cursor:
                url += "&cursor=" + quote(cursor, safe="")
            status, _, body = self.request("GET", url, token=token)
            if status != 200:
                raise RuntimeError("GET %s -> %s %r" % (url, status, body))
            items.extend(body["items"])
            cursor = body.get("next_cursor")
            if not cursor:
                return items
        raise RuntimeError("pagination of %s did not end" % path)


def execute_sql(desk, statement):
    """Runs one SQL statement on the desk's store, behind the running binary's back: for state
    no API can make (a password, a record written before today's rules)."""
    if STORE == "sqlite":
        import sqlite3
        with sqlite3.connect(os.path.join(desk.data_dir, "casedesk.db")) as db:
            db.execute(statement)
    else:
        database = desk.store_url.rsplit("/", 1)[1]
        postgres_server().sql(database, statement)


def give_admin_password(desk, *emails):
    """Gives these people the admin's password by copying its hash in the store: there is no
    API to set someone else's password (people choose their own through the accounts pages)."""
    quoted = ", ".join("'%s'" % email.replace("'", "''") for email in emails)
    execute_sql(desk, "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE "
                      "email = '%s') WHERE email IN (%s)" % (ADMIN_EMAIL, quoted))


class ConsoleSession:
    """A person signed in to the web pages with the password give_admin_password gave them:
    get and post (form-encoded, with the CSRF token of `csrf_page` unless one is given)."""

    FORM = {"Content-Type": "application/x-www-form-urlencoded"}
    CSRF_FIELD = re.compile(rb'name="csrf_token" value="([0-9a-f]+)"')

    def __init__(self, desk, email, csrf_page="/console/cases"):
        self.desk = desk
        self.csrf_page = csrf_page
        status, headers, body = desk.request(
            "POST", "/login", headers=self.FORM, raw_body=urllib.parse.urlencode(
                {"email": email, "password": ADMIN_PASSWORD}))
        assert status == 303, (email, status, body)
        self.cookie = re.match(r"casedesk_session=([^;]+);", headers["set-cookie"]).group(1)

    def get(self, path):
        return self.desk.request("GET", path, headers={"Cookie": "casedesk_session=" + self.cookie})

    def csrf(self):
        status, _, page = self.get(self.csrf_page)
        assert status == 200, status
        return self.CSRF_FIELD.search(page).group(1).decode()

    def post(self, path, csrf=None, **fields):
        fields["csrf_token"] = csrf if csrf is not None else self.csrf()
        return self.desk.request("POST", path, raw_body=urllib.parse.urlencode(fields),
                                 headers=dict(self.FORM, Cookie="casedesk_session=" + self.cookie))


def rfc3339(seconds):
    """Unix seconds as RFC 3339 UTC, the API's time format."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def wait_for(predicate, what, timeout=20.0, interval=0.1):
    """Polls predicate() until it returns a truthy value (returned); fails naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(interval)


def assert_problem(test, result, status):
    """Asserts an application/problem+json error with the given status."""
    code, headers, body = result
    test.assertEqual(code, status, "expected %d, got %d: %r" % (status, code, body))
    test.assertTrue(headers.get("content-type", "").startswith("application/problem+json"),
                    "content-type %r for a %d" % (headers.get("content-type"), code))
    test.assertIsInstance(body, dict, "problem body is not a JSON object: %r" % (body,))
    test.assertEqual(body.get("status"), status, body)
    test.assertIsInstance(body.get("title"), str, body)
    test.assertIsInstance(body.get("detail"), str, body)
    test.assertIn("type", body)
    return body
