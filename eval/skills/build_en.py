"""Derive the English skill-extraction gold (eval/skills/en_dev.jsonl, en_holdout.jsonl) from the
CoNLL job-ad annotations (acp19tag/skill-extraction-dataset, CC BY 4.0), so the files can be rebuilt.

    python eval/skills/build_en.py [CORPUS_DIR]      # default: $CAREERBOT_TEST_CORPUS or ../shared/corpus
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SOURCE = Path("eval_job_ad_skill_annotations") / "testset.txt"
DEV_PERCENT = 60

# Detokenisation: a token in NO_SPACE_BEFORE sticks to the previous token, one in NO_SPACE_AFTER to the
# next, a JOINER to both.  "." also joins both sides in web addresses ("SalesForce . com", "www . x") and
# sticks to the next token in ". Net".
NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", ")", "]", "%"}
NO_SPACE_AFTER = {"(", "[", "£", "$"}
JOINERS = {"/", "'", "`", "://"}
WEB_PARTS = {"com", "co", "uk", "org", "net", "html", "aspx"}


def read_conll(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences as (token, tag) lists; blank lines separate sentences."""
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if not fields:
            if current:
                sentences.append(current)
            current = []
            continue
        if len(fields) != 2:
            raise ValueError(f"{path}: expected 'token tag', got {line!r}")
        current.append((fields[0], fields[1]))
    if current:
        sentences.append(current)
    return sentences


def _glue(tokens: list[str], i: int) -> tuple[bool, bool]:
    """(no space before token i, no space after token i)."""
    token = tokens[i]
    prev = tokens[i - 1] if i > 0 else ""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if token in JOINERS:
        return True, True
    if token == "." and nxt in {"Net", "NET"}:
        return False, True
    if token == "." and (prev.lower() == "www" or nxt.lower() in WEB_PARTS):
        return True, True
    return token in NO_SPACE_BEFORE, token in NO_SPACE_AFTER


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The sentence text and each token's (start, end) offsets in it."""
    text = ""
    offsets: list[tuple[int, int]] = []
    stick_next = True  # nothing before the first token
    for i, token in enumerate(tokens):
        before, after = _glue(tokens, i)
        if not (stick_next or before):
            text += " "
        offsets.append((len(text), len(text) + len(token)))
        text += token
        stick_next = after
    return text, offsets


def spans_of(tags: list[str]) -> list[tuple[int, int, str]]:
    """BIO tags to (first token, last token + 1, label); an I- that does not continue a span starts one."""
    spans: list[tuple[int, int, str]] = []
    for i, tag in enumerate(tags):
        if tag == "O":
            continue
        prefix, _, label = tag.partition("-")
        if prefix == "I" and spans and spans[-1][1] == i and spans[-1][2] == label:
            spans[-1] = (spans[-1][0], i + 1, label)
        else:
            spans.append((i, i + 1, label))
    return spans


def to_records(sentences: list[list[tuple[str, str]]]) -> list[dict]:
    """One gold record per sentence, ids en-0001… in corpus order."""
    records = []
    for n, sentence in enumerate(sentences, start=1):
        tokens = [token for token, _ in sentence]
        text, offsets = detokenize(tokens)
        spans = []
        for first, last, label in spans_of([tag for _, tag in sentence]):
            start, end = offsets[first][0], offsets[last - 1][1]
            spans.append({"start": start, "end": end, "text": text[start:end], "label": label})
        records.append({"id": f"en-{n:04d}", "text": text, "spans": spans})
    return records


def is_dev(record_id: str) -> bool:
    """Deterministic split: the first byte of the id's SHA-1, scaled to 0–99, below DEV_PERCENT."""
    return hashlib.sha1(record_id.encode()).digest()[0] * 100 // 256 < DEV_PERCENT


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def main(argv: list[str]) -> None:
    corpus = Path(argv[0]) if argv else Path(os.environ.get("CAREERBOT_TEST_CORPUS", ROOT.parent / "shared" / "corpus"))
    if not (corpus / SOURCE).is_file():
        sys.exit(f"build_en: {corpus / SOURCE} not found; pass the corpus directory or set CAREERBOT_TEST_CORPUS")
    records = to_records(read_conll(corpus / SOURCE))
    dev = [r for r in records if is_dev(r["id"])]
    holdout = [r for r in records if not is_dev(r["id"])]
    write_jsonl(HERE / "en_dev.jsonl", dev)
    write_jsonl(HERE / "en_holdout.jsonl", holdout)
    print(f"{len(records)} sentences: {len(dev)} dev, {len(holdout)} holdout; "
          f"{sum(len(r['spans']) for r in records)} spans")


if __name__ == "__main__":
    main(sys.argv[1:])
