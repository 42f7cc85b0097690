"""Launcher of the status console's browser test (CTest: browser_console_status).

Usage: run_console_status.py [CASEDESK_BINARY]

Starts the real `casedesk` through test/e2e/harness.py (init, admin token, serve on port 0),
creates a customer organisation, a customer and one case through the API, then runs
`node console_status.test.mjs URL` in this folder with the seed in $CASEDESK_SEED (JSON: the
admin's email, password and token, the case number) and stops the server. Exits with node's
exit code; on failure it prints the server's log tail. The binary is the first argument, else
$CASEDESK_BIN, else build/casedesk. Needs Node.js, test/browser/node_modules (scripts/install-deps)
and /usr/bin/chromium. Python 3 standard library only.
"""

import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NODE_TIMEOUT = 240  # seconds; CTest's own limit for the test is 300
CHROMIUM = "/usr/bin/chromium"  # Debian's package; console_status.test.mjs launches it

if len(sys.argv) > 1:
    os.environ["CASEDESK_BIN"] = sys.argv[1]  # before harness reads it at import
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))

import harness  # noqa: E402  (needs the path above)


def seed(desk):
    """Creates the customer's case the test links to an incident; returns what node needs."""
    org = desk.create_org(harness.unique("Acme "), "customer", plan="enterprise")
    _, customer = desk.create_user("customer", org)
    case = desk.create_case(customer, subject="Checkout keeps failing")
    return {"admin_email": harness.ADMIN_EMAIL, "admin_password": harness.ADMIN_PASSWORD,
            "admin_token": desk.admin_token, "customer_token": customer,
            "case_number": case["number"]}


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


def main():
    check_tools()
    with harness.Desk() as desk:
        base_url = "http://%s:%d" % (desk.host, desk.port)
        env = dict(os.environ, CASEDESK_SEED=json.dumps(seed(desk)))
        try:
            code = subprocess.run(["node", os.path.join(HERE, "console_status.test.mjs"), base_url],
                                  cwd=HERE, env=env, stdin=subprocess.DEVNULL,
                                  timeout=NODE_TIMEOUT).returncode
        except subprocess.TimeoutExpired:
            print("console_status.test.mjs did not finish within %ds" % NODE_TIMEOUT)
            code = 1
        if code != 0:
            print("casedesk serve's log:\n" + desk.log_tail())
        stopped = desk.stop()
        if stopped not in (0, None) and code == 0:
            print("casedesk serve exited with %s after SIGTERM:\n%s" % (stopped, desk.log_tail()))
            code = 1
    return code


if __name__ == "__main__":
    sys.exit(main())
