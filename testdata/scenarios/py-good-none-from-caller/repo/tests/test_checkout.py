import unittest

from shop.checkout import BadRequest, handle_discount


class HandleDiscountTest(unittest.TestCase):
    def test_known_code(self):
        order = {"id": 1, "subtotal_cents": 2000}
        self.assertEqual(handle_discount(order, {"code": "welcome10"}), 1800)
        self.assertEqual(order["discount"], "WELCOME10")

    def test_missing_code(self):
        with self.assertRaises(BadRequest):
            handle_discount({"id": 1, "subtotal_cents": 2000}, {})
