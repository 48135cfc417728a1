import unittest

from shop.orders import Order, Store


class StoreTest(unittest.TestCase):
    def test_total(self):
        self.assertEqual(Store({"a": Order(5)}).total("a"), 5)

    def test_count(self):
        self.assertEqual(Store({"a": Order(5)}).count(), 1)
