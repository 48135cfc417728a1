"""Money formatting."""


def cents(amount):
    """Format an amount in cents as 1,234.56."""
    return f"{amount // 100:,}.{amount % 100:02d}"
