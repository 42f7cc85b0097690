"""Launcher of the customer accounts' browser test (CTest: browser_accounts).

Usage: run_accounts.py [CASEDESK_BINARY]

Runs accounts.test.mjs through launcher.py (which says how), with an SMTP sink
(test/e2e/mail_peers.py) the desk sends its mail to. The seed: a customer organisation whose mail
settings claim a domain; $CASEDESK_SEED holds the domain, the organisation's name and the sink's
directory, where the test reads the verification mail.
"""

import os
import shutil
import sys
import tempfile

import launcher  # first: it reads the binary argument before harness loads

from mail_peers import SmtpSink  # noqa: E402  (launcher puts test/e2e on the path)

harness = launcher.harness
DOMAIN = "globex.example"


def seed(desk, sink_directory):
    """The customer organisation that takes sign-ups from DOMAIN; returns what node needs."""
    name = harness.unique("Globex ")
    org = desk.create_org(name, "customer", plan="enterprise")
    status, _, body = desk.admin("PUT", "/api/v1/orgs/%d/mail-settings" % org,
                                 {"domains": [DOMAIN]})
    if status != 200:
        raise RuntimeError("PUT mail-settings -> %s %r" % (status, body))
    return {"domain": DOMAIN, "org_name": name, "sink_directory": sink_directory}


def main():
    root = tempfile.mkdtemp(prefix="casedesk-browser-accounts-")
    sink = SmtpSink(os.path.join(root, "sink"))
    try:
        env = {"CASEDESK_SMTP_URL": sink.url,
               "CASEDESK_SMTP_FROM": "Support <support@desk.example>",
               "CASEDESK_SMTP_FIRST_RETRY_SECONDS": "1"}
        return launcher.run("accounts.test.mjs", lambda desk: seed(desk, sink.directory),
                            env=env)
    finally:
        sink.close()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
