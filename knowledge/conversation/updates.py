"""Update de-duplication: Telegram redelivers an update it thinks was lost, and with several
webhook workers the copy may reach another process, so update ids are claimed in SQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from knowledge.store.db import Database
from knowledge.store.models import ProcessedUpdate, utcnow

KEEP = timedelta(days=1)


def claim_update(db: Database, update_id: int) -> bool:
    """True for the first worker to see ``update_id``; False for a redelivery."""
    try:
        with db.session() as s:
            s.add(ProcessedUpdate(update_id=update_id))
    except IntegrityError:
        return False
    if update_id % 500 == 0:  # now and then, forget ids older than a day
        with db.session() as s:
            s.execute(delete(ProcessedUpdate).where(ProcessedUpdate.received_at < utcnow() - KEEP))
    return True
