import unittest

from accounts.plans import UnknownPlan, plan_for


class PlanForTest(unittest.TestCase):
    def test_known(self):
        self.assertEqual(plan_for("team").monthly_cents, 1200)

    def test_unknown(self):
        with self.assertRaises(UnknownPlan):
            plan_for("gold")
