"""The daily report: orders, revenue and average order value per day."""

import csv

from dashboard.money import cents

HEADER = f"{'date':<10}  {'orders':>6}  {'revenue':>10}  {'avg order':>9}"


def read_days(path):
    """Read the export: one row per day with date, orders and revenue_cents."""
    with open(path, newline="") as f:
        return [
            {"date": row["date"], "orders": int(row["orders"]), "revenue_cents": int(row["revenue_cents"])}
            for row in csv.DictReader(f)
        ]


def average_order(day):
    """The average order value of a day, in cents."""
    return day["revenue_cents"] // day["orders"]


def summarize(days):
    """The report's lines, one per day, under a header."""
    lines = [HEADER]
    for day in days:
        avg = cents(average_order(day))
        lines.append(f"{day['date']:<10}  {day['orders']:>6}  {cents(day['revenue_cents']):>10}  {avg:>9}")
    return "\n".join(lines)
