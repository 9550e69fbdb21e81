"""Build the shipped list of ESCO occupation labels (``knowledge/skills/data/esco_occupations.txt.gz``),
which English extraction uses to tell a job title ("Sous Chef", "CNC Machine Operator") from a skill.
Nothing here runs at run time; the package only reads the file it writes.

    .venv/bin/python scripts/build_occupations.py --csv occupations_en.csv

Source: ``data/raw/esco/1.2.0/occupations_en.csv`` of github.com/victoriano/future-of-work-data at
commit a7623eb00056c2ec02cac9fca35f76e0eb914632 (ESCO 1.2.0 export, CC BY 4.0, © European Union),
the same copy ``build_taxonomy.py`` reads the skill hierarchy from.

Each occupation's preferred and alternative labels, normalised like taxonomy aliases (lower case,
one space). "actor/actress" also gives both words, "social worker (child protection)" also the label
without its note. A label is left out when the shipped taxonomy already names a skill, tool or
certificate by it ("chef" the tool, "journalist" → journalism, "certified public accountant" → CPA),
when it is one word that also opens ESCO skill labels as a verb ("cook", "guide", "host": a duty in a
job ad), when its head names the work rather than the worker ("network support", "hospital portering"),
and when it is two letters ("PA"), so that a skill is never rejected as a job title.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from knowledge.skills import words_en  # noqa: E402
from knowledge.skills.taxonomy import norm, taxonomy  # noqa: E402

OUT = ROOT / "knowledge" / "skills" / "data" / "esco_occupations.txt.gz"
_NOTE = re.compile(r"\s*\([^)]*\)\s*$")
# A few alternative labels name the work, not the worker ("network support", "hospital portering",
# "pattern design"): a job ad's "network support" is a skill, so such labels are left out.
_ACTIVITY = re.compile(r"(ing|tion|sion|ment|ance|ence|ship|ity|ogy|ics|ism|ure|ness|acy)$")
_THINGS = {"support", "operations", "design", "service", "services", "copy", "products", "aircraft", "store",
           "technical", "technicals"}


def labels(path: Path) -> set[str]:
    """Every preferred and alternative label of the export, normalised, with its plain variants."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    found: set[str] = set()
    for row in rows:
        for label in [row["preferredLabel"], *row["altLabels"].split("\n")]:
            key = norm(label)
            if not key:
                continue
            found.add(key)
            found.add(norm(_NOTE.sub("", key)))
            parts = key.split("/")
            if len(parts) == 2 and all(p and " " not in p for p in parts):  # "actor/actress"
                found.update(parts)
    print(f"ESCO occupations: {len(rows)}, labels: {len(found)}", file=sys.stderr)
    return {label for label in found if label}


def keep(label: str) -> bool:
    """Whether a label may reject a mention: it names no skill and is no everyday verb."""
    tax = taxonomy()
    if label in tax.aliases or len(label) <= 2:
        return False
    head = re.split(r" (?:in|of|for|at|on|to) ", label)[0].split()[-1]  # "assistant in pharmacy"
    if _ACTIVITY.search(head) or head in _THINGS:
        return False
    return " " in label or label not in words_en.verbs()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, required=True, help="ESCO 1.2.0 occupations_en.csv")
    args = parser.parse_args()
    found = labels(args.csv)
    kept = sorted(label for label in found if keep(label))
    print(f"kept {len(kept)} of {len(found)} (the rest name a skill, a verb or the work)", file=sys.stderr)
    # mtime=0: the same input gives the same bytes.
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(b"# ESCO v1.2 occupation labels (CC BY 4.0, European Union); scripts/build_occupations.py\n")
        gz.write("".join(f"{label}\n" for label in kept).encode("utf-8"))


if __name__ == "__main__":
    main()
