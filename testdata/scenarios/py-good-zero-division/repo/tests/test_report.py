import unittest

from dashboard.report import HEADER, average_order, summarize


class AverageOrderTest(unittest.TestCase):
    def test_rounds_down(self):
        self.assertEqual(average_order({"date": "2026-11-02", "orders": 3, "revenue_cents": 1000}), 333)


class SummarizeTest(unittest.TestCase):
    def test_one_line_per_day(self):
        days = [
            {"date": "2026-11-01", "orders": 2, "revenue_cents": 5000},
            {"date": "2026-11-02", "orders": 4, "revenue_cents": 12000},
        ]
        lines = summarize(days).split("\n")
        self.assertEqual(lines[0], HEADER)
        self.assertEqual(len(lines), 3)
        self.assertTrue(lines[2].endswith("30.00"), lines[2])
