import unittest

from dashboard.money import cents


class CentsTest(unittest.TestCase):
    def test_formats(self):
        self.assertEqual(cents(123456), "1,234.56")

    def test_small(self):
        self.assertEqual(cents(5), "0.05")
