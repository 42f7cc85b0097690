"""The command line of the real binary: help, init, token create, migrate, backup."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import run_cli  # noqa: E402


class TempDirTest(unittest.TestCase):
    def setUp(self):
        harness.check_binary()
        self.tmp = tempfile.mkdtemp(prefix="casedesk-cli-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)


class HelpTest(TempDirTest):
    COMMANDS = {
        (): ["init", "token", "serve", "backup", "migrate"],
        ("init",): ["--data", "--admin-email"],
        ("token", "create"): ["--data", "--email", "--name"],
        ("serve",): ["--data", "--listen", "--config"],
        ("backup",): ["--data", "--to"],
        ("migrate",): ["--data"],
    }

    def test_help_on_every_command(self):
        for command, mentions in self.COMMANDS.items():
            with self.subTest(command=command):
                result = run_cli(list(command) + ["--help"])
                self.assertEqual(result.returncode, 0, result.stderr)
                text = result.stdout + result.stderr
                for word in mentions:
                    self.assertIn(word, text, "`casedesk %s --help` does not mention %s" %
                                  (" ".join(command), word))

    def test_unknown_command_and_missing_options_fail_on_stderr(self):
        for args in (["frobnicate"], ["init", "--data", self.path("d")],
                     ["token", "create", "--data", self.path("d")], ["backup", "--data", self.path("d")]):
            with self.subTest(args=args):
                result = run_cli(args)
                self.assertNotEqual(result.returncode, 0)
                self.assertTrue(result.stderr.strip(), "no message on stderr")
        self.assertFalse(harness.store_exists(self.path("d")),
                         "a failed init still created a store")

    def test_commands_on_a_directory_without_a_desk_fail(self):
        for args in (["serve", "--data", self.path("none"), "--listen", "127.0.0.1:0"],
                     ["migrate", "--data", self.path("none")],
                     ["backup", "--data", self.path("none"), "--to", self.path("b.db")],
                     ["token", "create", "--data", self.path("none"), "--email", "a@b.example"]):
            with self.subTest(args=args[0]):
                result = run_cli(args, timeout=10)
                self.assertNotEqual(result.returncode, 0)
                self.assertTrue(result.stderr.strip(), "no message on stderr")


class InitTest(TempDirTest):
    def test_init_with_password_from_environment_does_not_print_it(self):
        result = run_cli(["init", "--data", self.path("d"), "--admin-email", "root@example.com"],
                         env={"CASEDESK_ADMIN_PASSWORD": harness.ADMIN_PASSWORD})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn(harness.ADMIN_PASSWORD, result.stdout + result.stderr)
        self.assertTrue(harness.store_exists(self.path("d")), "init created no store")

    def test_init_without_password_prints_a_generated_one_each_time_different(self):
        passwords = []
        for name in ("a", "b"):
            result = run_cli(["init", "--data", self.path(name), "--admin-email",
                              "root@example.com"])
            self.assertEqual(result.returncode, 0, result.stderr)
            match = re.search(r"password\S*\s*[:=]?\s*(\S{12,})", result.stdout, re.IGNORECASE)
            self.assertIsNotNone(match, "no generated password on stdout:\n" + result.stdout)
            passwords.append(match.group(1))
        self.assertNotEqual(passwords[0], passwords[1])

    def test_init_twice_fails_clearly_and_keeps_the_desk(self):
        data = self.path("d")
        first = run_cli(["init", "--data", data, "--admin-email", "root@example.com"],
                        env={"CASEDESK_ADMIN_PASSWORD": harness.ADMIN_PASSWORD})
        self.assertEqual(first.returncode, 0, first.stderr)
        second = run_cli(["init", "--data", data, "--admin-email", "other@example.com"],
                         env={"CASEDESK_ADMIN_PASSWORD": harness.ADMIN_PASSWORD})
        self.assertNotEqual(second.returncode, 0)
        self.assertTrue(second.stderr.strip(), "no message on stderr")
        # The first admin still exists; the second was not added.
        token = run_cli(["token", "create", "--data", data, "--email", "root@example.com"])
        self.assertEqual(token.returncode, 0, token.stderr)
        other = run_cli(["token", "create", "--data", data, "--email", "other@example.com"])
        self.assertNotEqual(other.returncode, 0)


class TokenTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.desk = harness.Desk()

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    def test_token_for_unknown_email_fails_on_stderr(self):
        result = run_cli(["token", "create", "--data", self.desk.data_dir, "--email",
                          "nobody@example.com"])
        self.assertNotEqual(result.returncode, 0)
        self.assertTrue(result.stderr.strip(), "no message on stderr")
        self.assertEqual(result.stdout.strip(), "", "printed something that looks like a token")

    def test_token_is_alone_on_its_line_and_authenticates(self):
        result = run_cli(["token", "create", "--data", self.desk.data_dir, "--email",
                          harness.ADMIN_EMAIL, "--name", "laptop"])
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        self.assertEqual(len(lines), 1, "stdout should hold only the token: %r" % result.stdout)
        token = lines[0]
        self.assertEqual(token, token.strip())
        self.assertGreaterEqual(len(token), 20)
        status, _, me = self.desk.request("GET", "/api/v1/users/me", token=token)
        self.assertEqual(status, 200, me)
        self.assertEqual(me["email"], harness.ADMIN_EMAIL)
        # Two tokens for one user are different, and the store holds only a hash.
        second = self.desk.token_for(harness.ADMIN_EMAIL)
        self.assertNotEqual(token, second)
        for path, content in harness.files_at_rest(self.desk.data_dir):
            self.assertNotIn(token.encode(), content, "token stored in clear in " + path)

    def test_token_email_is_case_insensitive(self):
        token = self.desk.token_for(harness.ADMIN_EMAIL.upper())
        status, _, _ = self.desk.request("GET", "/api/v1/users/me", token=token)
        self.assertEqual(status, 200)


@unittest.skipUnless(harness.STORE == "postgres", "PostgreSQL only: what a command connects to")
class CommandConnectionsTest(unittest.TestCase):
    """A one-shot command opens the connections it uses and no more: the node caches, and the
    connection that listens for other nodes' commits to keep them right, are the server's
    (an MTA runs `casedesk mail ingest` once per message)."""

    def sessions(self, server, database, above=-1):
        """The database's sessions so far, once the count is above ABOVE and has not moved for
        a second (a backend's statistics reach the server when it exits, just after its client
        does)."""
        deadline = time.monotonic() + 30
        counts = []
        while time.monotonic() < deadline:
            counts.append(int(server.sql("postgres", "SELECT sessions FROM pg_stat_database"
                                                     " WHERE datname = '%s'" % database)))
            if counts[-1] > above and len(counts) >= 3 and len(set(counts[-3:])) == 1:
                break
            time.sleep(0.5)
        return counts[-1]

    def test_a_command_opens_a_read_and_a_write_connection_and_no_listener(self):
        desk = harness.Desk(start=False)
        self.addCleanup(desk.close)
        server = harness.postgres_server()
        database = urllib.parse.urlparse(desk.store_url).path.lstrip("/")
        before = self.sessions(server, database)
        result = run_cli(["token", "create", "--data", desk.data_dir, "--email",
                          harness.ADMIN_EMAIL, "--name", "laptop"])
        self.assertEqual(result.returncode, 0, result.stderr)
        opened = self.sessions(server, database, above=before) - before
        self.assertLessEqual(opened, 2, "a command opened %d connections" % opened)


class MigrateAndBackupTest(unittest.TestCase):
    def setUp(self):
        self.desk = harness.Desk()
        self.addCleanup(self.desk.close)
        self.org = self.desk.create_org(harness.unique("Backup Co "), "customer", plan="enterprise")

    def test_migrate_is_idempotent_and_keeps_data(self):
        created = self.desk.create_case(self.desk.admin_token, org_id=self.org, subject="kept")
        self.assertEqual(self.desk.stop(), 0)
        for _ in range(2):
            result = run_cli(["migrate", "--data", self.desk.data_dir])
            self.assertEqual(result.returncode, 0, result.stderr)
        self.desk.start()
        status, _, body = self.desk.admin("GET", "/api/v1/cases/%d" % created["number"])
        self.assertEqual(status, 200)
        self.assertEqual(body["subject"], "kept")

    def make_cases(self):
        """Six cases (one with a secret field) -> ({number: subject}, number, secret)."""
        token = self.desk.admin_token
        secret = harness.unique("root-pw-")
        before = {}
        for _ in range(5):
            subject = harness.unique("Before ")
            before[self.desk.create_case(token, org_id=self.org, subject=subject)["number"]] = subject
        with_secret = self.desk.create_case(token, org_id=self.org, subject="secretive",
                                            secret_fields={"root_password": secret})
        before[with_secret["number"]] = "secretive"
        return before, with_secret["number"], secret

    def while_writing(self, action):
        """Runs ACTION while a client keeps creating cases; returns its result."""
        stop = threading.Event()
        errors = []

        def writer():
            while not stop.is_set():
                try:
                    self.desk.create_case(self.desk.admin_token, org_id=self.org,
                                          subject=harness.unique("During "))
                except Exception as error:  # noqa: BLE001 - reported below
                    errors.append(error)
                    return

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            result = action()
        finally:
            stop.set()
            thread.join()
        self.assertEqual(errors, [])
        return result

    def check_restored(self, restored_dir, before, secret_number, secret):
        """Serves the restored copy (with the original key) and finds everything written
        before the backup, the secret still readable."""
        shutil.copy(os.path.join(self.desk.data_dir, "secret.key"),
                    os.path.join(restored_dir, "secret.key"))
        restored = harness.Desk(data_dir=restored_dir, init=False, start=False)
        self.addCleanup(restored.close)
        restored.admin_token = restored.token_for(harness.ADMIN_EMAIL)
        restored.start()
        for number, subject in before.items():
            status, _, body = restored.admin("GET", "/api/v1/cases/%d" % number)
            self.assertEqual(status, 200, body)
            self.assertEqual(body["subject"], subject)
        status, _, body = restored.admin("GET", "/api/v1/cases/%d" % secret_number)
        self.assertIn(secret, status == 200 and str(body) or "",
                      "the restored desk cannot decrypt the secret field")
        # The restored list is a consistent prefix: every listed case is readable.
        listed = restored.list_all("/api/v1/cases?org_id=%d" % self.org, restored.admin_token)
        self.assertGreaterEqual(len(listed), len(before))
        self.assertEqual(restored.stop(), 0)

    @harness.requires_sqlite("`casedesk backup` copies the SQLite file; PostgreSQL desks are "
                             "backed up with pg_dump (test_backup_on_postgres_...)")
    def test_backup_while_serving_restores_into_a_new_desk(self):
        before, secret_number, secret = self.make_cases()
        target = os.path.join(self.desk.root, "copy.db")
        result = self.while_writing(
            lambda: run_cli(["backup", "--data", self.desk.data_dir, "--to", target]))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(os.path.isfile(target))

        restored_dir = os.path.join(self.desk.root, "restored")
        os.makedirs(restored_dir)
        shutil.copy(target, os.path.join(restored_dir, "casedesk.db"))
        self.check_restored(restored_dir, before, secret_number, secret)

    @unittest.skipUnless(harness.STORE == "postgres", "PostgreSQL only: SQLite desks are "
                         "backed up by `casedesk backup` (the test above)")
    def test_backup_on_postgres_points_to_pg_dump_whose_copy_restores(self):
        before, secret_number, secret = self.make_cases()
        target = os.path.join(self.desk.root, "copy.dump")
        refused = run_cli(["backup", "--data", self.desk.data_dir, "--to", target])
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("pg_dump", refused.stderr)
        self.assertFalse(os.path.exists(target), "a refused backup still wrote " + target)

        # Do what the message says, while the desk keeps writing, and restore the copy.
        server = harness.postgres_server()
        dump = self.while_writing(lambda: subprocess.run(
            [os.path.join(server.bin, "pg_dump"), "--format=custom", "--file=" + target,
             self.desk.store_url], capture_output=True, text=True, timeout=120))
        self.assertEqual(dump.returncode, 0, dump.stderr)
        copy_url = server.create_database("e2e_restored")
        restore = subprocess.run([os.path.join(server.bin, "pg_restore"), "--no-owner",
                                  "--exit-on-error", "--dbname=" + copy_url, target],
                                 capture_output=True, text=True, timeout=120)
        self.assertEqual(restore.returncode, 0, restore.stderr)

        restored_dir = os.path.join(self.desk.root, "restored")
        os.makedirs(restored_dir)
        harness.use_store(restored_dir, copy_url)
        self.check_restored(restored_dir, before, secret_number, secret)


if __name__ == "__main__":
    unittest.main()
