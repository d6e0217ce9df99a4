"""Print the Markdown table of all settings, or refresh it in the README.

Usage:
    python scripts/settings_table.py                 # print the table
    python scripts/settings_table.py --update README.md

``--update`` replaces the text between ``<!-- settings-table:start -->`` and
``<!-- settings-table:end -->`` in the given file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard_desktop.config import settings_markdown_table

START = "<!-- settings-table:start -->"
END = "<!-- settings-table:end -->"


def update(path: Path, table: str) -> None:
    """Replace the table between the markers in ``path``.

    Raises:
        SystemExit: The markers are missing.
    """
    text = path.read_text(encoding="utf-8")
    head, start, rest = text.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"{path}: markers {START} ... {END} not found")
    path.write_text(f"{head}{START}\n{table}{END}{tail}", encoding="utf-8")


def main() -> None:
    """Print the table, or write it into the file given with ``--update``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", type=Path, metavar="FILE", help="rewrite the table in FILE")
    args = parser.parse_args()
    if args.update is None:
        sys.stdout.write(settings_markdown_table())
    else:
        update(args.update, settings_markdown_table())


if __name__ == "__main__":
    main()
