def ratio(done, total):
    """The share of done work, from 0 to 1."""
    return done / total
