"""Entities filled during ingest: majors, training-plan items, courses, requirement snapshots.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _document() -> sa.Column[str]:
    return sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"),
                     nullable=False)


def upgrade() -> None:
    op.create_table(
        "majors",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _document(),
        sa.Column("code", sa.String(32), nullable=False, server_default=""),
        sa.Column("name", sa.Text(), nullable=False, server_default=""),
        sa.Column("level", sa.Text(), nullable=False, server_default=""),
        sa.Column("category", sa.Text(), nullable=False, server_default=""),
        sa.Column("status", sa.String(16), nullable=False, server_default=""),
        sa.Column("locator", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("ix_majors_document_id", "majors", ["document_id"])
    op.create_index("ix_majors_code", "majors", ["code"])
    op.create_table(
        "plan_items",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _document(),
        sa.Column("major_code", sa.String(32), nullable=False, server_default=""),
        sa.Column("major_name", sa.Text(), nullable=False, server_default=""),
        sa.Column("group", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("locator", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("ix_plan_items_document_id", "plan_items", ["document_id"])
    op.create_index("ix_plan_items_major_code", "plan_items", ["major_code"])
    op.create_table(
        "courses",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _document(),
        sa.Column("code", sa.String(32), nullable=False, server_default=""),
        sa.Column("title", sa.Text(), nullable=False, server_default=""),
        sa.Column("credits", sa.String(16), nullable=False, server_default=""),
        sa.Column("prerequisites", sa.Text(), nullable=False, server_default=""),
        sa.Column("description", sa.Text(), nullable=False, server_default=""),
        sa.Column("locator", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("ix_courses_document_id", "courses", ["document_id"])
    op.create_index("ix_courses_code", "courses", ["code"])
    op.create_table(
        "requirement_snapshots",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _document(),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("skills", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_requirement_snapshots_document_id", "requirement_snapshots", ["document_id"])


def downgrade() -> None:
    op.drop_table("requirement_snapshots")
    op.drop_table("courses")
    op.drop_table("plan_items")
    op.drop_table("majors")
