import unittest

from shop.discounts import Discount
from shop.pricing import add_tax, apply_discount


class ApplyDiscountTest(unittest.TestCase):
    def test_rounds_down(self):
        self.assertEqual(apply_discount(999, Discount("X", 10)), 900)

    def test_full_price_at_zero_percent(self):
        self.assertEqual(apply_discount(1234, Discount("X", 0)), 1234)


class AddTaxTest(unittest.TestCase):
    def test_adds_rate(self):
        self.assertEqual(add_tax(1000, 20), 1200)
