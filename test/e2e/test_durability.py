"""Durability of the real binary: every case acknowledged with 201 survives `kill -9` in the
middle of a concurrent write load, and SIGTERM during load answers what it accepted and exits 0.
"""

import http.client
import os
import signal
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

CLIENTS = 16
LOAD_SECONDS = 2.0


class Load:
    """CLIENTS threads, each on its own keep-alive connection, creating cases until stopped or
    until their connection fails. Records every acknowledged (201) number with its subject."""

    def __init__(self, desk, token):
        self.desk = desk
        self.token = token
        self.lock = threading.Lock()
        self.acknowledged = {}  # number -> subject
        self.unexpected = []  # (status, body) of complete responses other than 201/503
        self.refused = 0  # 503 while shutting down
        self.connection_errors = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.client, args=(i,)) for i in range(CLIENTS)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)
            if thread.is_alive():
                raise AssertionError("a load client did not finish")

    def count(self):
        with self.lock:
            return len(self.acknowledged)

    def client(self, index):
        connection = self.desk.connection(timeout=15)
        sequence = 0
        try:
            while not self.stop.is_set():
                subject = "load %d-%d %s" % (index, sequence, harness.unique())
                sequence += 1
                try:
                    status, _, body = harness.request_on(
                        connection, "POST", "/api/v1/cases",
                        {"subject": subject, "description": "durability", "severity": 3},
                        token=self.token)
                except http.client.IncompleteRead as error:
                    with self.lock:
                        self.unexpected.append(("truncated response", repr(error)))
                    return
                except (OSError, http.client.HTTPException) as error:
                    with self.lock:
                        self.connection_errors.append(repr(error))
                    return
                with self.lock:
                    if status == 201 and isinstance(body, dict) and "number" in body:
                        if body["number"] in self.acknowledged:
                            self.unexpected.append(("number reused", body["number"]))
                        self.acknowledged[body["number"]] = subject
                    elif status == 503:
                        self.refused += 1
                        return
                    else:
                        self.unexpected.append((status, body))
                        return
        finally:
            connection.close()

    def run_until(self, minimum_seconds, minimum_acknowledged=200, maximum_seconds=10):
        started = time.monotonic()
        while True:
            elapsed = time.monotonic() - started
            if elapsed >= maximum_seconds:
                return
            if elapsed >= minimum_seconds and self.count() >= minimum_acknowledged:
                return
            if not any(thread.is_alive() for thread in self.threads):
                return
            time.sleep(0.05)


def verify_all_present(test, desk, token, acknowledged):
    """GETs every acknowledged case over a few keep-alive connections."""
    items = list(acknowledged.items())
    problems = []
    lock = threading.Lock()

    def check(chunk):
        connection = desk.connection(timeout=15)
        try:
            for number, subject in chunk:
                status, _, body = harness.request_on(connection, "GET",
                                                     "/api/v1/cases/%d" % number, token=token)
                if status != 200 or body.get("subject") != subject:
                    with lock:
                        problems.append((number, subject, status, body))
        finally:
            connection.close()

    threads = [threading.Thread(target=check, args=(items[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    test.assertEqual(problems[:10], [], "%d of %d acknowledged cases lost or changed" %
                     (len(problems), len(items)))


class DurabilityTest(unittest.TestCase):
    def setUp(self):
        self.desk = harness.Desk()
        self.addCleanup(self.desk.close)
        org = self.desk.create_org(harness.unique("Load "), "customer", plan="enterprise")
        _, self.customer = self.desk.create_user("customer", org)

    def test_every_acknowledged_case_survives_kill_9_under_load(self):
        load = Load(self.desk, self.customer)
        load.start()
        try:
            load.run_until(LOAD_SECONDS)
            self.assertTrue(all(thread.is_alive() for thread in load.threads),
                            "clients stopped before the kill: %r %r" %
                            (load.unexpected[:3], load.connection_errors[:3]))
            self.desk.kill9()  # mid-load: requests are in flight on every connection
        finally:
            load.finish()
        self.assertEqual(load.unexpected, [])
        acknowledged = dict(load.acknowledged)
        self.assertGreater(len(acknowledged), 50, "too little load to mean anything")
        print("\nkill -9 after %d acknowledged case creations" % len(acknowledged),
              file=sys.stderr)

        self.desk.start()
        verify_all_present(self, self.desk, self.customer, acknowledged)
        # Numbers are never reused: the next case comes after every acknowledged one.
        number = self.desk.create_case(self.customer)["number"]
        self.assertGreater(number, max(acknowledged))
        self.assertEqual(self.desk.stop(), 0)

    def test_sigterm_during_load_answers_in_flight_requests_and_exits_0(self):
        idle = self.desk.connection(timeout=15)  # an idle keep-alive connection must not block
        self.addCleanup(idle.close)
        self.assertEqual(harness.request_on(idle, "GET", "/healthz")[0], 200)

        load = Load(self.desk, self.customer)
        load.start()
        try:
            load.run_until(1.0, minimum_acknowledged=100)
            process = self.desk.process
            process.send_signal(signal.SIGTERM)
            started = time.monotonic()
            try:
                code = process.wait(timeout=15)
            except Exception:
                self.desk.kill9()
                raise AssertionError("no exit within 15 s of SIGTERM:\n" + self.desk.log_tail())
            seconds = time.monotonic() - started
            self.desk.process = None
        finally:
            load.finish()
        self.assertEqual(code, 0, self.desk.log_tail())
        self.assertLess(seconds, 12.0)
        # Every complete response was a 201 or a clean 503; none was cut off.
        self.assertEqual(load.unexpected, [])
        acknowledged = dict(load.acknowledged)
        self.assertGreater(len(acknowledged), 50)
        print("\nSIGTERM: %d acknowledged, %d refused with 503, %d connections closed "
              "(%s), exit after %.2f s" % (len(acknowledged), load.refused,
                                           len(load.connection_errors),
                                           ", ".join(sorted(set(load.connection_errors)))[:200],
                                           seconds), file=sys.stderr)

        self.desk.start()
        verify_all_present(self, self.desk, self.customer, acknowledged)
        # A graceful stop answers what it processed: no case was stored whose 201 was lost.
        stored = {item["number"] for item in self.desk.list_all("/api/v1/cases", self.customer)}
        self.assertEqual(sorted(stored - set(acknowledged)), [],
                         "cases created during the drain but never acknowledged")
        self.assertEqual(self.desk.stop(), 0)


if __name__ == "__main__":
    unittest.main()
