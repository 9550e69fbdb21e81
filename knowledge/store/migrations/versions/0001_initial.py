"""Documents registry, chunks, store meta and LangChain's record-manager table.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("root", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("doc_type", sa.String(32), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False, server_default=""),
        sa.Column("language", sa.String(8), nullable=False, server_default=""),
        sa.Column("encoding", sa.String(32), nullable=False, server_default=""),
        sa.Column("size_bytes", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("chunk_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_documents_root", "documents", ["root"])
    op.create_index("ix_documents_doc_type", "documents", ["doc_type"])
    op.create_table(
        "chunks",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("document_id", sa.String(64),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("header", sa.Text(), nullable=False, server_default=""),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("locator", sa.Text(), nullable=False, server_default=""),
        sa.Column("entity", sa.Text(), nullable=False, server_default=""),
        sa.Column("doc_type", sa.String(32), nullable=False),
        sa.Column("language", sa.String(8), nullable=False, server_default=""),
        sa.Column("tokens", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("ix_chunks_document_id", "chunks", ["document_id"])
    op.create_index("ix_chunks_doc_type", "chunks", ["doc_type"])
    op.create_index("ix_chunks_document_ordinal", "chunks", ["document_id", "ordinal"])
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    # The table LangChain's SQLRecordManager (indexing API) keeps; created here so that
    # Alembic owns every table. Mirrors langchain's UpsertionRecord model.
    op.create_table(
        "upsertion_record",
        sa.Column("uuid", sa.String(), primary_key=True),
        sa.Column("key", sa.String()),
        sa.Column("namespace", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=True),
        sa.Column("updated_at", sa.Float()),
        sa.UniqueConstraint("key", "namespace", name="uix_key_namespace"),
    )
    op.create_index("ix_upsertion_record_uuid", "upsertion_record", ["uuid"])
    op.create_index("ix_upsertion_record_key", "upsertion_record", ["key"])
    op.create_index("ix_upsertion_record_namespace", "upsertion_record", ["namespace"])
    op.create_index("ix_upsertion_record_group_id", "upsertion_record", ["group_id"])
    op.create_index("ix_upsertion_record_updated_at", "upsertion_record", ["updated_at"])
    op.create_index("ix_key_namespace", "upsertion_record", ["key", "namespace"])


def downgrade() -> None:
    op.drop_table("upsertion_record")
    op.drop_table("store_meta")
    op.drop_table("chunks")
    op.drop_table("documents")
