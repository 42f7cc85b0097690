"""`casedesk store copy`: a SQLite desk, filled through the API, copied into a fresh PostgreSQL
database, then served from PostgreSQL: every case, comment, attachment (one of them kept as a
file, as desks from before blobs lived in the store keep them), event and token reads back the
same, search works, case numbers continue, and a second copy run skips what is done.

SQLite runs only: the copy's source is the SQLite desk in the data directory, and the test makes
its own target database on the PostgreSQL server of postgres_server.py.
"""

import os
import sqlite3
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import postgres_server  # noqa: E402
from harness import run_cli, unique  # noqa: E402


@harness.requires_sqlite("store copy reads a SQLite desk and makes its own PostgreSQL target; "
                         "on a PostgreSQL run the desk under test is not SQLite")
class StoreCopyTest(unittest.TestCase):
    def setUp(self):
        self.desk = harness.Desk()
        self.addCleanup(self.desk.close)

    @staticmethod
    def without_explanations(value):
        """`value` without the SLA clocks' explanation texts, which say how much business time
        has passed so far: it differs between two reads a few seconds apart in business hours."""
        if isinstance(value, dict):
            return {key: StoreCopyTest.without_explanations(item) for key, item in value.items()
                    if key != "explanation"}
        if isinstance(value, list):
            return [StoreCopyTest.without_explanations(item) for item in value]
        return value

    def read_desk(self, tokens, numbers, attachment_ids):
        """Everything the API shows about the desk, for comparing before and after."""
        desk = self.desk
        seen = {}
        for name, token in tokens.items():
            seen[name + " me"] = desk.request("GET", "/api/v1/users/me", token=token)[2]
            seen[name + " cases"] = desk.list_all("/api/v1/cases", token)
        seen["orgs"] = desk.list_all("/api/v1/orgs", desk.admin_token)
        seen["users"] = desk.list_all("/api/v1/users", desk.admin_token)
        for number in numbers:
            for part in ("", "/comments?limit=200", "/attachments", "/events?limit=200"):
                status, _, body = desk.admin("GET", "/api/v1/cases/%d%s" % (number, part))
                self.assertEqual(status, 200, (number, part, body))
                seen["case %d%s" % (number, part)] = self.without_explanations(body)
        for attachment_id in attachment_ids:
            result = desk.admin("GET", "/api/v1/attachments/%s" % attachment_id)
            self.assertEqual(result[0], 200, result[2])
            seen["attachment " + attachment_id] = result.raw
        return seen

    def test_copy_then_serve_from_postgresql(self):
        desk = self.desk
        org = desk.create_org(unique("Customer "), "customer", plan="enterprise")
        customer_id, customer = desk.create_user("customer", org)
        agent_id, agent = desk.create_user("agent", tier="shift_engineer", skills=["network"])
        word = unique("zebra")
        numbers = []
        attachment_ids = []
        for index in range(3):
            case = desk.create_case(customer, subject="Copy me %d" % index,
                                    description="before the move")
            number = case["number"]
            numbers.append(number)
            status, _, body = desk.request("POST", "/api/v1/cases/%d/comments" % number,
                                           {"body": "found the %s in rack %d" % (word, index)},
                                           token=agent)
            self.assertEqual(status, 201, body)
            status, _, body = desk.request(
                "POST", "/api/v1/cases/%d/attachments?filename=log%d.txt" % (number, index),
                token=customer, raw_body=b"log line %d\n" % index,
                headers={"Content-Type": "text/plain"})
            self.assertEqual(status, 201, body)
            attachment_ids.append(body["id"])
        status, _, body = desk.request("PATCH", "/api/v1/cases/%d" % numbers[0],
                                       {"status": "pending"}, token=agent)
        self.assertEqual(status, 200, body)
        tokens = {"admin": desk.admin_token, "customer": customer, "agent": agent}
        before = self.read_desk(tokens, numbers, attachment_ids)
        self.assertEqual(desk.stop(), 0)
        # One attachment as a desk from before migration 22 kept it: a file, not a row.
        self.move_blob_to_a_file(attachment_ids[1])

        target = postgres_server.shared_server().create_database("copy")
        copied = run_cli(["store", "copy", "--data", desk.data_dir, "--to", target,
                          "--batch", "2"], timeout=120)
        self.assertEqual(copied.returncode, 0, copied.stderr)
        self.assertIn("attachment files: 1 copied into the store", copied.stderr)
        self.assertIn("cases: 3/3 copied", copied.stderr)
        self.assertIn("verify cases: ok", copied.stderr)
        self.assertIn("next case number %d" % (numbers[-1] + 1), copied.stdout)

        again = run_cli(["store", "copy", "--data", desk.data_dir, "--to", target], timeout=120)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("cases: 3/3 already copied, skipped", again.stderr)

        desk.env["CASEDESK_STORE_URL"] = target
        desk.start()
        after = self.read_desk(tokens, numbers, attachment_ids)
        for key in before:
            self.assertEqual(after[key], before[key], key)

        status, _, hits = desk.request("GET", "/api/v1/search?q=" + word, token=agent)
        self.assertEqual(status, 200, hits)
        self.assertEqual(sorted(hit["case_number"] for hit in hits["items"]), numbers)
        new_case = desk.create_case(customer)
        self.assertEqual(new_case["number"], numbers[-1] + 1)
        new_agent_id, _ = desk.create_user("agent", tier="shift_engineer", token=False)
        self.assertGreater(new_agent_id, max(agent_id, customer_id))  # ids continue too

    def move_blob_to_a_file(self, attachment_id):
        """Moves an attachment's bytes out of the blobs table into DATA/attachments/ab/cd/DIGEST,
        where versions before migration 22 kept them."""
        with sqlite3.connect(os.path.join(self.desk.data_dir, "casedesk.db")) as db:
            digest = db.execute("SELECT blob_digest FROM attachments WHERE id = ?",
                                (attachment_id,)).fetchone()[0]
            content = db.execute("SELECT content FROM blobs WHERE digest = ?",
                                 (digest,)).fetchone()[0]
            directory = os.path.join(self.desk.data_dir, "attachments", digest[:2], digest[2:4])
            os.makedirs(directory)
            with open(os.path.join(directory, digest), "wb") as handle:
                handle.write(content)
            db.execute("DELETE FROM blobs WHERE digest = ?", (digest,))
        db.close()

    def test_copy_fails_clearly(self):
        self.desk.stop()
        cases = (
            (["--to", "mysql://nowhere/db"], "postgresql://"),
            (["--to", "postgresql://casedesk@127.0.0.1:1/none"], "cannot connect to PostgreSQL"),
        )
        for extra, message in cases:
            with self.subTest(extra=extra):
                result = run_cli(["store", "copy", "--data", self.desk.data_dir] + extra)
                self.assertNotEqual(result.returncode, 0)
                self.assertIn(message, result.stderr)
        missing = run_cli(["store", "copy", "--data", os.path.join(self.desk.root, "none"),
                           "--to", "postgresql://casedesk@127.0.0.1:1/none"])
        self.assertNotEqual(missing.returncode, 0)
        self.assertIn("no SQLite desk", missing.stderr)


if __name__ == "__main__":
    unittest.main()
