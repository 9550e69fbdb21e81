"""Retrieval and answer quality on an eval set (JSON lines).

Each line: ``{"id", "question", "role"?, "language"?, "answerable": bool,
"gold_sources": [path suffixes], "key_facts": [strings], "cross_lingual"?: bool,
"kind"?: str, "session"?: str}``. A hit counts when its source ends with one of the gold
paths. Lines that share a ``session`` are one conversation, asked in file order: a follow-up
gets the session's previous question as its context, as the chat and ``ask --batch`` do.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

from knowledge.answering.assistant import Assistant
from knowledge.answering.followup import is_followup
from knowledge.errors import UserFacingError
from knowledge.language import detect_language


def load_eval_set(path: Path) -> list[dict[str, Any]]:
    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UserFacingError(f"{path}: cannot read the eval set ({exc.strerror})") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            str(item["question"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise UserFacingError(f"{path}:{number}: not an eval item ({exc})") from exc
        item.setdefault("id", str(number))
        item.setdefault("answerable", bool(item.get("gold_sources")))
        item.setdefault("language", detect_language(item["question"]))
        items.append(item)
    return items


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _matches(source: str, gold: list[str]) -> bool:
    return any(source == g or source.endswith("/" + g) or source.endswith(g) for g in gold)


def score_item(assistant: Assistant, item: dict[str, Any], k: int = 5,
               context: str = "") -> dict[str, Any]:
    started = time.perf_counter()
    query = f"{context} {item['question']}" if context else item["question"]
    hits = assistant.search(query, role=item.get("role"), k=k)
    answer = assistant.ask(item["question"], role=item.get("role"), context=context)
    seconds = time.perf_counter() - started
    gold = item.get("gold_sources", [])
    rank = next((i + 1 for i, h in enumerate(hits) if _matches(h.source, gold)), None)
    context = _norm(" ".join(f"{h.header} {h.text}" for h in hits))
    facts = item.get("key_facts", [])
    found = [f for f in facts if _norm(f) in context]
    in_answer = [f for f in facts if _norm(f) in _norm(answer.text)]
    return {
        "id": item["id"],
        "question": item["question"],
        "language": item["language"],
        "role": item.get("role"),
        "answerable": item["answerable"],
        "cross_lingual": bool(item.get("cross_lingual")),
        "kind": item.get("kind"),
        "rank": rank,
        "cited": any(_matches(c.source, gold) for c in answer.citations),
        "key_facts": len(found) / len(facts) if facts else None,
        "answer_key_facts": len(in_answer) / len(facts) if facts else None,
        "grounded": answer.grounded,
        "refusal_correct": answer.grounded == item["answerable"],
        "top_sources": [h.source for h in hits],
        "top_relevance": round(hits[0].relevance, 3) if hits else 0.0,
        "seconds": round(seconds, 3),
    }


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in rows if r["answerable"]]
    facts = [r["key_facts"] for r in answerable if r["key_facts"] is not None]
    answer_facts = [r["answer_key_facts"] for r in answerable if r["answer_key_facts"] is not None]
    out: dict[str, Any] = {"n": len(rows)}
    if answerable:
        out["hit@1"] = sum(1 for r in answerable if r["rank"] == 1) / len(answerable)
        out["hit@5"] = sum(1 for r in answerable if r["rank"]) / len(answerable)
        out["mrr"] = sum(1 / r["rank"] for r in answerable if r["rank"]) / len(answerable)
        out["cited"] = sum(1 for r in answerable if r["cited"]) / len(answerable)
    if facts:
        out["key_facts"] = sum(facts) / len(facts)
        out["answer_key_facts"] = sum(answer_facts) / len(answer_facts)
    out["refusal_accuracy"] = sum(1 for r in rows if r["refusal_correct"]) / len(rows)
    return out


def evaluate(assistant: Assistant, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-question results and metrics overall and per language, role and kind."""
    rows: list[dict[str, Any]] = []
    previous: dict[str, str] = {}
    for item in items:
        session = str(item["session"]) if item.get("session") is not None else ""
        context = previous.get(session, "") if session and is_followup(item["question"]) else ""
        rows.append(score_item(assistant, item, context=context))
        if session:
            previous[session] = item["question"]
    slices: dict[str, list[dict[str, Any]]] = {"all": rows}
    for row in rows:
        if row["kind"]:
            slices.setdefault(f"kind={row['kind']}", []).append(row)
        slices.setdefault(f"lang={row['language']}", []).append(row)
        if row["role"]:
            slices.setdefault(f"role={row['role']}", []).append(row)
        if row["cross_lingual"]:
            slices.setdefault("cross-lingual", []).append(row)
        if not row["answerable"]:
            slices.setdefault("unanswerable", []).append(row)
    latencies = sorted(r["seconds"] for r in rows)
    return {
        "slices": {name: _summary(group) for name, group in slices.items()},
        "latency_p50": latencies[len(latencies) // 2] if latencies else 0.0,
        "items": rows,
    }
