"""The checkout handler: applies a discount code to an order."""

from shop.discounts import CATALOG
from shop.pricing import apply_discount


class BadRequest(Exception):
    """The request cannot be served as sent; the client gets a 400."""


def handle_discount(order, payload):
    """Apply payload["code"] to order and return the new total in cents."""
    code = payload.get("code")
    if not isinstance(code, str) or not code:
        raise BadRequest("missing discount code")
    discount = CATALOG.get(code.upper())
    order["total_cents"] = apply_discount(order["subtotal_cents"], discount)
    order["discount"] = code.upper()
    return order["total_cents"]
