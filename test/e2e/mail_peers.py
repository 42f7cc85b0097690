"""Real mail peers for the e2e tests: an SMTP sink (test/support/smtp_sink.py, aiosmtpd) the desk
sends to, Dovecot (test/support/dovecot_server.py) it polls, and small builders of RFC 5322
messages. Python 3 standard library only (the sink runs in the system interpreter, which has
python3-aiosmtpd)."""

import email
import email.policy
import glob
import json
import os
import subprocess
import sys
import time
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

SUPPORT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "support")
sys.path.insert(0, SUPPORT)
from dovecot_server import DovecotServer  # noqa: E402,F401  (re-exported for the tests)

# aiosmtpd is a Debian package of the system interpreter, which may not be the one running us.
SYSTEM_PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


class SmtpSink:
    """An SMTP server on 127.0.0.1 writing each message to a directory."""

    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        self.process = subprocess.Popen(
            [SYSTEM_PYTHON, os.path.join(SUPPORT, "smtp_sink.py"), directory,
             "--exit-on-stdin-eof"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self.process.stdout.readline().decode()
        if not line.startswith("listening "):
            self.close()
            raise RuntimeError("smtp_sink did not start: %r" % line)
        self.port = int(line.split()[1])

    @property
    def url(self):
        return "smtp://127.0.0.1:%d" % self.port

    def set_tempfail(self, on):
        path = os.path.join(self.directory, "tempfail")
        if on:
            open(path, "w").close()
        elif os.path.exists(path):
            os.remove(path)

    def messages(self):
        """Every message received so far, oldest first, as (envelope, EmailMessage)."""
        out = []
        for path in sorted(glob.glob(os.path.join(self.directory, "*.eml"))):
            with open(path[:-4] + ".json") as handle:
                envelope = json.load(handle)
            with open(path, "rb") as handle:
                out.append((envelope, email.message_from_bytes(handle.read(),
                                                               policy=email.policy.default)))
        return out

    def wait_for(self, predicate, what, timeout=20.0):
        """The messages matching `predicate` once there is at least one."""
        deadline = time.monotonic() + timeout
        while True:
            found = [(envelope, message) for envelope, message in self.messages()
                     if predicate(envelope, message)]
            if found:
                return found
            if time.monotonic() > deadline:
                raise AssertionError("no mail %s arrived within %.0fs; got: %r" % (
                    what, timeout, [m["Subject"] for _, m in self.messages()]))
            time.sleep(0.1)

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdin.close()
        self.process.stdout.close()


def message(sender, to, subject, body, in_reply_to=None, headers=None, domain="customer.example"):
    """An RFC 5322 message as bytes, with a fresh Message-ID."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(email.utils.localtime())
    msg["Message-ID"] = make_msgid(domain=domain)
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return bytes(msg)


def body_text(msg):
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""
