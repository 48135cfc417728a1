import unittest

from accounts.signup import BadRequest, handle_signup


class HandleSignupTest(unittest.TestCase):
    def test_default_plan(self):
        account = handle_signup({"email": " ada@example.com "})
        self.assertEqual(account, {"email": "ada@example.com", "plan": "free", "monthly_cents": 0})

    def test_invalid_email(self):
        with self.assertRaises(BadRequest):
            handle_signup({"email": "ada", "plan": "team"})
