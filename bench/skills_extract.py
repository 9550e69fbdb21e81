"""Score `careerbot skills extract --batch F.jsonl --json` against gold spans (eval/skills/*.jsonl), from its
JSON output only, so any extractor behind the same interface can be compared.

    python -m bench.skills_extract eval/skills/zh_dev.jsonl [--labels Skill,Qualification]
        [--predictions out.jsonl | --command "careerbot skills extract --batch {input} --json"]
        [--details errors.jsonl] [--json]
    python -m bench.skills_extract --check eval/skills/*.jsonl

Pairing: every mention of every skill (flattened, duplicates included) is paired one-to-one with a gold
span of the chosen labels that it overlaps by at least one character, by maximum bipartite matching
(augmenting paths; mentions with the largest overlap go first and try their largest overlap first, which
only decides *which* pairs the details show, never how many). Two mentions on one gold span count once;
a mention across two gold spans pairs with one of them. Precision = paired mentions / mentions, recall =
paired gold / gold. Character P/R/F1 compares the non-whitespace characters inside any mention with those inside
any gold span. Exit status is non-zero only for usage errors: bad arguments, invalid gold, or an extractor
that cannot run or fails without printing anything. Low scores and partial output are reported, not fatal.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench.skills_concepts import ConceptTally, check_concepts, named_uris, table_notes

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LABELS: dict[str, set[str]] = {"en": {"Skill", "Qualification"}}  # others: every label
CJK = re.compile(r"[\u3400-\u9fff]")

Span = tuple[int, int]


class UsageError(Exception):
    """Bad arguments, gold or command: the only reasons to exit non-zero."""


def check_gold(records: list[dict]) -> list[str]:
    """Problems in gold records (empty when valid): offsets must reproduce the span text exactly."""
    problems: list[str] = []
    seen: set[str] = set()
    for n, rec in enumerate(records, start=1):
        rid, text = rec.get("id"), rec.get("text")
        spans_ok = isinstance(rec.get("spans"), list) or ("spans" not in rec and isinstance(rec.get("concepts"), list))
        if not isinstance(rid, str) or not isinstance(text, str) or not spans_ok:
            problems.append(f"line {n}: needs string id, string text and a spans list (or only a concepts list)")
            continue
        problems.extend(check_concepts(rec))
        if rid in seen:
            problems.append(f"{rid}: duplicate id")
        seen.add(rid)
        for s in rec.get("spans", []):
            start, end = s.get("start"), s.get("end")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                problems.append(f"{rid}: bad offsets {start}..{end}")
            elif text[start:end] != s.get("text"):
                problems.append(f"{rid}: text[{start}:{end}] is {text[start:end]!r}, span says {s.get('text')!r}")
            if not isinstance(s.get("label"), str):
                problems.append(f"{rid}: span {s.get('text')!r} has no label")
    return problems


def read_jsonl(path: Path) -> list[dict]:
    """Records of a JSON-lines gold file; blank lines skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc
    try:
        return [json.loads(line) for line in lines if line.strip()]
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}: not JSON lines: {exc}") from exc


def overlap(a: Span, b: Span) -> int:
    """Characters two half-open spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def pair(mentions: list[Span], gold: list[Span]) -> list[tuple[int, int]]:
    """Maximum one-to-one pairing of overlapping (mention index, gold index); larger overlaps tried first."""
    options = [sorted((g for g, gs in enumerate(gold) if overlap(m, gs) > 0), key=lambda g, m=m: -overlap(m, gold[g]))
               for m in mentions]
    owner: dict[int, int] = {}  # gold index -> mention index

    def augment(m: int, visited: set[int]) -> bool:
        for g in options[m]:
            if g not in visited:
                visited.add(g)
                if g not in owner or augment(owner[g], visited):
                    owner[g] = m
                    return True
        return False

    best = [overlap(mentions[m], gold[o[0]]) if o else 0 for m, o in enumerate(options)]
    for m in sorted(range(len(mentions)), key=lambda m: -best[m]):
        augment(m, set())
    return sorted((m, g) for g, m in owner.items())


def covered(text: str, spans: Iterable[Span]) -> set[int]:
    """Positions of non-whitespace characters inside any of the spans."""
    return {i for s, e in spans for i in range(max(0, s), min(e, len(text))) if not text[i].isspace()}


def prf(tp: int, predicted: int, actual: int) -> dict[str, float]:
    """Precision, recall and F1 (0 when undefined)."""
    p = tp / predicted if predicted else 0.0
    r = tp / actual if actual else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def language(rec: dict) -> str:
    """The id prefix (en-0001 -> en) when it is a language code, else zh for CJK text, else en."""
    prefix = rec["id"].split("-", 1)[0]
    if prefix in {"en", "zh"}:
        return prefix
    return "zh" if CJK.search(rec["text"]) else "en"


@dataclass
class Tally:
    """Running counts for one language."""

    sentences: int = 0
    mentions: int = 0
    gold: int = 0
    paired: int = 0
    known: int = 0
    mention_chars: int = 0
    gold_chars: int = 0
    char_tp: int = 0
    char_pred: int = 0
    char_gold: int = 0
    fp_on_other_labels: int = 0
    bad_offsets: int = 0
    errors: int = 0
    concepts_tp: int = 0
    concepts_pred: int = 0
    concepts_gold: int = 0
    has_uris: bool = False
    concepts: ConceptTally | None = None  # records with a "concepts" list only (bench/skills_concepts.py)

    def report(self) -> dict:
        """The metrics of this language as a plain dict."""
        out: dict = {
            "sentences": self.sentences, "mentions": self.mentions, "gold_spans": self.gold,
            "span": prf(self.paired, self.mentions, self.gold) | {"paired": self.paired},
            "char": prf(self.char_tp, self.char_pred, self.char_gold),
            "mean_mention_chars": round(self.mention_chars / self.mentions, 2) if self.mentions else 0.0,
            "mean_gold_chars": round(self.gold_chars / self.gold, 2) if self.gold else 0.0,
            "known_share": round(self.known / self.mentions, 4) if self.mentions else 0.0,
            "fp_on_other_labels": self.fp_on_other_labels, "bad_offsets": self.bad_offsets,
            "error_lines": self.errors,
        }
        if self.has_uris:
            out["concept"] = prf(self.concepts_tp, self.concepts_pred, self.concepts_gold)
        if self.concepts is not None:
            out |= self.concepts.report()
        return out


@dataclass
class Scorer:
    """Accumulates per-language tallies and the per-sentence error details."""

    labels: set[str] | None = None  # None: DEFAULT_LABELS per language
    tallies: dict[str, Tally] = field(default_factory=dict)
    details: list[dict] = field(default_factory=list)

    def add(self, rec: dict, prediction: dict | None) -> None:
        """Score one gold sentence against its output line (None when the extractor gave none)."""
        lang, text = language(rec), rec["text"]
        wanted = self.labels if self.labels is not None else DEFAULT_LABELS.get(lang)
        tally = self.tallies.setdefault(lang, Tally())
        if "spans" not in rec:  # concept gold only: no span metrics to count
            self._concepts(tally, rec, prediction, None)
            return
        tally.sentences += 1
        chosen = [s for s in rec["spans"] if wanted is None or s["label"] in wanted]
        others = [(s["start"], s["end"]) for s in rec["spans"] if wanted is not None and s["label"] not in wanted]
        gold = [(s["start"], s["end"]) for s in chosen]
        mentions: list[Span] = []
        linked: list[tuple[Span, str]] = []
        uris: set[str] = set()
        if prediction is None or "error" in prediction:
            tally.errors += 1
        for skill in (prediction or {}).get("skills") or []:
            if skill.get("uri"):
                uris.add(skill["uri"])
            for m in skill.get("mentions") or []:
                start, end = m.get("start"), m.get("end")
                if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                    tally.bad_offsets += 1
                    continue
                if m.get("text") is not None and m["text"] != text[start:end]:
                    tally.bad_offsets += 1
                mentions.append((start, end))
                if skill.get("uri"):
                    linked.append(((start, end), skill["uri"]))
                tally.known += bool(skill.get("known"))
        pairs = pair(mentions, gold)
        paired_m = {m for m, _ in pairs}
        paired_g = {g for _, g in pairs}
        tally.mentions += len(mentions)
        tally.gold += len(gold)
        tally.paired += len(pairs)
        tally.mention_chars += sum(e - s for s, e in mentions)
        tally.gold_chars += sum(e - s for s, e in gold)
        predicted_chars, gold_chars = covered(text, mentions), covered(text, gold)
        tally.char_tp += len(predicted_chars & gold_chars)
        tally.char_pred += len(predicted_chars)
        tally.char_gold += len(gold_chars)
        false_pos = [mentions[i] for i in range(len(mentions)) if i not in paired_m]
        tally.fp_on_other_labels += sum(any(overlap(m, o) for o in others) for m in false_pos)
        gold_uris = {s["uri"] for s in chosen if s.get("uri")}
        if gold_uris:
            tally.has_uris = True
        tally.concepts_tp += len(uris & gold_uris)
        tally.concepts_pred += len(uris)
        tally.concepts_gold += len(gold_uris)
        if "concepts" in rec:
            self._concepts(tally, rec, prediction, (linked, [((s["start"], s["end"]), s["uri"]) for s in chosen
                                                             if s.get("uri")]))
        missed = [gold[g] for g in range(len(gold)) if g not in paired_g]
        if false_pos or missed or prediction is None or "error" in prediction:
            self.details.append({
                "id": rec["id"], "text": text,
                "false_positives": [text[s:e] for s, e in false_pos], "missed": [text[s:e] for s, e in missed],
                "pairs": [[text[slice(*mentions[m])], text[slice(*gold[g])]] for m, g in pairs],
                **({"error": (prediction or {}).get("error", "no output line")} if prediction is None
                   or "error" in prediction else {}),
            })


    @staticmethod
    def _concepts(tally: Tally, rec: dict, prediction: dict | None, spans: tuple[list, list] | None) -> None:
        tally.concepts = tally.concepts or ConceptTally()
        tally.concepts.add(rec, named_uris(prediction), *(spans or (None, None)), pair=pair)


def parse_output(lines: list[str], records: list[dict]) -> tuple[list[dict | None], dict]:
    """Output lines matched to gold records by id (by position for lines without one), plus sanity counts."""
    parsed: list[dict] = []
    malformed = 0
    for line in lines:
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            malformed += 1
            continue
        if isinstance(obj, dict):
            parsed.append(obj)
        else:
            malformed += 1
    by_id = {obj["id"]: obj for obj in parsed if isinstance(obj.get("id"), str)}
    matched: list[dict | None] = []
    for i, rec in enumerate(records):
        obj = by_id.get(rec["id"])
        if obj is None and i < len(parsed) and "id" not in parsed[i]:
            obj = parsed[i]
        matched.append(obj)
    order_ok = [obj.get("id") for obj in parsed] == [rec["id"] for rec in records]
    return matched, {"output_lines": len(parsed), "malformed_lines": malformed,
                     "missing": sum(m is None for m in matched), "same_order": order_ok}


def default_command() -> str:
    """The project's careerbot when installed in .venv, else the one on PATH."""
    exe = ROOT / ".venv" / "bin" / "careerbot"
    if exe.exists():
        return f"{shlex.quote(str(exe))} skills extract --batch {{input}} --json"
    found = shutil.which("careerbot")
    if not found:
        raise UsageError("no careerbot found (.venv/bin/careerbot or PATH); pass --command or --predictions")
    return f"{shlex.quote(found)} skills extract --batch {{input}} --json"


def run_command(template: str, records: list[dict], timeout: float) -> tuple[list[str], float, str]:
    """Run the extractor on the records' {"id","text"} lines: its stdout lines, wall seconds and stderr tail."""
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.jsonl"
        batch.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n"
                                 for r in records), encoding="utf-8")
        argv = [arg.replace("{input}", str(batch)) for arg in shlex.split(template)]
        t0 = time.perf_counter()
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        except FileNotFoundError as exc:
            raise UsageError(f"cannot run {argv[0]}: {exc}") from exc
        except subprocess.TimeoutExpired as exc:
            raise UsageError(f"extractor did not finish within {timeout:.0f} s") from exc
        seconds = time.perf_counter() - t0
    problem = f"exit status {done.returncode}: {done.stderr.strip()[-500:]}" if done.returncode else ""
    if problem and not done.stdout.strip():
        raise UsageError(f"extractor failed with no output ({' '.join(argv)}): {problem}")
    return done.stdout.splitlines(), seconds, problem


def format_table(result: dict) -> str:
    """The report as an aligned plain-text table."""
    head = f"{'lang':<5}{'sent':>6}{'gold':>6}{'ment':>6}{'span P':>8}{'R':>7}{'F1':>7}" \
           f"{'char P':>8}{'R':>7}{'F1':>7}{'len m/g':>11}{'known':>7}"
    rows = [f"gold: {', '.join(result['gold'])}   labels: {result['labels']}", head, "-" * len(head)]
    for lang, r in result["languages"].items():
        s, c = r["span"], r["char"]
        rows.append(f"{lang:<5}{r['sentences']:>6}{r['gold_spans']:>6}{r['mentions']:>6}"
                    f"{s['precision']:>8.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}"
                    f"{c['precision']:>8.3f}{c['recall']:>7.3f}{c['f1']:>7.3f}"
                    f"{r['mean_mention_chars']:>5.1f}/{r['mean_gold_chars']:<5.1f}{r['known_share']:>7.0%}")
        extra = [f"{k}={r[k]}" for k in ("fp_on_other_labels", "bad_offsets", "error_lines") if r[k]]
        if "concept" in r:
            extra.append(f"concept F1={r['concept']['f1']:.3f}")
        extra.extend(table_notes(r))
        if extra:
            rows.append(f"{'':<5}" + "  ".join(extra))
    run = result["run"]
    if "batch_seconds" in run:
        rows.append(f"run: {run['sentences']} sentences in {run['batch_seconds']:.2f} s = "
                    f"{run['sentences_per_second']:.1f} sentences/s; start-up (1 line) {run['startup_seconds']:.2f} s")
    sanity = [f"{k}={run[k]}" for k in ("missing", "malformed_lines") if run.get(k)]
    if not run.get("same_order", True):
        sanity.append("output order differs from input")
    if run.get("problem"):
        sanity.append(run["problem"])
    if sanity:
        rows.append("warnings: " + "; ".join(sanity))
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="+", type=Path, help="gold JSON-lines file(s), e.g. eval/skills/zh_dev.jsonl")
    parser.add_argument("--labels", help="comma-separated gold labels to score (default: Skill,Qualification "
                                         "for English, every label for Chinese)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--predictions", type=Path, help="score this saved output instead of running the CLI")
    source.add_argument("--command", help="extractor command; {input} becomes the batch file")
    parser.add_argument("--details", type=Path, help="write per-sentence misses and false positives here")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--check", action="store_true", help="only validate the gold file(s)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds allowed for the batch run")
    args = parser.parse_args(argv)
    try:
        records = [rec for path in args.gold for rec in read_jsonl(path)]
        problems = check_gold(records)
        if problems:
            raise UsageError("invalid gold:\n  " + "\n  ".join(problems[:50]))
        if args.check:
            print(f"{len(records)} gold sentences, {sum(len(r.get('spans', [])) for r in records)} spans: ok")
            return 0
        run: dict = {"sentences": len(records)}
        if args.predictions:
            lines = read_lines(args.predictions)
        else:
            template = args.command or default_command()
            if "{input}" not in template:
                raise UsageError("--command must contain {input}")
            run["command"] = template
            _, run["startup_seconds"], _ = run_command(template, records[:1], args.timeout)
            lines, run["batch_seconds"], run["problem"] = run_command(template, records, args.timeout)
            run["sentences_per_second"] = len(records) / run["batch_seconds"] if run["batch_seconds"] else 0.0
    except UsageError as exc:
        print(f"skills_extract: {exc}", file=sys.stderr)
        return 2
    predictions, sanity = parse_output(lines, records)
    run |= sanity
    scorer = Scorer(labels=set(args.labels.split(",")) if args.labels else None)
    for rec, prediction in zip(records, predictions, strict=True):
        scorer.add(rec, prediction)
    result = {
        "gold": [str(p) for p in args.gold],
        "labels": args.labels or "en: Skill,Qualification; others: all",
        "languages": {lang: t.report() for lang, t in sorted(scorer.tallies.items())},
        "run": run,
    }
    if args.details:
        args.details.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in scorer.details),
                                encoding="utf-8")
        if any("holdout" in p.name for p in args.gold):
            print("note: these are holdout details — report them, never tune on them", file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False) if args.json else format_table(result))
    return 0


def read_lines(path: Path) -> list[str]:
    """Lines of a saved predictions file."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc


if __name__ == "__main__":
    sys.exit(main())
