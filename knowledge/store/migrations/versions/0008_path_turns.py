"""A student's path answer in the chat: its subject (major, target, the postings listed) and
how far the student has paged through the postings, so the answer's buttons ("see the plan",
"next posting") work on any bot worker.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "path_turns",
        sa.Column("turn_id", sa.Integer(), sa.ForeignKey("turns.id", ondelete="CASCADE"),
                  primary_key=True, autoincrement=False),
        sa.Column("major", sa.String(200), nullable=False),
        sa.Column("target", sa.Text(), nullable=False, server_default=""),
        sa.Column("postings", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("shown", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("language", sa.String(8), nullable=False, server_default="en"),
    )


def downgrade() -> None:
    op.drop_table("path_turns")
