"""How long reading public registers takes, and how much memory: the Charity Commission extract and ODS GP practices.

    .venv/bin/python bench/registers.py [--charities 200000] [--practices 10000] [--seed 7]

Writes a SYNTHETIC register of charities of the real size in the published
layout (tab-delimited UTF-8 with a byte order mark: ``--charities`` rows of
publicextract.charity.txt, 85% registered main charities, 10% removed, 5%
linked subsidiaries; about 5.5 classification rows and 2 areas of operation
per charity, so about a million classification rows) into a temporary folder,
and times :func:`netmap.registers.charities.read_charities` over it, each run in
a fresh process so that its peak resident memory is its own. The baseline is
the same reading of a register a tenth of the size, written and read in the
same run: the figures are ratios to it. If :mod:`netmap.registers.ods` is
there, an ODS epraccur.csv of ``--practices`` GP practices (and its tenth) is
timed the same way. Targets: the full register in under 60 s and 2 GB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BOM = "\ufeff"


def _columns(text: str) -> list[str]:
    return text.split()


CHARITY_HEADER = _columns(
    "date_of_extract organisation_number registered_charity_number linked_charity_number charity_name charity_type "
    "charity_registration_status date_of_registration date_of_removal charity_reporting_status "
    "latest_acc_fin_period_start_date latest_acc_fin_period_end_date latest_income latest_expenditure "
    "charity_contact_address1 charity_contact_address2 charity_contact_address3 charity_contact_address4 "
    "charity_contact_address5 charity_contact_postcode charity_contact_phone charity_contact_email "
    "charity_contact_web charity_company_registration_number charity_insolvent charity_in_administration "
    "charity_previously_excepted charity_is_cdf_or_cif charity_is_cio cio_is_dissolved "
    "date_cio_dissolution_notice charity_activities charity_gift_aid charity_has_land")
CLASS_HEADER = _columns("date_of_extract organisation_number registered_charity_number linked_charity_number "
                "classification_code classification_type classification_description")
AREA_HEADER = _columns("date_of_extract organisation_number registered_charity_number linked_charity_number "
               "geographic_area_type geographic_area_description parent_geographic_area_type "
               "parent_geographic_area_description welsh_ind")
PLACES = ["Leeds City", "Bradford", "Birmingham City", "Manchester City", "Tower Hamlets", "Newham", "Sandwell",
          "Kirklees", "Wakefield", "Coventry City", "Bristol City", "Sheffield City", "Liverpool City", "Cardiff"]
WORDS = ["SYNTHETIC", "COMMUNITY", "TRUST", "FOUNDATION", "CENTRE", "ASSOCIATION", "FRIENDS OF", "CHURCH",
         "YOUTH", "ELDERS", "ARTS", "WELLBEING", "CARERS", "HOUSING", "MOSQUE", "FORUM", "NETWORK", "APPEAL"]
CODES = [*range(101, 118), *range(201, 208), *range(301, 311)]
D = "2024-06-03"


def write_register(folder: Path, n: int, seed: int) -> dict[str, int]:
    """The three tables of a SYNTHETIC extract of ``n`` charity rows; returns the rows of each."""
    r = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    counts = {"charity": 0, "classification": 0, "area": 0}
    with (open(folder / "publicextract.charity.txt", "w", encoding="utf-8", newline="") as charity,
          open(folder / "publicextract.charity_classification.txt", "w", encoding="utf-8", newline="") as codes,
          open(folder / "publicextract.charity_area_of_operation.txt", "w", encoding="utf-8", newline="") as areas):
        for handle, header in ((charity, CHARITY_HEADER), (codes, CLASS_HEADER), (areas, AREA_HEADER)):
            handle.write(BOM + "\t".join(header) + "\r\n")
        number = 200000
        for org in range(1, n + 1):
            roll = r.random()
            linked = r.randint(1, 9) if roll > 0.95 else 0
            number += 0 if linked else 1
            status = "Removed" if 0.85 < roll <= 0.95 else "Registered"
            name = " ".join(["SYNTHETIC", *r.sample(WORDS[1:], 3), str(org)])
            activity = " ".join(r.choice(WORDS).lower() for _ in range(r.randint(5, 40)))
            row = [D, str(org), str(number), str(linked), name, "Charitable company" if not linked else "", status,
                   f"{r.randint(1960, 2023)}-0{r.randint(1, 9)}-1{r.randint(0, 9)} 00:00:00",
                   "2019-08-30 00:00:00" if status == "Removed" else "", "Submission Received", "", "",
                   f"{r.randint(0, 5_000_000)}.00", f"{r.randint(0, 5_000_000)}.00", "1 SYNTHETIC STREET", "LEEDS",
                   "", "", "", f"LS{r.randint(1, 29)} {r.randint(1, 9)}AA", "", "", "", "", "False", "False",
                   "False", "", "False", "", "", activity, "True", "False"]
            charity.write("\t".join(row) + "\r\n")
            counts["charity"] += 1
            for code in r.sample(CODES, r.randint(2, 9)):
                kind = ("What", "Who", "How")[code // 100 - 1]
                codes.write(f"{D}\t{org}\t{number}\t{linked}\t{code}\t{kind}\tSYNTHETIC {code}\r\n")
                counts["classification"] += 1
            for place in r.sample(PLACES, r.choice((1, 1, 1, 2, 3, 4))):
                areas.write(f"{D}\t{org}\t{number}\t{linked}\tLocal Authority\t{place}\tRegion\tSYNTHETIC\tFalse\r\n")
                counts["area"] += 1
    return counts


def write_practices(path: Path, n: int) -> None:
    """An ODS epraccur.csv of ``n`` SYNTHETIC GP practices (27 columns, no header row)."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        for i in range(n):
            cells = [f"B{i:05d}", f"SYNTHETIC SURGERY {i}", "Y63", "QWO", "1 SYNTHETIC ROAD", "", "LEEDS", "", "",
                     f"LS{i % 29 + 1} {i % 9 + 1}AB", "19740401", "", "A", "B", "15F", "20210401", "",
                     "0113 000 0000", "", "", "", "0", "", "Y63", "", "4", ""]
            out.write(",".join(f'"{c}"' for c in cells) + "\n")


def measure(kind: str, path: Path) -> None:
    """(In a fresh process) read a register and print seconds, peak memory and entries as JSON."""
    from netmap.registers.charities import read_charities
    from netmap.registers.entries import REGISTERS  # noqa: F401 - the package, loaded before the clock starts

    start = time.perf_counter()
    if kind == "charities":
        reader = read_charities([path])
        entries = sum(1 for _ in reader)
        extra = {"malformed": reader.summary.malformed}
    else:
        from netmap.registers.ods import OdsTally, read_ods

        start = time.perf_counter()
        tally = OdsTally()
        entries = sum(1 for _ in read_ods([path], tally=tally))
        extra = {"malformed": len(tally.problems)}
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "entries": entries, **extra}))


def timed(kind: str, path: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--measure", kind, str(path)], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(label: str, small: dict[str, float], full: dict[str, float], size_ratio: float) -> None:
    print(f"{label}: {full['entries']:,} entries in {full['seconds']:.1f} s, peak {full['peak_mb']:.0f} MB "
          f"(malformed {full['malformed']}); baseline (1/10 size): {small['entries']:,} entries in "
          f"{small['seconds']:.2f} s, peak {small['peak_mb']:.0f} MB; time x{full['seconds'] / small['seconds']:.1f} "
          f"and peak memory x{full['peak_mb'] / small['peak_mb']:.2f} for x{size_ratio:.0f} the rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charities", type=int, default=200_000)
    parser.add_argument("--practices", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure[0], Path(args.measure[1]))
        return
    with tempfile.TemporaryDirectory(prefix="netmap-registers-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        counts = write_register(folder / "full", args.charities, args.seed)
        write_register(folder / "tenth", args.charities // 10, args.seed)
        size = sum(p.stat().st_size for p in (folder / "full").iterdir()) / 1e6
        print(f"SYNTHETIC register: {counts['charity']:,} charity rows, {counts['classification']:,} classification "
              f"rows, {counts['area']:,} area rows ({size:.0f} MB), written in {time.perf_counter() - start:.0f} s")
        report("read_charities", timed("charities", folder / "tenth"), timed("charities", folder / "full"), 10)
        try:
            import netmap.registers.ods  # noqa: F401
        except ImportError:
            print("ODS: netmap.registers.ods is not there; skipped")
            return
        write_practices(folder / "epraccur.csv", args.practices)
        (folder / "small").mkdir()
        write_practices(folder / "small" / "epraccur.csv", args.practices // 10)
        report("read_ods (epraccur.csv)", timed("ods", folder / "small" / "epraccur.csv"),
               timed("ods", folder / "epraccur.csv"), 10)


if __name__ == "__main__":
    main()
