"""Price arithmetic, in cents."""


def apply_discount(subtotal_cents, discount):
    """Return the subtotal with discount taken off, rounded down to the cent."""
    off = subtotal_cents * discount.percent // 100
    return subtotal_cents - off


def add_tax(cents, rate_percent):
    return cents + cents * rate_percent // 100
