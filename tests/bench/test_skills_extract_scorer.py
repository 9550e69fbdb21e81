"""The skill-extraction scorer's pairing and character metrics on hand-made predictions, and the gold files'
offsets, so a scoring bug or a broken gold line cannot silently move the benchmark."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.skills_extract import Scorer, check_gold, covered, main, pair, parse_output

EVAL = Path(__file__).resolve().parents[2] / "eval" / "skills"


def _prediction(rid: str, text: str, *spans: tuple[int, int], known: bool = True) -> dict:
    """An extractor output line with one skill per mention."""
    return {"id": rid, "skills": [{"id": f"s{i}", "label": text[s:e], "type": "skill", "known": known, "score": 1.0,
                                   "mentions": [{"start": s, "end": e, "text": text[s:e]}]}
                                  for i, (s, e) in enumerate(spans)]}


def _gold(rid: str, text: str, *spans: tuple[int, int, str]) -> dict:
    return {"id": rid, "text": text, "spans": [{"start": s, "end": e, "text": text[s:e], "label": label}
                                               for s, e, label in spans]}


def test_two_mentions_on_one_gold_span_pair_once() -> None:
    assert pair([(0, 3), (2, 6)], [(0, 6)]) == [(1, 0)]  # the larger overlap wins


def test_mention_across_two_gold_spans_pairs_with_one() -> None:
    assert pair([(0, 10)], [(0, 4), (6, 10)]) == [(0, 0)]  # the larger overlap wins


def test_pairing_is_a_maximum_matching_not_greedy() -> None:
    # Greedy by largest overlap gives A-g1 and leaves B unpaired; the maximum matching pairs both.
    assert pair([(0, 10), (1, 3)], [(0, 5), (6, 10)]) == [(0, 1), (1, 0)]


def test_touching_spans_do_not_overlap() -> None:
    assert pair([(0, 3)], [(3, 5)]) == []


def test_span_and_character_metrics() -> None:
    text = "熟悉 Python 和 SQL Server，沟通能力强"
    gold = _gold("zh-0001", text, (3, 9, "Skill"), (12, 22, "Skill"), (23, 27, "Skill"))
    # one exact, two mentions on "SQL Server" (the larger, "Server", pairs; "SQL" is spare), one false positive ("和")
    scorer = Scorer()
    scorer.add(gold, _prediction("zh-0001", text, (3, 9), (12, 15), (16, 22), (10, 11)))
    report = scorer.tallies["zh"].report()
    assert report["span"] == {"precision": 0.5, "recall": 0.6667, "f1": 0.5714, "paired": 2}
    # characters: gold 6 + 9 ("SQL Server" without its space) + 4 = 19; mentions 6 + 3 + 6 + 1 = 16, 15 inside gold
    assert report["char"] == {"precision": round(15 / 16, 4), "recall": round(15 / 19, 4),
                              "f1": round(2 * 15 / (16 + 19), 4)}
    assert report["mean_mention_chars"] == 4.0
    assert scorer.details[0]["false_positives"] == ["SQL", "和"] and scorer.details[0]["missed"] == ["沟通能力"]


def test_covered_ignores_whitespace() -> None:
    assert covered("a b\tc", [(0, 5)]) == {0, 2, 4}


def test_english_defaults_to_skill_and_qualification() -> None:
    text = "Senior Staff Nurse with IV cannulation skills"
    gold = _gold("en-0001", text, (0, 18, "Occupation"), (24, 38, "Skill"))
    scorer = Scorer()
    scorer.add(gold, _prediction("en-0001", text, (0, 18), (24, 38), known=False))
    report = scorer.tallies["en"].report()
    assert report["gold_spans"] == 1 and report["span"]["precision"] == 0.5
    assert report["fp_on_other_labels"] == 1 and report["known_share"] == 0.0
    every = Scorer(labels={"Skill", "Occupation"})
    every.add(gold, _prediction("en-0001", text, (0, 18), (24, 38)))
    assert every.tallies["en"].report()["span"]["f1"] == 1.0


def test_error_lines_and_bad_offsets_are_counted() -> None:
    text = "Excel"
    scorer = Scorer()
    scorer.add(_gold("en-0001", text, (0, 5, "Skill")), {"id": "en-0001", "error": "too long"})
    scorer.add(_gold("en-0002", text, (0, 5, "Skill")), None)
    scorer.add(_gold("en-0003", text, (0, 5, "Skill")),
               {"id": "en-0003", "skills": [{"mentions": [{"start": 0, "end": 9, "text": "Excel"},
                                                          {"start": 0, "end": 5, "text": "Exc"}]}]})
    report = scorer.tallies["en"].report()
    assert report["error_lines"] == 2 and report["bad_offsets"] == 2 and report["span"]["paired"] == 1


def test_output_matched_by_id_and_order_checked() -> None:
    records = [{"id": "a", "text": "x", "spans": []}, {"id": "b", "text": "y", "spans": []}]
    matched, sanity = parse_output(['{"id": "b", "skills": []}', "not json", '{"id": "a", "skills": []}'], records)
    assert [m["id"] for m in matched if m] == ["a", "b"]
    assert sanity == {"output_lines": 2, "malformed_lines": 1, "missing": 0, "same_order": False}
    _, sanity = parse_output(['{"id": "a", "skills": []}'], records)
    assert sanity["missing"] == 1


def test_check_gold_reports_offset_mismatch() -> None:
    bad = {"id": "zh-0001", "text": "熟悉Python", "spans": [{"start": 2, "end": 7, "text": "Python", "label": "Skill"}]}
    assert check_gold([bad]) and not check_gold([_gold("zh-0001", "熟悉Python", (2, 8, "Skill"))])


def test_main_scores_saved_predictions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "熟悉Python和SQL"
    gold_file, pred_file = tmp_path / "zh_dev.jsonl", tmp_path / "out.jsonl"
    gold_file.write_text(json.dumps(_gold("zh-0001", text, (2, 8, "Skill"), (9, 12, "Skill"))) + "\n")
    pred_file.write_text(json.dumps(_prediction("zh-0001", text, (2, 8))) + "\n")
    assert main([str(gold_file), "--predictions", str(pred_file), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["languages"]["zh"]["span"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "paired": 1}
    assert main([str(gold_file), "--command", "no-placeholder"]) == 2


def _concept_prediction(rid: str, text: str, *linked: tuple[int, int, str]) -> dict:
    return {"id": rid, "skills": [{"id": f"s{i}", "label": text[s:e], "type": "skill", "known": bool(uri),
                                   "score": 1.0, **({"uri": uri} if uri else {}),
                                   "mentions": [{"start": s, "end": e, "text": text[s:e]}]}
                                  for i, (s, e, uri) in enumerate(linked)]}


def test_concept_scores_span_pairs_and_sentence_sets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    u = [f"http://data.europa.eu/esco/skill/u{i}" for i in range(6)]
    text = "Excel, SQL and teamwork"
    spans = _gold("en-0001", text, (0, 5, "Skill"), (7, 10, "Skill"), (15, 23, "Skill"))["spans"]
    spans[0]["uri"], spans[1]["uri"] = u[1], u[2]  # "teamwork": the annotator found no concept
    gold = [{"id": "en-0001", "text": text, "spans": spans, "concepts": [u[1], u[2]]},
            {"id": "enc-0001", "text": "Lead a team of ten.", "concepts": [u[5]]}]  # concepts only, no spans
    predictions = [_concept_prediction("en-0001", text, (0, 5, u[1]), (7, 10, u[3]), (15, 23, u[4])),
                   _concept_prediction("enc-0001", gold[1]["text"], (0, 11, u[5]), (15, 18, ""))]
    gold_file, pred_file = tmp_path / "concepts.jsonl", tmp_path / "out.jsonl"
    gold_file.write_text("".join(json.dumps(r) + "\n" for r in gold))
    pred_file.write_text("".join(json.dumps(p) + "\n" for p in predictions))
    assert check_gold(gold) == [] and check_gold([{"id": "x", "text": "y", "concepts": "u1"}])
    assert main([str(gold_file), "--predictions", str(pred_file), "--json"]) == 0
    en = json.loads(capsys.readouterr().out)["languages"]["en"]
    # span level: 3 linked mentions, 2 gold spans with a URI, one pair with the same URI
    assert en["concept_span"] == {"precision": 0.3333, "recall": 0.5, "f1": 0.4, "sentences": 1, "paired": 1,
                                  "linked_mentions": 3, "gold": 2}
    # sentence level: named {u1, u3, u4} + {u5} against {u1, u2} + {u5}
    assert en["concept_sentence"] == {"precision": 0.5, "recall": 0.6667, "f1": 0.5714, "sentences": 2,
                                      "named": 4, "gold": 3}
    # the span metrics count only the record with spans, as before
    assert en["sentences"] == 1 and en["span"]["paired"] == 3 and en["concept"]["f1"] == 0.4
    assert main([str(gold_file), "--predictions", str(pred_file)]) == 0
    assert "concept_sentence P/R/F1=0.500/0.667/0.571" in capsys.readouterr().out


@pytest.mark.parametrize("path", sorted(EVAL.glob("*.jsonl")), ids=lambda p: p.name)
def test_gold_offsets_reproduce_span_text(path: Path) -> None:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for rec in records:
        for span in rec.get("spans", []):
            assert rec["text"][span["start"]:span["end"]] == span["text"], (rec["id"], span)
    assert check_gold(records) == []


def test_gold_sets_have_the_promised_size() -> None:
    sizes = {p.stem: len(p.read_text(encoding="utf-8").splitlines()) for p in EVAL.glob("*.jsonl")}
    assert sizes["zh_dev"] >= 160 and sizes["zh_holdout"] >= 100
    assert sizes["en_dev"] + sizes["en_holdout"] == 336
    span_sets = [p for p in EVAL.glob("*.jsonl") if not p.stem.startswith("en_concepts_")]
    ids = [json.loads(line)["id"] for p in span_sets for line in p.read_text(encoding="utf-8").splitlines()]
    assert len(ids) == len(set(ids))


def test_concept_gold_is_drawn_from_dev_only() -> None:
    """The concept layer re-annotates en_dev sentences under their own ids (and adds written ones):
    none may come from the holdout, and the text and spans must be en_dev's."""
    dev = {r["id"]: r for r in map(json.loads, (EVAL / "en_dev.jsonl").read_text(encoding="utf-8").splitlines())}
    concepts = [json.loads(line) for line in (EVAL / "en_concepts_dev.jsonl").read_text(encoding="utf-8").splitlines()]
    drawn = [r for r in concepts if "spans" in r]
    assert len(drawn) >= 60 and len(concepts) - len(drawn) >= 50
    assert sum(len(r["concepts"]) for r in concepts) >= 150
    for rec in drawn:
        source = dev[rec["id"]]
        assert rec["text"] == source["text"]
        assert [{k: v for k, v in s.items() if k != "uri"} for s in rec["spans"]] == source["spans"]
        assert set(rec["concepts"]) == {s["uri"] for s in rec["spans"] if "uri" in s}


def test_held_out_concept_gold_is_drawn_from_the_holdout_only() -> None:
    """The held-out concept layer re-annotates en_holdout sentences (text and spans unchanged) and adds
    written enh- lines; nothing in it may come from en_dev or repeat the dev concept gold."""
    def load(name: str) -> list[dict]:
        return [json.loads(line) for line in (EVAL / name).read_text(encoding="utf-8").splitlines()]
    holdout = {r["id"]: r for r in load("en_holdout.jsonl")}
    dev_ids = {r["id"] for r in load("en_dev.jsonl")} | {r["id"] for r in load("en_concepts_dev.jsonl")}
    dev_texts = {r["text"] for r in load("en_concepts_dev.jsonl")}
    concepts = load("en_concepts_holdout.jsonl")
    drawn = [r for r in concepts if "spans" in r]
    written = [r for r in concepts if "spans" not in r]
    assert len(drawn) >= 60 and len(written) >= 50
    assert all(r["id"].startswith("enh-") for r in written)
    assert not {r["id"] for r in concepts} & dev_ids and not {r["text"] for r in concepts} & dev_texts
    for rec in drawn:
        source = holdout[rec["id"]]
        assert rec["text"] == source["text"]
        assert [{k: v for k, v in s.items() if k != "uri"} for s in rec["spans"]] == source["spans"]
        assert set(rec["concepts"]) == {s["uri"] for s in rec["spans"] if "uri" in s}
