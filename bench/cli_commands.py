#!/usr/bin/env python3
"""Wall time of one-shot `casedesk` commands, the way an operator or an MTA runs them: one
process per command, which opens the desk, does one thing and exits.

Method: a fresh desk from the end-to-end harness (test/e2e/harness.py) on the store named by
$CASEDESK_E2E_STORE (sqlite or postgres: a throwaway local PostgreSQL 15), its server running,
with one customer whose address may open cases by mail. For each BUILD_DIR given (each holding
a `casedesk`) it runs RUNS times each of
  - `casedesk token create` (opens the desk, writes one token), and
  - `casedesk mail ingest` of a small plain-text message from the customer (a new case), as an
    MTA's pipe delivery would,
and prints each command's median and slowest wall time per build, and how many failed.
With $CASEDESK_BENCH_CLI_LOAD=1, `wrk` (bench/wrk/create_case.lua, 32 connections) keeps the
server creating cases the whole time, as a busy desk would: on SQLite the commands then share
the write lock with a server that writes batch after batch. Each build then runs against a
desk of its own, served by that build (one after another); without load, the first build
serves and the builds take turns on one desk.

Usage: CASEDESK_E2E_STORE=postgres bench/cli_commands.py [RUNS] BUILD_DIR [BUILD_DIR ...]
Python 3 standard library (and wrk for CASEDESK_BENCH_CLI_LOAD).
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


LOAD = os.environ.get("CASEDESK_BENCH_CLI_LOAD", "0") not in ("", "0")


def timed(command, env, stdin=None):
    """Runs COMMAND; returns its wall time in milliseconds, or None when it failed (the
    message goes to stderr)."""
    start = time.monotonic()
    result = subprocess.run(command, env=env, input=stdin, capture_output=True, timeout=60)
    elapsed = (time.monotonic() - start) * 1000
    if result.returncode != 0:
        sys.stderr.write("%s failed (%d): %s\n" % (" ".join(command[1:3]), result.returncode,
                                                   result.stderr.decode(errors="replace").strip()))
        return None
    return elapsed


def message(sender, n):
    return ("From: Alice <%s>\r\nTo: %s\r\nSubject: Bench message %d\r\n"
            "Message-ID: <bench-%d-%s@customer.example>\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000"
            "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe export job failed again.\r\n"
            % (sender, DESK_ADDRESS, n, n, harness.unique())).encode()


def measure(builds, server_build):
    """Times RUNS of each command for each of BUILDS, taking turns, against a fresh desk whose
    server is SERVER_BUILD's; returns {build: {command: [ms or None]}}."""
    harness.BINARY = os.path.join(server_build, "casedesk")
    with harness.Desk(env={"CASEDESK_SMTP_FROM": "Support <%s>" % DESK_ADDRESS}) as desk:
        org = desk.create_org(harness.unique("Bench "), "customer", plan="enterprise")
        sender = harness.unique("alice-") + "@customer.example"
        desk.create_user("customer", org, email=sender)
        env = dict(os.environ)
        env.pop("CASEDESK_STORE_URL", None)
        env.update(harness.store_env(desk.data_dir))
        env.update(desk.env)
        times = {build: {"token create": [], "mail ingest": []} for build in builds}
        load = None
        if LOAD:
            load = subprocess.Popen(
                ["wrk", "-t1", "-c32", "-d600s", "-s", os.path.join(HERE, "wrk", "create_case.lua"),
                 "http://%s:%d" % (desk.host, desk.port)],
                env=dict(os.environ, CASEDESK_TOKEN=desk.admin_token, CASEDESK_ORG=str(org)),
                stdout=subprocess.DEVNULL)
            time.sleep(2)
        for n in range(RUNS):
            for build in builds:
                binary = os.path.join(build, "casedesk")
                times[build]["token create"].append(timed(
                    [binary, "token", "create", "--data", desk.data_dir, "--email",
                     harness.ADMIN_EMAIL, "--name", "bench %d" % n], env))
                times[build]["mail ingest"].append(timed(
                    [binary, "mail", "ingest", "--data", desk.data_dir, "--to", DESK_ADDRESS,
                     "--from", sender], env, stdin=message(sender, n)))
        if load is not None:
            load.kill()
            load.wait()
        # Each message taken must have opened a case, or the timing is of something else.
        ingested = sum(1 for build in builds for ms in times[build]["mail ingest"] if ms)
        _, _, page = desk.admin("GET", "/api/v1/cases?q=%22Bench%20message%22&limit=200")
        opened = sum(1 for case in page["items"] if case["subject"].startswith("Bench message"))
        if opened != ingested:
            raise RuntimeError("%d messages taken opened %d cases" % (ingested, opened))
        return times


def main():
    if LOAD:
        # Under load a command shares the store with that build's own server: one desk each.
        times = {}
        for build in BUILDS:
            times.update(measure([build], build))
    else:
        times = measure(BUILDS, BUILDS[0])
    print("store: %s; %d runs of each command per build%s" %
          (harness.STORE, RUNS, "; the server creating cases meanwhile" if LOAD else ""))
    for build in BUILDS:
        for command, samples in times[build].items():
            done = [ms for ms in samples if ms is not None]
            print("%s  %-12s median %7.1f ms, slowest %7.1f ms, %d failed" %
                  (build, command, statistics.median(done) if done else float("nan"),
                   max(done) if done else float("nan"), len(samples) - len(done)))


if __name__ == "__main__":
    main()
