"""Order pricing for the shop."""
