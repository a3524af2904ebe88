"""How long netmap's likely-duplicate name check takes, against the all-pairs scan it replaced.

    .venv/bin/python bench/duplicates.py [--sizes 5000] [--seed 7]

The baseline is the old quadratic scan (every pair of normalised main names
through difflib, copied below), timed in the same run on the names of
synthetic workspaces of 1,000 and 3,000 actors (``netmap.synthetic``); the
new :func:`netmap.workspace.names.likely_duplicates` is timed on the same
names and must report exactly the same pairs. The new check alone is then
timed at the larger ``--sizes`` (default 5,000, to keep the run near
two minutes; ``--sizes 10000,30000,100000`` for large maps, which take
minutes: see the docstring of ``likely_duplicates``). The synthetic generator
only has about 13,000 distinct names, so past a few thousand actors it repeats them with "(2)",
"(3)"... suffixes and nearly every pair of repeats really is a near duplicate
(hundreds of thousands of pairs at 100,000 actors); the large sizes therefore
use varied names instead: synthetic name forms with made-up place names, 2%
of them misspelt copies of another. Figures are ratios to the quadratic
scan's time at 1,000 actors, measured in this run.
"""

from __future__ import annotations

import argparse
import difflib
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from netmap.model import Actor
from netmap.synthetic.names import NAME_PARTS
from netmap.synthetic.plan import make_plan
from netmap.workspace.names import likely_duplicates, normalise_name


def quadratic_scan(actors: list[Actor]) -> list[tuple[int, int, float, str]]:
    """The check as it was: exact matches, then difflib on every pair of main names."""
    pairs: dict[tuple[int, int], tuple[float, str]] = {}
    seen: dict[str, int] = {}
    for i, actor in enumerate(actors):
        for name in (actor.name, *actor.aliases):
            norm = normalise_name(name)
            if not norm:
                continue
            first = seen.setdefault(norm, i)
            if first != i:
                pairs.setdefault((first, i), (1.0, name))
    names = [normalise_name(a.name) for a in actors]
    matcher = difflib.SequenceMatcher(autojunk=False)
    for j in range(len(names)):
        matcher.set_seq2(names[j])
        for i in range(j):
            if (i, j) in pairs or not names[i] or not names[j]:
                continue
            if abs(len(names[i]) - len(names[j])) > 0.2 * max(len(names[i]), len(names[j])):
                continue
            matcher.set_seq1(names[i])
            if matcher.real_quick_ratio() < 0.92 or matcher.quick_ratio() < 0.92:
                continue
            ratio = matcher.ratio()
            if ratio >= 0.92:
                pairs[(i, j)] = (round(ratio, 2), actors[j].name)
    return [(i, j, score, matched) for (i, j), (score, matched) in sorted(pairs.items())]


def synthetic_actors(n: int, seed: int) -> list[Actor]:
    """The actors (ids and names) of a synthetic workspace of ``n`` actors."""
    plan = make_plan(n, 0, seed)
    return [Actor(f"a{i}", name) for i, name in enumerate(plan.names)]


SYLLABLES = ("ash", "bar", "beck", "bourne", "brook", "bury", "by", "carr", "cas", "chester", "cot", "dale", "den",
             "don", "fen", "ford", "gate", "ham", "har", "hey", "holme", "hurst", "ing", "kirk", "lea", "ley", "low",
             "mar", "mere", "mon", "nor", "ock", "ton", "pen", "ridge", "ros", "shaw", "stan", "stead", "thorpe",
             "tree", "wal", "well", "wick", "win", "worth", "wyn", "yar")


def varied_actors(n: int, seed: int) -> list[Actor]:
    """``n`` organisation names of synthetic forms with made-up places; 2% misspelt copies of another."""
    rng = random.Random(seed)
    forms = [(themes, endings) for themes, endings in NAME_PARTS.values()]
    names: list[str] = []
    for _ in range(n):
        if names and rng.random() < 0.02:
            chars = list(rng.choice(names))
            k = rng.randrange(len(chars))
            chars[k:k + 1] = rng.choice(([], [chars[k], chars[k]], [rng.choice("aeiou")]))
            names.append("".join(chars))
            continue
        place = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        themes, endings = rng.choice(forms)
        words = [place, *([rng.choice(themes)] if themes and rng.random() < 0.7 else []), rng.choice(endings)]
        names.append(" ".join(words))
    return [Actor(f"a{i}", name) for i, name in enumerate(names)]


def seconds(check, actors: list[Actor]) -> tuple[float, list]:
    started = time.perf_counter()
    result = check(actors)
    return time.perf_counter() - started, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000", help="sizes for the new check alone")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    per_thousand = None
    print(f"{'names':<28}{'pairs':>8}{'seconds':>10}{'vs baseline':>13}")
    for n in (1000, 3000):
        actors = synthetic_actors(n, args.seed)
        old_s, old = seconds(quadratic_scan, actors)
        new_s, new = seconds(likely_duplicates, actors)
        if new != old:
            sys.exit(f"the new check and the quadratic scan disagree at {n} actors")
        per_thousand = per_thousand or old_s
        print(f"{f'synthetic {n:,}, quadratic':<28}{len(old):>8}{old_s:>10.2f}{old_s / per_thousand:>12.1f}x")
        print(f"{f'synthetic {n:,}, indexed':<28}{len(new):>8}{new_s:>10.2f}{new_s / per_thousand:>12.2f}x"
              f"  ({old_s / new_s:.1f}x faster)")
    for n in (int(size) for size in args.sizes.split(",") if size):
        new_s, new = seconds(likely_duplicates, varied_actors(n, args.seed))
        print(f"{f'varied {n:,}, indexed':<28}{len(new):>8}{new_s:>10.2f}{new_s / per_thousand:>12.2f}x")


if __name__ == "__main__":
    main()
