"""A tiny order store whose total crashes on an unknown id."""


class Order:
    def __init__(self, amount):
        self.amount = amount


class Store:
    def __init__(self, orders):
        self.orders = orders

    def total(self, order_id):
        order = self.orders.get(order_id)
        return order.amount

    def count(self):
        return len(self.orders)
