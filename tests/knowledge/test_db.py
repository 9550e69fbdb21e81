"""Schema migrations run on SQLite and PostgreSQL; URLs are mapped and hidden properly."""

from __future__ import annotations

from sqlalchemy import inspect

from knowledge.config import Settings
from knowledge.store.db import Database, safe_url


def test_migrations_create_every_table(database_url: str) -> None:
    db = Database(Settings(_env_file=None, database_url=database_url).store.sql_url)  # type: ignore[call-arg]
    tables = set(inspect(db.engine).get_table_names())
    assert {"documents", "chunks", "store_meta", "upsertion_record", "alembic_version"} <= tables
    Database(db.url).dispose()  # a second open is a no-op upgrade
    with db.session() as s:
        db.bump_revision(s)
    assert db.revision() == "1"
    db.dispose()


def test_plain_postgresql_url_is_mapped_to_the_installed_driver() -> None:
    s = Settings(_env_file=None, database_url="postgresql://bob@db.example/careers")  # type: ignore[call-arg]
    assert s.store.sql_url == "postgresql+psycopg://bob@db.example/careers"


def test_default_database_lives_in_the_data_dir(tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert s.store.sql_url == f"sqlite:///{tmp_path / 'careerbot.db'}"


def test_passwords_are_hidden_in_messages() -> None:
    assert "hunter2" not in safe_url("postgresql://bob:hunter2@db/careers")


def test_upgrade_from_the_first_schema_keeps_data(database_url: str) -> None:
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from knowledge.store.db import MIGRATIONS, make_engine

    url = Settings(_env_file=None, database_url=database_url).store.sql_url  # type: ignore[call-arg]
    engine = make_engine(url)
    cfg = Config(str(MIGRATIONS / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO documents (id, path, root, source, doc_type, content_hash, "
                          "title, language, encoding, size_bytes, chunk_count, ingested_at) VALUES "
                          "('d1', '/x', '/', 'x.md', 'course', 'h', 'T', 'en', 'utf-8', 1, 0, "
                          "CURRENT_TIMESTAMP)"))
    db = Database(url)  # upgrades to head
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT source FROM documents")).scalar() == "x.md"
        head = ScriptDirectory.from_config(cfg).get_current_head()
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert "documents" not in set(inspect(db.engine).get_table_names())
    db.dispose()
    engine.dispose()
