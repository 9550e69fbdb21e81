"""Ingestion as background jobs on a Redis queue (RQ), when CAREERBOT_REDIS_URL is set.

Jobs are idempotent because ingest is (content hashes decide what is embedded), so a retried
or duplicated job costs little and leaves the same store. A worker builds its settings from
its own environment, like every other careerbot process.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

from ingest.pipeline import Ingestor
from knowledge.config import Settings
from knowledge.errors import ConfigError, StoreUnavailableError
from knowledge.schema import DocType
from knowledge.store.base import KnowledgeBase
from knowledge.store.db import safe_url

RETRIES = 3


def _queue(settings: Settings) -> Any:
    if not settings.queue.redis_url:
        raise ConfigError("CAREERBOT_REDIS_URL is not set: ingestion runs inline")
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue

    try:
        connection = Redis.from_url(settings.queue.redis_url)
        connection.ping()
    except RedisError as exc:
        raise StoreUnavailableError(f"cannot reach Redis at {safe_url(settings.queue.redis_url)}: {exc}") from exc
    return Queue(settings.queue.queue_name, connection=connection)


# -- what workers run ----------------------------------------------------------------


def ingest_paths_job(paths: list[str], doc_type: str | None, full: bool) -> dict[str, Any]:
    kb = KnowledgeBase(Settings())
    try:
        report = Ingestor(kb, doc_type=DocType.parse(doc_type) if doc_type else None,
                          full=full).run([Path(p) for p in paths])
        return report.as_json()
    finally:
        kb.close()


def ingest_upload_job(data: bytes, name: str, key: str, doc_type: str | None) -> dict[str, Any]:
    kb = KnowledgeBase(Settings())
    try:
        result = Ingestor(kb).ingest_bytes(data, name, key=key,
                                           doc_type=DocType.parse(doc_type) if doc_type else None)
        return {"source": result.source, "status": result.status, "doc_type": result.doc_type,
                "chunks": result.chunks_added, "error": result.error}
    finally:
        kb.close()


# -- what front ends call ---------------------------------------------------------------


def enqueue_paths(settings: Settings, paths: list[Path], doc_type: str | None, full: bool) -> str:
    """Queue an ingest of ``paths``; the same request while still queued is the same job."""
    from rq import Retry

    resolved = [str(p.expanduser().resolve()) for p in paths]
    job_id = "ingest-" + hashlib.sha256(repr((resolved, doc_type, full)).encode()).hexdigest()[:16]
    queue = _queue(settings)
    if _pending(queue, job_id):
        return job_id
    job = queue.enqueue(ingest_paths_job, resolved, doc_type, full, job_id=job_id,
                                   retry=Retry(max=RETRIES, interval=[5, 30, 120]),
                                   job_timeout=3600, result_ttl=7 * 86400, failure_ttl=7 * 86400)
    return str(job.id)


def enqueue_upload(settings: Settings, data: bytes, name: str, key: str, doc_type: str | None) -> str:
    from rq import Retry

    job_id = "upload-" + hashlib.sha256(key.encode() + data).hexdigest()[:16]
    queue = _queue(settings)
    if _pending(queue, job_id):
        return job_id
    job = queue.enqueue(ingest_upload_job, data, name, key, doc_type, job_id=job_id,
                                   retry=Retry(max=RETRIES, interval=[5, 30, 120]),
                                   job_timeout=600, result_ttl=7 * 86400, failure_ttl=7 * 86400)
    return str(job.id)


def _pending(queue: Any, job_id: str) -> bool:
    """A job with this id is waiting or running: enqueueing it again would run it twice."""
    job = queue.fetch_job(job_id)
    return job is not None and _state(job) in ("queued", "started", "deferred", "scheduled")


def _state(job: Any) -> str:
    status = job.get_status()
    return str(getattr(status, "value", status))


def jobs(settings: Settings, limit: int = 50) -> list[dict[str, Any]]:
    """Recent jobs with their state: queued, started, finished or failed."""
    from rq.job import Job

    queue = _queue(settings)
    ids: list[tuple[str, str]] = [(job_id, "queued") for job_id in queue.job_ids]
    for state, registry in (("started", queue.started_job_registry),
                            ("finished", queue.finished_job_registry),
                            ("failed", queue.failed_job_registry)):
        ids.extend((job_id, state) for job_id in registry.get_job_ids())
    out = []
    for job in Job.fetch_many([i for i, _ in ids], connection=queue.connection):
        if job is None:
            continue
        state = _state(job)
        result = job.return_value() if state == "finished" else None
        out.append({
            "id": job.id, "state": state,
            "enqueued_at": _iso(job.enqueued_at), "ended_at": _iso(job.ended_at),
            "result": result, "error": _error(job) if state == "failed" else None,
            "retries_left": job.retries_left,
        })
    out.sort(key=lambda j: j["enqueued_at"] or "", reverse=True)
    return out[:limit]


def counts(settings: Settings) -> dict[str, int]:
    queue = _queue(settings)
    return {"queued": len(queue), "started": len(queue.started_job_registry),
            "finished": len(queue.finished_job_registry), "failed": len(queue.failed_job_registry)}


def work(settings: Settings, burst: bool = False, fork: bool = True) -> None:
    """Run a worker on the ingest queue until stopped (or, with ``burst``, until it is empty)."""
    from rq import SimpleWorker, Worker

    queue = _queue(settings)
    worker_class = Worker if fork else SimpleWorker
    worker_class([queue], connection=queue.connection).work(burst=burst)


def _error(job: Any) -> str | None:
    latest = job.latest_result()
    text = (getattr(latest, "exc_string", "") or "").strip()
    return text.splitlines()[-1] if text else None


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None
