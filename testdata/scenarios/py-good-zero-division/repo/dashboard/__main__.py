"""Print the daily report for an export: python -m dashboard days.csv."""

import sys

from dashboard.report import read_days, summarize


def main(argv):
    print(summarize(read_days(argv[1])))


if __name__ == "__main__":
    main(sys.argv)
