import pytest

from shop.ratio import ratio


@pytest.mark.parametrize(
    "done,total,want",
    [
        pytest.param(1, 2, 0.5, id="half"),
        pytest.param(3, 3, 1, id="all"),
    ],
)
def test_ratio(done, total, want):
    assert ratio(done, total) == want
