"""Does the fitting posting rank first? `skills internships` for 18 majors over the whole corpus
plus the postings of eval/postings (written for this check: neutral file names, no front matter,
Chinese and English, .md/.txt/.docx), and how long `path` and `internships` take after start-up.

    python -m bench.ingest_corpus          # once: the corpus store in bench/out/corpus-store
    python -m bench.path_ranking           # copies it, ingests eval/postings, ranks

Prints one line per major and a JSON summary; the copy lands in bench/out/path-store.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import time
from pathlib import Path

from bench.common import OUT, ROOT
from ingest.pipeline import Ingestor
from knowledge.config import Settings
from knowledge.skills import to_json
from knowledge.skills.internships import internships
from knowledge.skills.path import path
from knowledge.store.base import KnowledgeBase

POSTINGS = ROOT / "eval" / "postings"
NURSING = {"posting1.md", "role.md", "list1.md#护理实习生", "list2.md#Ward Nursing Intern"}
MACHINING = {"岗位A.txt", "list1.md#数控加工实习生", "list2.md#CNC Machining Intern"}
MEDIA = {"job.docx", "媒体.docx", "list1.md#三维动画实习生"}
DATA = {"2027 春季.md", "list1.md#数据分析实习生"}
# major (code, name or English name) -> the postings written for it
CASES: list[tuple[str, set[str]]] = [
    ("护理", NURSING), ("520201", NURSING), ("Nursing", NURSING),
    ("机械制造及自动化", MACHINING), ("460104", MACHINING),
    ("数字媒体技术", MEDIA), ("510204", MEDIA),
    ("软件技术", {"notice.txt"}),
    ("大数据与会计", {"文档3.md"}), ("会计信息管理", {"文档3.md"}),
    ("电子商务", {"posting7.md"}), ("跨境电子商务", {"posting7.md"}),
    ("电气自动化技术", {"job2.md"}), ("现代物流管理", {"岗位B.md"}),
    ("酒店管理与数字化运营", {"文件.docx"}), ("新能源汽车技术", {"需求.txt"}),
    ("商务数据分析与应用", DATA), ("710205", DATA),
]
JOB = "数据分析师：熟悉 SQL 和 Python，会用 Power BI 做数据可视化，具备统计学基础。"


def _fits(posting: dict[str, object], wanted: set[str]) -> bool:
    name = Path(str(posting["source"])).name
    return name in wanted or f"{name}#{posting['title']}" in wanted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=OUT / "corpus-store")
    parser.add_argument("--store", type=Path, default=OUT / "path-store")
    args = parser.parse_args()
    if not args.source.exists():
        raise SystemExit(f"{args.source} is missing: run `python -m bench.ingest_corpus` first")
    shutil.rmtree(args.store, ignore_errors=True)
    shutil.copytree(args.source, args.store)
    kb = KnowledgeBase(Settings(data_dir=args.store))
    report = Ingestor(kb).run([POSTINGS])
    types = {Path(r.source).name: r.doc_type for r in report.results if r.status != "skipped"}

    started = time.perf_counter()
    path(kb, "软件技术", job_text=JOB)
    internships(kb, "护理")
    startup = time.perf_counter() - started

    first, times = 0, []
    for major, wanted in CASES:
        t = time.perf_counter()
        found = internships(kb, major, top=3)
        times.append(time.perf_counter() - t)
        ranked = to_json(found)["postings"]
        hit = bool(ranked) and _fits(ranked[0], wanted)
        first += hit
        top = " | ".join(f"{p['coverage']:.2f} {Path(str(p['source'])).name}#{p['title']}" for p in ranked)
        print(f"{'first' if hit else 'MISS '} {major}: {top}")
    path_times = []
    for major in ("软件技术", "护理", "机械制造及自动化", "数字媒体技术", "大数据工程技术"):
        t = time.perf_counter()
        path(kb, major, job_text=f"Data analyst for {major}: SQL, Python, Tableau.")
        path_times.append(time.perf_counter() - t)
    software = path(kb, "软件技术", job_text=JOB)
    print(json.dumps({
        "failed": [r.source for r in report.failed], "types": types,
        "fitting_first": f"{first}/{len(CASES)}",
        "startup_s": round(startup, 2),
        "internships_s": {"median": round(statistics.median(times), 3), "max": round(max(times), 3)},
        "path_s": {"median": round(statistics.median(path_times), 3), "max": round(max(path_times), 3)},
        "software_to_data_analyst": {"have": len(software.have), "missing": len(software.missing),
                                     "missing_with_a_place": sum(1 for s in software.missing if s.learn)},
    }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
