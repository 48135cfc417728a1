"""Daily sales report for the shop's dashboard."""
