#!/usr/bin/python3
"""A real SMTP server for tests: accepts mail on 127.0.0.1 and writes each message to a directory.

Usage:
    /usr/bin/python3 test/support/smtp_sink.py DIR [--port N] [--tempfail] [--reject]
                                               [--auth USER:PASSWORD] [--exit-on-stdin-eof]

    DIR                  where messages go; created if missing
    --port N             port to listen on (default 0: the system picks a free one)
    --tempfail           answer 451 to MAIL, RCPT and DATA from the start
    --reject             answer 550 to MAIL, RCPT and DATA from the start
    --auth USER:PASSWORD require AUTH PLAIN/LOGIN with these credentials (no TLS needed)
    --exit-on-stdin-eof  exit when stdin reaches end of file (the parent died or closed it)

Once listening it prints one line "listening PORT" on stdout (flushed) and keeps running until
SIGTERM or SIGINT (or stdin EOF with --exit-on-stdin-eof).

Each accepted message N (000001, 000002, ...) is written as DIR/N.json (the envelope:
{"mail_from": "...", "rcpt_tos": [...], "peer": "127.0.0.1", "received_at": <unix seconds>,
"auth_user": "..." or null}) and then DIR/N.eml (the message bytes exactly as received, CRLF
line ends, dot-stuffing undone); the .eml appears last and atomically, so a test that sees it
can read both.

Runtime control: while a file DIR/tempfail exists every command is answered 451 (as with
--tempfail); while DIR/reject exists, 550. Removing the file restores normal service, so a
test can simulate an outage and its end without restarting the server. (Both flags at once:
tempfail wins.)

Needs only the standard library and aiosmtpd (Debian: python3-aiosmtpd, which lives in the
system interpreter /usr/bin/python3).
"""

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import time
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

TEMPFAIL_REPLY = "451 4.3.0 Temporarily unavailable, try again later"
REJECT_REPLY = "550 5.7.1 Refused by the test sink"


class SinkHandler:
    def __init__(self, directory, tempfail, reject):
        self.directory = directory
        self.tempfail = tempfail
        self.reject = reject
        self.counter = 0

    def refusal(self):
        if self.tempfail or os.path.exists(os.path.join(self.directory, "tempfail")):
            return TEMPFAIL_REPLY
        if self.reject or os.path.exists(os.path.join(self.directory, "reject")):
            return REJECT_REPLY
        return None

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        refusal = self.refusal()
        if refusal:
            return refusal
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = self.refusal()
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        refusal = self.refusal()
        if refusal:
            return refusal
        self.counter += 1
        name = "%06d" % self.counter
        auth_user = None
        if session.auth_data is not None:
            login = session.auth_data
            auth_user = login.login.decode() if isinstance(login, LoginPassword) else str(login)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "peer": session.peer[0] if session.peer else None,
            "received_at": time.time(),
            "auth_user": auth_user,
        }
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        write_atomically(os.path.join(self.directory, name + ".json"),
                         json.dumps(meta).encode())
        write_atomically(os.path.join(self.directory, name + ".eml"), data)
        return "250 OK stored as %s" % name


def write_atomically(path, data):
    temporary = path + ".tmp"
    with open(temporary, "wb") as f:
        f.write(data)
    os.rename(temporary, path)


def make_authenticator(user, password):
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
              and auth_data.password.decode() == password)
        return AuthResult(success=ok, auth_data=auth_data if ok else None)
    return authenticator


async def serve(args):
    os.makedirs(args.directory, exist_ok=True)
    handler = SinkHandler(args.directory, args.tempfail, args.reject)
    options = {"decode_data": False, "enable_SMTPUTF8": True}
    if args.auth:
        user, _, password = args.auth.partition(":")
        options.update(authenticator=make_authenticator(user, password), auth_required=True,
                       auth_require_tls=False)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **options), "127.0.0.1", args.port)
    port = server.sockets[0].getsockname()[1]
    print("listening %d" % port, flush=True)

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if args.exit_on_stdin_eof:
        def on_stdin():
            if not os.read(sys.stdin.fileno(), 4096):
                loop.remove_reader(sys.stdin.fileno())
                stop.set()
        loop.add_reader(sys.stdin.fileno(), on_stdin)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main():
    # aiosmtpd warns about AUTH without TLS, which is what --auth asks for on 127.0.0.1.
    warnings.filterwarnings("ignore")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description="SMTP sink for Casedesk tests")
    parser.add_argument("directory")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tempfail", action="store_true")
    parser.add_argument("--reject", action="store_true")
    parser.add_argument("--auth", default="")
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
