"""The command line of the generator.

``python -m netmap.synthetic --out FOLDER [--actors N] [--ties M] [--seed S] [--big-forum N]``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from netmap.errors import OutputError
from netmap.synthetic.borough import DEFAULT_ACTORS, DEFAULT_SEED
from netmap.synthetic.writer import write_workspace


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m netmap.synthetic --out FOLDER [--actors N] [--ties M] [--seed S] [--big-forum N]``."""
    parser = argparse.ArgumentParser(prog="python -m netmap.synthetic",
                                     description="Write a SYNTHETIC borough map as a netmap workspace.")
    parser.add_argument("--out", required=True, help="folder to write (created if missing)")
    parser.add_argument("--actors", type=int, default=DEFAULT_ACTORS,
                        help=f"actors (default {DEFAULT_ACTORS})")
    parser.add_argument("--ties", type=int, default=None, help="ties (default: density about 0.03)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--big-forum", type=int, default=None, metavar="N",
                        help="one alliance of N members instead of spaces of realistic size (a benchmark shape)")
    args = parser.parse_args(argv)
    try:
        counts = write_workspace(args.out, args.actors, args.ties, args.seed, big_forum=args.big_forum)
    except (ValueError, OSError, OutputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0
