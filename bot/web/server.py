"""Running the console under uvicorn: one process, or several workers that each build the
app through ``app_from_environment`` (the options of ``careerbot web`` reach them by the
environment, the one channel a worker process inherits)."""

from __future__ import annotations

import json
import os

from bot.web.app import OPTIONS_ENV
from bot.web.deps import WebOptions
from knowledge.config import Settings


def serve(settings: Settings, *, host: str, port: int, workers: int = 1,
          options: WebOptions | None = None, forwarded_allow_ips: str | None = None) -> None:
    """Serve until interrupted."""
    import dataclasses

    import uvicorn

    os.environ[OPTIONS_ENV] = json.dumps(dataclasses.asdict(options or WebOptions()))
    os.environ["CAREERBOT_DATA_DIR"] = str(settings.store.data_dir)
    uvicorn.run("bot.web.app:app_from_environment", factory=True, host=host, port=port,
                workers=workers, proxy_headers=forwarded_allow_ips is not None,
                forwarded_allow_ips=forwarded_allow_ips, log_level="warning", access_log=False)
