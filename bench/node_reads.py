#!/usr/bin/env python3
"""Case reads per second through the real binary, on one node and on two nodes sharing one
PostgreSQL store (issue 8's goal: 30,000 case reads per second across two nodes).

Method: a fresh desk from the end-to-end harness (test/e2e/harness.py) on the store named by
$CASEDESK_E2E_STORE (postgres: a throwaway local PostgreSQL 15 with fsync and synchronous
commit on; sqlite: one node only). `wrk` creates cases through POST /api/v1/cases for a few
seconds, then reads them with GET /api/v1/cases/{number} (bench/wrk/get_case.lua, an admin
token, 64 keep-alive connections in all): first against one node, then, on PostgreSQL, with a
second `casedesk serve` on the same store and one wrk per node at the same time (32 connections
each); last, the same while the second node also adds internal notes to random cases (8 more
connections), which takes those cases out of both nodes' case caches. The server(s),
PostgreSQL and wrk share this machine's cores, so the two-node figure says how the work
divides on one machine, not what two machines would do.

Usage: CASEDESK_E2E_STORE=postgres bench/node_reads.py [BUILD_DIR] [SECONDS]
$CASEDESK_BENCH_STORE_SQL, when set, is run with psql on the fresh PostgreSQL store before any
case is created: an experiment on the schema (dropping a trigger, say) without a new build.
$CASEDESK_TEST_PG_UNIX_SOCKET=1 connects the nodes through PostgreSQL's Unix socket instead of
TCP on 127.0.0.1 (how a node on the same machine as its database should connect).
The read phases go round the first $CASEDESK_BENCH_READ_CASES (15,000) cases created, in
order, so each build reads the same cases however fast it created them (before session 17
they went round every case created).
Each read phase prints the share of reads the node served from its case cache
(`store.pg_case_cache_mib`; set CASEDESK_STORE_PG_CASE_CACHE_MIB=0 to measure without it).
The creation phase also prints the CPU time the node and (on PostgreSQL) the server's
processes used per case created, from /proc.
$CASEDESK_BENCH_PG_STATEMENTS=N, when set, loads pg_stat_statements into the throwaway server
and prints the N statements PostgreSQL spent the creation phase on (time includes triggers'
nested statements, and waits), then the N top-level statements it was sent most often (each a
statement the node sent, so their calls per case created count what a creation asks for).
Python 3 standard library, wrk (and psql for CASEDESK_BENCH_STORE_SQL or
CASEDESK_BENCH_PG_STATEMENTS).
"""

import os
import re
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))
SECONDS = int(sys.argv[2]) if len(sys.argv) > 2 else 8
os.environ.setdefault("CASEDESK_BIN", os.path.join(BUILD, "casedesk"))
sys.path.insert(0, os.path.join(ROOT, "test", "e2e"))
STATEMENTS = int(os.environ.get("CASEDESK_BENCH_PG_STATEMENTS", "0"))
READ_CASES = int(os.environ.get("CASEDESK_BENCH_READ_CASES", "15000"))
if STATEMENTS:  # before the harness starts the server
    os.environ["CASEDESK_TEST_PG_OPTIONS"] = (
        os.environ.get("CASEDESK_TEST_PG_OPTIONS", "") +
        " -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all")
import harness  # noqa: E402  (reads CASEDESK_BIN and CASEDESK_E2E_STORE on import)


def wrk(desk, script, connections, seconds, env):
    """Runs wrk against DESK and returns (requests per second, p99 text, non-2xx count)."""
    result = subprocess.run(
        ["wrk", "-t1", "-c%d" % connections, "-d%ds" % seconds, "--latency",
         "-s", os.path.join(HERE, "wrk", script), "http://%s:%d" % (desk.host, desk.port)],
        capture_output=True, text=True, env=dict(os.environ, **env), check=True)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))
    # The latency distribution's own line: a thread-stats line can also end in "99%".
    p99 = re.search(r"^\s*99%[ \t]+(\S+)", result.stdout, re.M).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    unexpected = result.stderr.count("unexpected status")
    return rate, p99, (int(errors.group(1)) if errors else 0) + unexpected


def concurrently(jobs):
    """Runs the callables at once; returns their results in order."""
    results = [None] * len(jobs)

    def run(i):
        results[i] = jobs[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def cpu_ticks(pids):
    """User + system CPU clock ticks each of PIDS has used so far, by pid (gone ones left out)."""
    ticks = {}
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            ticks[pid] = int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return ticks


def ticks_since(before, pids):
    """CPU ticks PIDS used since BEFORE (a cpu_ticks result); new processes count whole."""
    return sum(now - before.get(pid, 0) for pid, now in cpu_ticks(pids).items())


def postgres_pids():
    """The throwaway PostgreSQL server's postmaster and every process it started."""
    with open(os.path.join(harness.postgres_server().data, "postmaster.pid")) as pid_file:
        postmaster = int(pid_file.readline())
    pids = [postmaster]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == postmaster:
                        pids.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return pids


def case_cache(desk):
    """(hits, misses) of DESK's case cache so far, from its /metrics; None when it has none."""
    _, _, text = desk.request("GET", "/metrics")
    text = text if isinstance(text, str) else text.decode()
    counts = {}
    for name in ("hits", "misses"):
        found = re.search(r"^casedesk_store_case_cache_%s_total (\d+)$" % name, text, re.M)
        counts[name] = int(found.group(1)) if found else None
    return None if counts["hits"] is None else (counts["hits"], counts["misses"])


def cache_line(before, after):
    """How many reads a phase served from the node's case cache (before/after: case_cache)."""
    if before is None or after is None:
        return "no case cache"
    hits, misses = after[0] - before[0], after[1] - before[1]
    return "case cache %.1f %% hits (%d misses)" % (100.0 * hits / max(1, hits + misses), misses)


def psql(url, statement):
    return subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", statement],
                          check=True, capture_output=True, text=True).stdout


def top_statements(url, count, order="total_exec_time DESC", where="true"):
    """The `count` statements first in `order` (most execution time: the default) since the
    last reset, of those matching `where`."""
    return psql(url, "SELECT calls, round(total_exec_time::numeric, 1) AS ms, "
                     "round((1000 * total_exec_time / calls)::numeric, 1) AS us_per_call, "
                     "left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS statement "
                     "FROM pg_stat_statements WHERE %s ORDER BY %s LIMIT %d"
                     % (where, order, count))


def main():
    with harness.Desk() as first:
        experiment = os.environ.get("CASEDESK_BENCH_STORE_SQL")
        if experiment:
            assert first.store_url, "CASEDESK_BENCH_STORE_SQL needs the PostgreSQL store"
            subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", first.store_url, "-c",
                            experiment], check=True)
            print("store changed first: %s" % experiment)
        org = first.create_org(harness.unique("Bench Customer "), "customer", plan="enterprise")
        env = {"CASEDESK_TOKEN": first.admin_token, "CASEDESK_ORG": str(org)}
        if STATEMENTS:
            assert first.store_url, "CASEDESK_BENCH_PG_STATEMENTS needs the PostgreSQL store"
            psql(first.store_url, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            psql(first.store_url, "SELECT pg_stat_statements_reset()")
        server_pids = lambda: postgres_pids() if first.store_url else []  # noqa: E731
        before = cpu_ticks([first.process.pid]), cpu_ticks(server_pids())
        created, _, errors = wrk(first, "create_case.lua", 64, 5, env)
        assert errors == 0, "case creation failed %d times" % errors
        used = (ticks_since(before[0], [first.process.pid]), ticks_since(before[1], server_pids()))
        if STATEMENTS:
            print("PostgreSQL statements during the creation phase:")
            print(top_statements(first.store_url, STATEMENTS))
            print("Top-level statements (sent by the node), most often first:")
            print(top_statements(first.store_url, STATEMENTS, order="calls DESC",
                                 where="toplevel"))
        _, _, page = first.admin("GET", "/api/v1/cases?limit=1")
        last = page["items"][0]["number"]
        # Every build reads the same cases, however many it created: a node's first read of a
        # case is a miss, and a cached case expires after 5 s, so reading over all of them made
        # a build that created more cases look slower at reading.
        env.update(CASEDESK_FIRST="100001", CASEDESK_LAST=str(min(last, 100000 + READ_CASES)))
        transport = " (Unix socket)" if first.store_url and "?host=" in first.store_url else ""
        print("store: %s%s; %d cases (created at %.0f/s on one node)" %
              (harness.STORE, transport, last - 100000, created))
        micros = 1e6 / os.sysconf("SC_CLK_TCK") / (last - 100000)
        print("CPU per creation: node %.0f us, PostgreSQL %.0f us" %
              (used[0] * micros, used[1] * micros))

        cached = case_cache(first)
        rate, p99, errors = wrk(first, "get_case.lua", 64, SECONDS, env)
        assert errors == 0, "%d reads failed" % errors
        print("one node, 64 connections: %.0f reads/s, p99 %s; %s" %
              (rate, p99, cache_line(cached, case_cache(first))))
        if harness.STORE == "sqlite":
            return

        with harness.Desk(data_dir=first.data_dir, init=False) as second:
            cached = [case_cache(first), case_cache(second)]
            results = concurrently([
                lambda: wrk(first, "get_case.lua", 32, SECONDS, env),
                lambda: wrk(second, "get_case.lua", 32, SECONDS, env),
            ])
            for i, (rate, p99, errors) in enumerate(results):
                assert errors == 0, "%d reads failed on node %d" % (errors, i + 1)
                print("node %d, 32 connections: %.0f reads/s, p99 %s; %s" %
                      (i + 1, rate, p99,
                       cache_line(cached[i], case_cache([first, second][i]))))
            print("two nodes together: %.0f reads/s" % sum(r[0] for r in results))

            # The same reads while the second node also adds internal notes to cases chosen at
            # random, so each note takes its case out of both nodes' caches.
            cached = [case_cache(first), case_cache(second)]
            results = concurrently([
                lambda: wrk(first, "get_case.lua", 32, SECONDS, env),
                lambda: wrk(second, "get_case.lua", 24, SECONDS, env),
                lambda: wrk(second, "add_comment.lua", 8, SECONDS, env),
            ])
            for i, (rate, p99, errors) in enumerate(results):
                assert errors == 0, "%d requests failed in the mixed phase" % errors
            print("with notes being added on node 2 at %.0f/s: node 1 %.0f reads/s (%s), "
                  "node 2 %.0f reads/s (%s), together %.0f reads/s" %
                  (results[2][0], results[0][0], cache_line(cached[0], case_cache(first)),
                   results[1][0], cache_line(cached[1], case_cache(second)),
                   results[0][0] + results[1][0]))


if __name__ == "__main__":
    main()
