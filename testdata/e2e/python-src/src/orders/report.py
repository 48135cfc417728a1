from shoputil import percent


def share(done, total):
    """The share of done orders, as a percentage string."""
    return percent(done / total)
