"""What every browser test's launcher shares (run_*.py).

A launcher starts the real `casedesk` through test/e2e/harness.py (init, admin token, serve on
port 0), seeds what its test needs through the API, runs `node SCRIPT URL` in this folder with
the seed as JSON in $CASEDESK_SEED, and stops the server. It exits with node's exit code; on
failure it prints the server's log tail. The binary is the first argument, else $CASEDESK_BIN,
else build/casedesk. Needs Node.js, test/browser/node_modules (scripts/install-deps) and
/usr/bin/chromium. Python 3 standard library only.

    import launcher            # first: it reads the binary argument before harness loads
    harness = launcher.harness

    def seed(desk): ...        # returns a JSON-able dict for the script
    sys.exit(launcher.run("portal.test.mjs", seed))
"""

import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NODE_TIMEOUT = 240  # seconds; CTest's own limit for each browser test is 300
CHROMIUM = "/usr/bin/chromium"  # Debian's package; support.mjs launches it

if len(sys.argv) > 1:
    os.environ["CASEDESK_BIN"] = sys.argv[1]  # before harness reads it at import
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))

import harness  # noqa: E402  (needs the path above)


def admin_post(desk, path, body, expected=201):
    """POSTs as the admin and returns the answer; raises unless it is `expected`."""
    status, _, response = desk.admin("POST", path, body)
    if status != expected:
        raise RuntimeError("POST %s %r -> %s %r" % (path, body, status, response))
    return response


def check_tools():
    """Raises with a clear message when Node.js, playwright-core or Chromium is missing."""
    missing = []
    if shutil.which("node") is None:
        missing.append("node (Node.js)")
    if not os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
        missing.append("test/browser/node_modules/playwright-core")
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(CHROMIUM)
    if missing:
        raise RuntimeError("browser test needs %s: run scripts/install-deps" % ", ".join(missing))


def run(script, seed, **desk_options):
    """Serves a desk (harness.Desk(**desk_options)), seeds it and runs `node script URL`."""
    check_tools()
    with harness.Desk(**desk_options) as desk:
        base_url = "http://%s:%d" % (desk.host, desk.port)
        env = dict(os.environ, CASEDESK_SEED=json.dumps(seed(desk)))
        try:
            code = subprocess.run(["node", os.path.join(HERE, script), base_url],
                                  cwd=HERE, env=env, stdin=subprocess.DEVNULL,
                                  timeout=NODE_TIMEOUT).returncode
        except subprocess.TimeoutExpired:
            print("%s did not finish within %ds" % (script, NODE_TIMEOUT))
            code = 1
        if code != 0:
            print("casedesk serve's log:\n" + desk.log_tail())
        stopped = desk.stop()
        if stopped not in (0, None) and code == 0:
            print("casedesk serve exited with %s after SIGTERM:\n%s" % (stopped, desk.log_tail()))
            code = 1
    return code
