"""Latency of skills match, gap and profile at corpus scale (the corpus store from
bench/ingest_corpus.py, which holds the 117 majors of the vocational profiles), and the
calibration of the extractor's embedding threshold.

    python -m bench.skills [--store bench/out/corpus-store]
    python -m bench.skills --calibrate        # top-1 link precision by cosine, English and Chinese
    python -m bench.skills --concept-curve eval/skills/en_concepts_dev.jsonl   # concept F1 by English threshold
    python -m bench.skills --speed eval/skills/en_dev.jsonl   # extraction throughput after start-up
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.common import OUT, peak_rss_mb, percentile
from knowledge.config import Settings
from knowledge.skills import gap, match, profile
from knowledge.store.base import KnowledgeBase

JOBS = [
    "Junior network engineer: routing and switching, Linux servers, network security, cloud platforms.",
    "数据分析师：熟悉 SQL 和 Python，能用 Power BI 做数据可视化，有统计学基础。",
    "UI designer: Figma, interaction design and prototyping, some 3D modeling in Blender.",
    "招聘护士：具备基础护理、健康评估和急危重症护理能力，持护士执业资格证。",
    "Accountant: bookkeeping, financial statements, tax filing and internal audit.",
    "电商运营：熟悉网店运营、直播带货、市场营销和数据分析。",
    "CNC machinist: read mechanical drawings, operate CNC machine tools, quality checks.",
    "物流专员：仓储管理、供应链协调、采购与配送。",
    "Tour guide: tourism services, English communication, customer service.",
    "嵌入式软件工程师：C 语言，单片机，嵌入式系统开发与测试用例编写。",
]


def calibrate(samples: int = 300) -> dict[str, list[dict[str, float]]]:
    """Precision of the nearest ESCO label as a link, by cosine threshold. English: ESCO
    alternative labels (their concept is known) against the preferred-label vectors; Chinese:
    the reviewed Chinese aliases that name an ESCO concept, embedded instead of looked up."""
    import random

    from knowledge.skills import Linker, taxonomy
    from knowledge.skills.taxonomy import DATA, _lines

    tax = taxonomy()
    random.seed(1)
    esco = ((r + [""] * 4)[:4] for r in _lines(DATA / "esco.tsv.gz"))
    english = [(alt, "esco:" + uuid) for uuid, _kind, label, alts in esco
               for alt in alts.split("|") if alt and alt.lower() != label.lower()]
    chinese = [(phrase, target) for phrase, target, *_ in _lines(DATA / "aliases_zh.tsv") if target.startswith("esco:")]
    out: dict[str, list[dict[str, float]]] = {}
    for language, pairs in (("en", random.sample(english, samples)), ("zh", chinese)):
        nearest = Linker(tax).nearest([p for p, _ in pairs])
        rows = [(score, cid == target) for (_, target), (cid, score) in zip(pairs, nearest, strict=True)]
        out[language] = []
        for threshold in (0.86, 0.88, 0.90, 0.92, 0.93, 0.94, 0.95, 0.96):
            kept = [ok for score, ok in rows if score >= threshold]
            out[language].append({"threshold": threshold, "linked": len(kept),
                                  "precision": round(sum(kept) / max(len(kept), 1), 3),
                                  "recall": round(sum(kept) / len(rows), 3)})
    return out


def concept_curve(path: Path, thresholds: tuple[float, ...] = (0.90, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97)
                  ) -> list[dict[str, object]]:
    """Concept P/R/F1 (span pairs and sentence sets, ``bench/skills_concepts.py``) of the whole
    extractor on a concept gold file, by the English embedding threshold: what the threshold in
    ``knowledge/skills/link.py`` is chosen from. Phrases are embedded once; each threshold re-links."""
    from bench.skills_extract import Scorer, read_jsonl
    from knowledge.skills import Extractor, Linker, taxonomy, to_json
    from knowledge.skills.link import THRESHOLDS

    records = read_jsonl(path)
    rows: list[dict[str, object]] = []
    for threshold in thresholds:
        extractor = Extractor(taxonomy(), Linker(taxonomy(), THRESHOLDS | {"en": threshold}))
        scorer = Scorer()
        for rec, found in zip(records, extractor.extract_many([r["text"] for r in records]), strict=True):
            scorer.add(rec, {"id": rec["id"], "skills": [to_json(skill) for skill in found.skills]})
        report = scorer.tallies["en"].report()
        rows.append({"threshold": threshold, "known_share": report["known_share"],
                     "span": report.get("concept_span"), "sentence": report.get("concept_sentence")})
    return rows


def speed(path: Path) -> dict[str, float]:
    """Sentences per second of extraction after start-up (taxonomy, vectors and model loaded on
    one warm-up line, the phrase cache then cleared), by the wall clock and by this process's
    CPU time (the second is what an idle two-core machine gives when others share it)."""
    import os

    from knowledge.skills import extractor
    from knowledge.skills.link import encoder

    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    t0 = time.perf_counter()
    extractor().extract(texts[0])
    startup = time.perf_counter() - t0
    encoder()._cache.clear()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    extractor().extract_many(texts)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {"sentences": len(texts), "startup_s": round(startup, 2), "wall_s": round(wall, 2),
            "per_s_wall": round(len(texts) / wall, 1), "cpu_s": round(cpu, 2),
            "per_cpu_s": round(len(texts) / cpu, 1), "load_average": round(os.getloadavg()[0], 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=OUT / "corpus-store")
    parser.add_argument("--calibrate", action="store_true", help="measure the linker's threshold instead")
    parser.add_argument("--speed", type=Path, help="measure extraction throughput on a JSONL file instead")
    parser.add_argument("--concept-curve", type=Path, help="concept F1 by English threshold on a concept gold file")
    args = parser.parse_args()
    if args.concept_curve:
        for row in concept_curve(args.concept_curve):
            print(json.dumps(row))
        return
    if args.speed:
        print(json.dumps(speed(args.speed)))
        return
    if args.calibrate:
        print(json.dumps(calibrate(), indent=1))
        return
    kb = KnowledgeBase(Settings(_env_file=None, data_dir=args.store))  # type: ignore[call-arg]
    match(kb, JOBS[0])  # warm up
    match_ms, gap_ms, profile_ms = [], [], []
    tops = []
    for job in JOBS:
        t0 = time.perf_counter()
        result = match(kb, job)
        match_ms.append((time.perf_counter() - t0) * 1000)
        tops.append(f"{job[:24]}… -> {result.majors[0].code} {result.majors[0].name} "
                    f"({result.majors[0].coverage:.0%})" if result.majors else f"{job[:24]}… -> none")
    requirements = {f"job{i}.txt": job for i, job in enumerate(JOBS)}
    for major in ("510202", "510204", "520201", "530302", "460104"):
        t0 = time.perf_counter()
        gap(kb, major, requirements)
        gap_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        profile(kb, major)
        profile_ms.append((time.perf_counter() - t0) * 1000)
    summary = {
        "match_p50_ms": round(percentile(match_ms, 50)), "match_p95_ms": round(percentile(match_ms, 95)),
        "gap_p50_ms": round(percentile(gap_ms, 50)), "profile_p50_ms": round(percentile(profile_ms, 50)),
        "peak_rss_mb": round(peak_rss_mb()), "top_matches": tops,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "skills.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(json.dumps(summary, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
