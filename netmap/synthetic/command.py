"""The command line of the generator.

``python -m netmap.synthetic --out FOLDER [--actors N] [--ties M] [--seed S] [--big-forum N]``;
``python -m netmap.synthetic --follow-up BEFORE --out FOLDER [--seed S] [--months K] [--on DATE]`` writes
the borough ``BEFORE`` some months later (:func:`netmap.synthetic.follow_up.follow_up`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from netmap.errors import NetmapError
from netmap.synthetic.borough import DEFAULT_ACTORS, DEFAULT_SEED
from netmap.synthetic.writer import write_workspace

#: The seed of a follow-up when none is given.
FOLLOW_UP_SEED = 42


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m netmap.synthetic --out FOLDER [--actors N] [--ties M] [--seed S] [--big-forum N]``."""
    parser = argparse.ArgumentParser(prog="python -m netmap.synthetic",
                                     description="Write a SYNTHETIC borough map as a netmap workspace.")
    parser.add_argument("--out", required=True, help="folder to write (created if missing)")
    parser.add_argument("--actors", type=int, default=DEFAULT_ACTORS,
                        help=f"actors (default {DEFAULT_ACTORS})")
    parser.add_argument("--ties", type=int, default=None, help="ties (default: density about 0.03)")
    parser.add_argument("--seed", type=int, default=None,
                        help=f"random seed (default {DEFAULT_SEED}; {FOLLOW_UP_SEED} with --follow-up)")
    parser.add_argument("--big-forum", type=int, default=None, metavar="N",
                        help="one alliance of N members instead of spaces of realistic size (a benchmark shape)")
    parser.add_argument("--follow-up", default=None, metavar="BEFORE",
                        help="write the synthetic borough in folder BEFORE some months later instead, with "
                             "joined and left actors and formed and ended ties planted and dated")
    parser.add_argument("--months", type=int, default=6, help="with --follow-up: months later (default 6)")
    parser.add_argument("--on", default=None, metavar="DATE",
                        help="with --follow-up: the date of the follow-up (YYYY-MM; default: --months after "
                             "the last date in BEFORE)")
    args = parser.parse_args(argv)
    try:
        if args.follow_up is not None:
            from netmap.synthetic.follow_up import write_follow_up

            seed = FOLLOW_UP_SEED if args.seed is None else args.seed
            counts = write_follow_up(args.follow_up, args.out, seed=seed, months=args.months, on=args.on)
        else:
            seed = DEFAULT_SEED if args.seed is None else args.seed
            counts = write_workspace(args.out, args.actors, args.ties, seed, big_forum=args.big_forum)
    except (ValueError, OSError, NetmapError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0
