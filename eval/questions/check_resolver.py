"""How well the entity resolver reads an eval set: entity, attribute and outcome per line.

    CAREERBOT_DATA_DIR=/tmp/kb_full .venv/bin/python eval/questions/check_resolver.py \
        eval/questions/dev.jsonl [--show-misses]

Lines of one "session" are read as a conversation (turn 2 through followup.carry_subject).
Never tune against the holdout file's output; run it only to report (see README.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from knowledge.answering.entities import Resolution, resolve  # noqa: E402
from knowledge.answering.followup import carry_subject  # noqa: E402
from knowledge.answering.records import answer_from_record  # noqa: E402
from knowledge.config import Settings  # noqa: E402
from knowledge.store.base import KnowledgeBase  # noqa: E402


def _read(kb: KnowledgeBase, item: dict[str, object], previous: Resolution | None) -> Resolution:
    """The resolution the Assistant would act on, carrying a session's subject."""
    question, language = str(item["question"]), str(item["language"])
    current = resolve(kb, question, language)
    if previous is None:
        return current
    carried = carry_subject(previous, question, current)
    if isinstance(carried, Resolution):
        return carried
    return current if carried == question else resolve(kb, carried, language)


def _entity_ok(item: dict[str, object], r: Resolution) -> bool:
    expected, expect = str(item.get("entity", "")), str(item.get("expect", "resolved"))
    if expect in ("nonexistent", "ambiguous", "none"):
        return r.outcome.value == expect
    entity = r.entity
    return entity is not None and entity.code.replace(" ", "") == expected.replace(" ", "")


def _attribute_ok(item: dict[str, object], r: Resolution) -> bool:
    expected = str(item.get("attribute", ""))
    if not expected:
        return r.attribute is None or str(item.get("expect")) == "none"
    return r.attribute is not None and r.attribute.name == expected


def _norm(text: str) -> str:
    return "".join(text.split()).lower()


def _answer_scores(kb: KnowledgeBase, item: dict[str, object], r: Resolution) -> dict[str, bool]:
    """Record answers only (None = retrieval would answer): gold cited, key facts, declines."""
    answer = answer_from_record(kb, r, str(item.get("role") or "student"), str(item["language"]))
    if answer is None:
        return {"by_record": False}
    gold = [str(g) for g in cast(list[object], item.get("gold_sources", []))]
    facts = [str(f) for f in cast(list[object], item.get("key_facts", []))]
    if not item["answerable"]:
        return {"by_record": True, "declined": not answer.grounded}
    return {"by_record": True, "gold_cited": any(c.source.endswith(g) for c in answer.citations for g in gold),
            "facts": all(_norm(f) in _norm(answer.text) for f in facts), "grounded": answer.grounded}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--answers", action="store_true", help="also score the record answers")
    args = parser.parse_args()
    kb = KnowledgeBase(Settings())
    sessions: dict[str, Resolution] = {}
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for line in args.path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        session = item.get("session")
        r = _read(kb, item, sessions.get(session) if session and item.get("turn", 1) > 1 else None)
        if session and r.entity is not None:
            sessions[session] = r
        ok_entity, ok_attribute = _entity_ok(item, r), _attribute_ok(item, r)
        ok_outcome = r.outcome.value == item.get("expect", "resolved")
        answer = _answer_scores(kb, item, r) if args.answers else {}
        for key in (item["kind"], "all"):
            totals[key].update(n=1, entity=ok_entity, attribute=ok_attribute, outcome=ok_outcome,
                               both=ok_entity and ok_attribute and ok_outcome, **answer)
            totals[key].update({f"{k}_n": 1 for k in answer})
        if args.show_misses and not (ok_entity and ok_attribute and ok_outcome):
            got = r.entity.code if r.entity else ",".join(c.entity.code for c in r.candidates[:3])
            print(f"MISS {item['id']} [{item['kind']}] {item['question']}\n     expected "
                  f"{item.get('expect')} {item.get('entity')} / {item.get('attribute')}; got "
                  f"{r.outcome.value} {got} / {r.attribute.name if r.attribute else None}")
    scored = ("by_record", "gold_cited", "facts", "declined") if args.answers else ()
    print(f"{'kind':16} {'n':>4} {'entity':>7} {'attr':>7} {'outcome':>8} {'all3':>7}"
          + "".join(f" {k:>10}" for k in scored))
    for kind in sorted(totals, key=lambda k: (k == "all", k)):
        t = totals[kind]
        print(f"{kind:16} {t['n']:>4} " + " ".join(
            f"{t[k] / t['n']:>7.2f}" for k in ("entity", "attribute", "outcome", "both"))
            + "".join(f" {t[k] / t[k + '_n']:>10.2f}" if t[k + "_n"] else f" {'-':>10}" for k in scored))


if __name__ == "__main__":
    main()
