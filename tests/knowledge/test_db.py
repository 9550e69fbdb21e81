"""Schema migrations run on SQLite and PostgreSQL; URLs are mapped and hidden properly."""

from __future__ import annotations

from sqlalchemy import inspect

from knowledge.db import Database, safe_url
from knowledge.settings import Settings


def test_migrations_create_every_table(database_url: str) -> None:
    db = Database(Settings(_env_file=None, database_url=database_url).sql_url)  # type: ignore[call-arg]
    tables = set(inspect(db.engine).get_table_names())
    assert {"documents", "chunks", "store_meta", "upsertion_record", "alembic_version"} <= tables
    Database(db.url).dispose()  # a second open is a no-op upgrade
    with db.session() as s:
        db.bump_revision(s)
    assert db.revision() == "1"
    db.dispose()


def test_plain_postgresql_url_is_mapped_to_the_installed_driver() -> None:
    s = Settings(_env_file=None, database_url="postgresql://bob@db.example/careers")  # type: ignore[call-arg]
    assert s.sql_url == "postgresql+psycopg://bob@db.example/careers"


def test_default_database_lives_in_the_data_dir(tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert s.sql_url == f"sqlite:///{tmp_path / 'careerbot.db'}"


def test_passwords_are_hidden_in_messages() -> None:
    assert "hunter2" not in safe_url("postgresql://bob:hunter2@db/careers")
