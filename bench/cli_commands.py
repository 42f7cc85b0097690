#!/usr/bin/env python3
"""Wall time of one-shot `casedesk` commands, the way an operator or an MTA runs them: one
process per command, which opens the desk, does one thing and exits.

Method: a fresh desk from the end-to-end harness (test/e2e/harness.py) on the store named by
$CASEDESK_E2E_STORE (sqlite or postgres: a throwaway local PostgreSQL 15), its server running,
with one customer whose address may open cases by mail. For each BUILD_DIR given (each holding
a `casedesk`; the builds take turns, so a slow stretch of the machine hits them alike) it runs
RUNS times each of
  - `casedesk token create` (opens the desk, writes one token), and
  - `casedesk mail ingest` of a small plain-text message from the customer (a new case), as an
    MTA's pipe delivery would,
and prints each command's median and fastest wall time per build.

Usage: CASEDESK_E2E_STORE=postgres bench/cli_commands.py [RUNS] BUILD_DIR [BUILD_DIR ...]
Python 3 standard library.
"""

import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "test", "e2e"))
arguments = sys.argv[1:]
RUNS = int(arguments.pop(0)) if arguments and arguments[0].isdigit() else 15
BUILDS = [os.path.abspath(build) for build in arguments] or [os.path.join(os.path.dirname(HERE),
                                                                          "build")]
if RUNS * len(BUILDS) > 200:  # the check that every message opened a case reads one page
    sys.exit("at most 200 runs in all")
os.environ.setdefault("CASEDESK_BIN", os.path.join(BUILDS[0], "casedesk"))
import harness  # noqa: E402  (reads CASEDESK_BIN and CASEDESK_E2E_STORE on import)

DESK_ADDRESS = "support@desk.example"


def timed(command, env, stdin=None):
    """Runs COMMAND; returns its wall time in milliseconds (it must succeed)."""
    start = time.monotonic()
    result = subprocess.run(command, env=env, input=stdin, capture_output=True, timeout=60)
    elapsed = (time.monotonic() - start) * 1000
    if result.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(command[:3]), result.returncode,
                                                   result.stderr.decode(errors="replace")))
    return elapsed


def message(sender, n):
    return ("From: Alice <%s>\r\nTo: %s\r\nSubject: Bench message %d\r\n"
            "Message-ID: <bench-%d-%s@customer.example>\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000"
            "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe export job failed again.\r\n"
            % (sender, DESK_ADDRESS, n, n, harness.unique())).encode()


def main():
    with harness.Desk(env={"CASEDESK_SMTP_FROM": "Support <%s>" % DESK_ADDRESS}) as desk:
        org = desk.create_org(harness.unique("Bench "), "customer", plan="enterprise")
        sender = harness.unique("alice-") + "@customer.example"
        desk.create_user("customer", org, email=sender)
        env = dict(os.environ)
        env.pop("CASEDESK_STORE_URL", None)
        env.update(harness.store_env(desk.data_dir))
        env.update(desk.env)
        times = {build: {"token create": [], "mail ingest": []} for build in BUILDS}
        for n in range(RUNS):
            for build in BUILDS:
                binary = os.path.join(build, "casedesk")
                times[build]["token create"].append(timed(
                    [binary, "token", "create", "--data", desk.data_dir, "--email",
                     harness.ADMIN_EMAIL, "--name", "bench %d" % n], env))
                times[build]["mail ingest"].append(timed(
                    [binary, "mail", "ingest", "--data", desk.data_dir, "--to", DESK_ADDRESS,
                     "--from", sender], env, stdin=message(sender, n)))
        # Each message must have opened a case, or the timing is of something else.
        _, _, page = desk.admin("GET", "/api/v1/cases?limit=200")
        opened = sum(1 for case in page["items"] if case["subject"].startswith("Bench message"))
        if opened != RUNS * len(BUILDS):
            raise RuntimeError("%d messages opened %d cases" % (RUNS * len(BUILDS), opened))
        print("store: %s; %d runs of each command per build" % (harness.STORE, RUNS))
        for build in BUILDS:
            for command, samples in times[build].items():
                print("%s  %-12s median %6.1f ms, fastest %6.1f ms" %
                      (build, command, statistics.median(samples), min(samples)))


if __name__ == "__main__":
    main()
