"""Build the third Chinese skill gold (eval/skills/zh_dev3.jsonl, zh_holdout3.jsonl) from hand-written
markup, so the character offsets are exact and the annotation stays readable and editable.

    python eval/skills/build_zh3.py            # rewrites both .jsonl files next to this script

Markup (zh3_markup_dev.txt, zh3_markup_holdout.txt), one sentence per line:

    熟练使用{Python}、{SQL}，持有{英语六级|Q}证书

* ``{text}`` is a Skill span, ``{text|Q}`` a Qualification span; the braces are not part of the text.
* Lines starting with ``#`` name a posting (``# 03 电商运营 | BOSS直聘``) and are not sentences; blank
  lines are ignored. A posting's lines are never split across the two files.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LABELS = {"": "Skill", "S": "Skill", "Q": "Qualification"}
SPAN = re.compile(r"\{([^{}|]+)(?:\|([A-Z]))?\}")
# markup file, output file, first id number
Record = dict[str, Any]  # one gold line or span, as written to JSON
SETS = [("zh3_markup_dev.txt", "zh_dev3.jsonl", 1), ("zh3_markup_holdout.txt", "zh_holdout3.jsonl", 501)]


def parse_line(line: str) -> tuple[str, list[Record]]:
    """Plain text and spans of one markup line."""
    text_parts: list[str] = []
    spans: list[Record] = []
    length = 0
    last = 0
    for match in SPAN.finditer(line):
        before = line[last:match.start()]
        text_parts.append(before)
        length += len(before)
        surface, tag = match.group(1), match.group(2) or ""
        if tag not in LABELS:
            raise ValueError(f"unknown label {tag!r} in {line!r}")
        spans.append({"start": length, "end": length + len(surface), "text": surface, "label": LABELS[tag]})
        text_parts.append(surface)
        length += len(surface)
        last = match.end()
    text_parts.append(line[last:])
    text = "".join(text_parts)
    if any(ch in text for ch in "{}|"):
        raise ValueError(f"stray markup in {line!r}")
    return text, spans


def build(markup: Path, first_id: int) -> list[Record]:
    """Records of one markup file, numbered zh3-NNNN from first_id."""
    records: list[Record] = []
    for raw in markup.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        text, spans = parse_line(line)
        records.append({"id": f"zh3-{first_id + len(records):04d}", "text": text, "spans": spans})
    return records


def main() -> int:
    for markup_name, out_name, first_id in SETS:
        records = build(HERE / markup_name, first_id)
        with open(HERE / out_name, "w", encoding="utf-8") as out:
            for rec in records:
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        spans = [s for r in records for s in r["spans"]]
        mean = sum(len(s["text"]) for s in spans) / max(len(spans), 1)
        quals = sum(s["label"] == "Qualification" for s in spans)
        empty = sum(not r["spans"] for r in records)
        print(f"{out_name}: {len(records)} lines, {len(spans)} spans ({len(spans) - quals} Skill, {quals} "
              f"Qualification), mean span {mean:.1f} chars, {empty} lines without spans")
    return 0


if __name__ == "__main__":
    sys.exit(main())
