"""Ingest the whole shared corpus into a fresh store and report wall time, chunks/s, peak
memory and the ratio to the embedding model's raw throughput on the same texts.

    python bench/ingest_corpus.py [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from pathlib import Path

from bench.common import CORPUS, OUT, peak_rss_mb
from ingest.pipeline import Ingestor
from knowledge.config import Settings
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import ChunkRow


def raw_model_rate(kb: KnowledgeBase, sample: int = 400) -> float:
    """Chunks/s of the embedding model alone, on chunks of this corpus as they are embedded."""
    from ingest.chunking import embedding_text
    from knowledge.schema import Chunk, DocType

    with kb.db.session() as s:
        rows = s.query(ChunkRow.header, ChunkRow.text).all()
    random.Random(7).shuffle(rows)
    texts = [embedding_text(Chunk("x", 0, h, t, "", DocType.OTHER, "", "", "")) for h, t in rows[:sample]]
    started = time.perf_counter()
    for i in range(0, len(texts), 64):
        kb.embeddings.embed_documents(texts[i:i + 64])
    return len(texts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=OUT / "corpus-store")
    args = parser.parse_args()
    shutil.rmtree(args.data_dir, ignore_errors=True)
    kb = KnowledgeBase(Settings(_env_file=None, data_dir=args.data_dir))  # type: ignore[call-arg]
    started = time.perf_counter()
    report = Ingestor(kb).run([CORPUS])
    wall = time.perf_counter() - started
    stats = kb.stats()
    rate = report.chunks_added / wall
    model = raw_model_rate(kb)
    result = {
        "files_new": report.count("new"), "failed": report.count("failed"),
        "skipped": report.count("skipped"), "documents": stats["documents"],
        "chunks": stats["chunks"], "wall_s": round(wall, 1), "chunks_per_s": round(rate, 1),
        "model_chunks_per_s": round(model, 1), "pipeline_vs_model": round(rate / model, 2),
        "peak_rss_mb": round(peak_rss_mb()), "types": stats["types"],
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "ingest_corpus.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
