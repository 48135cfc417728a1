"""Replays one checkout request from the command line: python -m shop ORDER_CENTS CODE."""

import sys

from shop.checkout import handle_discount


def main(argv):
    order = {"id": 42, "subtotal_cents": int(argv[1])}
    print(handle_discount(order, {"code": argv[2]}))


if __name__ == "__main__":
    main(sys.argv)
