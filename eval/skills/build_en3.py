"""Build the third English skill gold (eval/skills/en_dev3.jsonl) from hand-written markup, so the offsets
are exact and the annotation stays readable and editable.

    python eval/skills/build_en3.py            # rewrites en_dev3.jsonl next to this script
    python eval/skills/build_en3.py holdout    # rewrites en_holdout3.jsonl from en3h_markup.txt (en-z001…)

Markup (en3_markup.txt), one sentence per line:

    Proven ability to [influence cross functional teams and suppliers|S] and a [CSCS card|Q].

* ``[text|L]`` is a span; L is S (Skill), Q (Qualification), O (Occupation), D (Domain) or E (Experience),
  the labels of the acp19tag annotation. The brackets and the label are not part of the text.
* Lines starting with ``#`` name a posting and are not sentences; blank lines are ignored.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LABELS = {"S": "Skill", "Q": "Qualification", "O": "Occupation", "D": "Domain", "E": "Experience"}
SPAN = re.compile(r"\[([^\[\]|]+)\|([A-Z])\]")
# markup, output and id prefix of each set; the holdout is written apart and never tuned on
SETS = {"dev": ("en3_markup.txt", "en_dev3.jsonl", "en-y"), "holdout": ("en3h_markup.txt", "en_holdout3.jsonl", "en-z")}
SCORED = {"Skill", "Qualification"}  # what the English benchmark counts
Record = dict[str, Any]  # one gold line or span, as written to JSON


def parse_line(line: str) -> tuple[str, list[Record]]:
    """Plain text and spans of one markup line."""
    text_parts: list[str] = []
    spans: list[Record] = []
    length = last = 0
    for match in SPAN.finditer(line):
        before = line[last:match.start()]
        surface, tag = match.group(1), match.group(2)
        if tag not in LABELS:
            raise ValueError(f"unknown label {tag!r} in {line!r}")
        if surface != surface.strip():
            raise ValueError(f"span {surface!r} starts or ends with a space in {line!r}")
        text_parts += [before, surface]
        length += len(before)
        spans.append({"start": length, "end": length + len(surface), "text": surface, "label": LABELS[tag]})
        length += len(surface)
        last = match.end()
    text_parts.append(line[last:])
    text = "".join(text_parts)
    if any(ch in text for ch in "[]|"):
        raise ValueError(f"stray markup in {line!r}")
    return text, spans


def build(markup: Path, prefix: str) -> list[Record]:
    """Records of the markup file, numbered prefix001…"""
    records: list[Record] = []
    for raw in markup.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        text, spans = parse_line(line)
        records.append({"id": f"{prefix}{len(records) + 1:03d}", "text": text, "spans": spans})
    return records


def summary(records: list[Record], output: str) -> str:
    """Counts for the README: sentences, spans by label, mean scored span length, sentences without one."""
    spans = [s for r in records for s in r["spans"]]
    by_label = Counter(s["label"] for s in spans)
    scored = [s for s in spans if s["label"] in SCORED]
    mean = sum(len(s["text"]) for s in scored) / max(len(scored), 1)
    words = sum(len(s["text"].split()) for s in scored) / max(len(scored), 1)
    empty = sum(not any(s["label"] in SCORED for s in r["spans"]) for r in records)
    labels = ", ".join(f"{n} {label}" for label, n in by_label.most_common())
    return (f"{output}: {len(records)} sentences, {len(spans)} spans ({labels}); Skill + Qualification "
            f"mean {mean:.1f} chars / {words:.1f} words; {empty} sentences without Skill or Qualification")


def main(argv: list[str]) -> int:
    which = argv[0] if argv else "dev"
    if which not in SETS or len(argv) > 1:
        print(f"usage: build_en3.py [{'|'.join(SETS)}]", file=sys.stderr)
        return 2
    markup, output, prefix = SETS[which]
    records = build(HERE / markup, prefix)
    with open(HERE / output, "w", encoding="utf-8") as out:
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(summary(records, output))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
