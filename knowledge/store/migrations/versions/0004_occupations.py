"""Occupations, major-to-occupation links (crosswalks), enterprise requirements, skill terms.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _document() -> sa.Column[str]:
    return sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"),
                     nullable=False)


def upgrade() -> None:
    op.create_table(
        "occupations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _document(),
        sa.Column("system", sa.String(16), nullable=False, server_default=""),
        sa.Column("code", sa.String(32), nullable=False, server_default=""),
        sa.Column("name", sa.Text(), nullable=False, server_default=""),
        sa.Column("skills_text", sa.Text(), nullable=False, server_default=""),
        sa.Column("locator", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("ix_occupations_document_id", "occupations", ["document_id"])
    op.create_index("ix_occupations_code", "occupations", ["code"])
    op.create_table(
        "major_occupations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _document(),
        sa.Column("major_code", sa.String(32), nullable=False),
        sa.Column("major_name", sa.Text(), nullable=False, server_default=""),
        sa.Column("occupation_code", sa.String(32), nullable=False, server_default=""),
        sa.Column("occupation_name", sa.Text(), nullable=False, server_default=""),
        sa.Column("locator", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("ix_major_occupations_document_id", "major_occupations", ["document_id"])
    op.create_index("ix_major_occupations_major_code", "major_occupations", ["major_code"])
    op.create_table(
        "requirements",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _document(),
        sa.Column("company", sa.Text(), nullable=False, server_default=""),
        sa.Column("role", sa.Text(), nullable=False, server_default=""),
        sa.Column("qualifications", sa.Text(), nullable=False, server_default=""),
        sa.Column("locator", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("ix_requirements_document_id", "requirements", ["document_id"])
    op.create_table(
        "skill_terms",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _document(),
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("skill_id", sa.String(120), nullable=False),
    )
    op.create_index("ix_skill_terms_document_id", "skill_terms", ["document_id"])
    op.create_index("ix_skill_terms_skill_id", "skill_terms", ["skill_id"])


def downgrade() -> None:
    op.drop_table("skill_terms")
    op.drop_table("requirements")
    op.drop_table("major_occupations")
    op.drop_table("occupations")
