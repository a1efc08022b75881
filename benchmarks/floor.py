"""The floor: read and parse files with libyaml's CSafeLoader, and nothing else.

python benchmarks/floor.py LIST_FILE     (one path per line)
"""

import sys

import yaml


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as listing:
        paths = listing.read().splitlines()
    for path in paths:
        with open(path, "rb") as handle:
            list(yaml.load_all(handle.read().decode("utf-8-sig"), Loader=yaml.CSafeLoader))


if __name__ == "__main__":
    main()
