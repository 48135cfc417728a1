"""Replay one sign-up form from a JSON file: python -m accounts form.json."""

import json
import sys

from accounts.signup import handle_signup


def main(argv):
    with open(argv[1]) as f:
        print(handle_signup(json.load(f)))


if __name__ == "__main__":
    main(sys.argv)
