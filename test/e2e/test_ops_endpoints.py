"""Operations endpoints of the real binary: health, readiness, Prometheus metrics, OpenAPI."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

# name{labels} value  (labels optional)
# (label values are quoted and may hold braces, as in route="/api/v1/cases/{number}")
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})?\s+(\S+)')


def samples(text):
    """(name, labels text, value) for every sample line of a Prometheus text exposition."""
    result = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        if match:
            result.append((match.group(1), match.group(2) or "", float(match.group(3))))
    return result


class OpsEndpointsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.desk = harness.Desk()

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    def test_healthz_and_readyz_answer_without_a_token(self):
        for path in ("/healthz", "/readyz"):
            status, headers, body = self.desk.request("GET", path)
            self.assertEqual(status, 200, "%s -> %r" % (path, body))

    def test_metrics_count_requests_and_latency_by_route(self):
        org = self.desk.create_org(harness.unique("Metrics "), "customer", plan="enterprise")
        created = self.desk.create_case(self.desk.admin_token, org_id=org)
        requests = 7
        for _ in range(requests):
            status, _, _ = self.desk.admin("GET", "/api/v1/cases/%d" % created["number"])
            self.assertEqual(status, 200)

        status, headers, body = self.desk.request("GET", "/metrics")
        self.assertEqual(status, 200, body)
        self.assertTrue(headers.get("content-type", "").startswith("text/plain"),
                        headers.get("content-type"))
        text = body.decode() if isinstance(body, bytes) else str(body)
        route = 'route="/api/v1/cases/{number}"'
        by_route = [s for s in samples(text) if route in s[1]]
        self.assertTrue(by_route, "no metric sample labelled %s in:\n%s" % (route, text[:3000]))
        # A latency histogram for the route: buckets with le=, plus _count and _sum.
        buckets = [s for s in by_route if s[0].endswith("_bucket") and 'le="' in s[1]]
        self.assertTrue(buckets, "no latency histogram buckets for the route:\n%s" % text[:3000])
        self.assertTrue(any(s[0].endswith("_sum") for s in by_route), "no _sum for the route")
        # A request count for the route that has seen at least our GETs.
        counts = [s for s in by_route if s[0].endswith("_total") or s[0].endswith("_count")]
        self.assertTrue(counts, "no request count for the route")
        self.assertGreaterEqual(max(s[2] for s in counts), requests,
                                "route counts %r" % counts)
        # The issue also asks for store latency.
        self.assertTrue(any("store" in s[0] for s in samples(text)),
                        "no store latency metric in:\n%s" % text[:3000])

    def test_openapi_document_lists_the_case_routes(self):
        status, headers, body = self.desk.request("GET", "/api/v1/openapi.json")
        self.assertEqual(status, 200)
        self.assertIn("json", headers.get("content-type", ""))
        self.assertIsInstance(body, dict, "openapi.json is not a JSON object")
        self.assertTrue(str(body.get("openapi", "")).startswith("3."), body.get("openapi"))
        paths = body.get("paths")
        self.assertIsInstance(paths, dict)
        for path in ("/api/v1/cases", "/api/v1/cases/{number}", "/api/v1/cases/{number}/comments",
                     "/api/v1/cases/{number}/events", "/api/v1/search", "/api/v1/orgs",
                     "/api/v1/users"):
            self.assertIn(path, paths)
        self.assertIn("post", paths["/api/v1/cases"])
        self.assertIn("get", paths["/api/v1/cases"])
        self.assertIn("patch", paths["/api/v1/cases/{number}"])

    def test_every_documented_operation_is_routed(self):
        """Each documented path and method reaches a handler: without a token it is refused
        (401) or served, never 404/405 for a missing route."""
        _, _, document = self.desk.request("GET", "/api/v1/openapi.json")
        checked = 0
        for path, operations in document["paths"].items():
            concrete = re.sub(r"\{[^}]+\}", "1", path)
            for method in operations:
                if method.upper() not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                    continue
                status, _, body = self.desk.request(
                    method.upper(), concrete,
                    raw_body=b"{}" if method.upper() in ("POST", "PUT", "PATCH") else None,
                    headers={"Content-Type": "application/json"})
                # A public page or public read (the knowledge base) of a thing that does not
                # exist is a routed 404: a page, or a problem other than the router's own.
                routed_not_found = status == 404 and (
                    (path.startswith("/status/") and
                     b"<!DOCTYPE html>" in (body if isinstance(body, bytes) else b"")) or
                    (isinstance(body, dict) and body.get("detail") != "no such resource"))
                if not routed_not_found:
                    self.assertNotIn(status, (404, 405), "%s %s (documented) -> %d %r" %
                                     (method, concrete, status, body))
                self.assertLess(status, 500, "%s %s -> %d %r" % (method, concrete, status, body))
                checked += 1
        self.assertGreater(checked, 10)


if __name__ == "__main__":
    unittest.main()
