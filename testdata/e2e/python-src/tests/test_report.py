from orders.report import share


def test_share():
    assert share(1, 4) == "25%"
