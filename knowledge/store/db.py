"""SQL engine, sessions and schema migrations (Alembic, run on open)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from knowledge.errors import ConfigError, StoreUnavailableError
from knowledge.store.models import StoreMeta

MIGRATIONS = Path(__file__).parent / "migrations"


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable database URL>"


_OUTAGE = ("could not connect", "connection", "server closed", "terminating", "timeout",
           "database is locked", "unable to open", "disk i/o", "read-only", "readonly", "no space",
           "disk is full")


def is_outage(exc: OperationalError) -> bool:
    """True when the database is unreachable or unwritable, not when a query is wrong."""
    text = str(exc.orig).lower()
    return bool(exc.connection_invalidated) or any(word in text for word in _OUTAGE)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder, foreign keys and WAL."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise ConfigError(f"CAREERBOT_DATABASE_URL is not a valid SQLAlchemy URL: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except Exception as exc:
        raise ConfigError(f"cannot use database {safe_url(url)}: {exc}") from exc


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration."""
    cfg = Config(str(MIGRATIONS / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Several workers may start at once on an empty database: one migrates, the
                # others wait for it and then find nothing to do.
                conn.execute(text("SELECT pg_advisory_xact_lock(7272741)"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise StoreUnavailableError(
            f"cannot reach the database {safe_url(str(engine.url))}: {exc.orig}"
        ) from exc


class Database:
    """The engine plus a session factory; schema is migrated on open."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            if not is_outage(exc):
                raise  # a bug (e.g. schema), not an outage: let it reach the error handler
            raise StoreUnavailableError(
                f"the database {safe_url(self.url)} is unavailable: {exc.orig}"
            ) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def revision(self) -> str:
        with self.session() as s:
            row = s.get(StoreMeta, "revision")
            return row.value if row else "0"

    def bump_revision(self, session: Session) -> None:
        """Mark the store changed so keyword indexes in other processes rebuild."""
        row = session.get(StoreMeta, "revision")
        if row is None:
            session.add(StoreMeta(key="revision", value="1"))
        else:
            row.value = str(int(row.value) + 1)

    def dispose(self) -> None:
        self.engine.dispose()
