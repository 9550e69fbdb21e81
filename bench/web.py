"""Web console latency on a real server: ``careerbot web`` on 127.0.0.1 over an ingested
store, timed from the client (HTTP included), for a major's page and a job match.

    CAREERBOT_DATA_DIR=/tmp/kb_web .venv/bin/careerbot ingest ../shared/corpus
    CAREERBOT_DATA_DIR=/tmp/kb_web .venv/bin/python -m bench.web --workers 2 --clients 2
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench.common import percentile

JOBS = [
    "数据分析师：熟悉 SQL 和 Python，会用 Power BI 或 Tableau 做数据可视化，了解统计分析。",
    "Front-end developer: JavaScript, TypeScript, React, CSS, user interface design, Git.",
    "护士：具备基础护理、急救技能，持有护士执业资格证书，良好的沟通能力。",
    "Network engineer: Linux administration, TCP/IP, routers and switches, network security, Python scripting.",
    "会计：熟练使用财务软件，掌握成本核算、税务申报和财务报表分析，持初级会计证。",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _timed(client: httpx.Client, method: str, url: str, **kwargs: object) -> float:
    start = time.perf_counter()
    response = client.request(method, url, **kwargs)  # type: ignore[arg-type]
    elapsed = (time.perf_counter() - start) * 1000
    response.raise_for_status()
    return elapsed


def _run(base: str, clients: int, jobs: list[tuple[str, str, dict[str, object]]]) -> list[float]:
    with httpx.Client(base_url=base, timeout=60) as client, ThreadPoolExecutor(clients) as pool:
        return list(pool.map(lambda job: _timed(client, job[0], job[1], **job[2]), jobs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=2, help="requests in flight at once")
    parser.add_argument("--pages", type=int, default=300, help="major pages to fetch")
    parser.add_argument("--matches", type=int, default=60, help="matches to post")
    args = parser.parse_args()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    exe = str(Path(sys.executable).with_name("careerbot"))
    server = subprocess.Popen([exe, "web", "--host", "127.0.0.1", "--port", str(port),
                               "--workers", str(args.workers), "--anonymous-per-minute", "100000"],
                              env=os.environ.copy(), stdout=subprocess.DEVNULL)
    try:
        started = time.perf_counter()
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.perf_counter() - started > 300:
                raise SystemExit("the web server did not start")
            time.sleep(0.3)
        startup = time.perf_counter() - started
        majors = httpx.get(f"{base}/api/majors", params={"plans": "true", "limit": 500}, timeout=60).json()
        codes = [m["code"] for m in majors["items"] if m["code"]]
        # Warm every worker (caches are per process) before timing.
        _run(base, args.workers * 2, [("GET", f"/majors/{c}", {}) for c in codes[: args.workers * 4]]
             + [("POST", "/match", {"data": {"text": j}}) for j in JOBS] * args.workers)
        pages = _run(base, args.clients, [("GET", f"/majors/{codes[i % len(codes)]}", {})
                                          for i in range(args.pages)])
        matches = _run(base, args.clients, [("POST", "/match", {"data": {"text": JOBS[i % len(JOBS)]}})
                                            for i in range(args.matches)])
        stats = httpx.get(f"{base}/api/majors", timeout=60).json()["total"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = {
        "workers": args.workers, "clients": args.clients, "majors_with_plan": len(codes),
        "majors_total": stats, "startup_s": round(startup, 1),
        "major_page_ms": {"n": len(pages), "p50": round(percentile(pages, 50), 1),
                          "p95": round(percentile(pages, 95), 1), "max": round(max(pages), 1)},
        "match_ms": {"n": len(matches), "p50": round(percentile(matches, 50), 1),
                     "p95": round(percentile(matches, 95), 1), "max": round(max(matches), 1)},
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
