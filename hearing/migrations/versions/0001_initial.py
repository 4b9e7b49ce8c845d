"""The initial schema: users, sessions, cases, models, hearings, parties, record, workspaces, rulings, packs.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_users_username", "users", ["username"], unique=True)
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_sessions_token_sha256", "sessions", ["token_sha256"], unique=True)
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("document", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("sensitive", sa.String(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_cases_case_id", "cases", ["case_id"], unique=True)
    op.create_table(
        "models",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("card", sa.String(), nullable=False),
        sa.Column("registered_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "hearings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("model_id", sa.Integer(), sa.ForeignKey("models.id"), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "parties",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("hearing_id", sa.Integer(), sa.ForeignKey("hearings.id"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.UniqueConstraint("hearing_id", "user_id"),
    )
    op.create_table(
        "record_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("hearing_id", sa.Integer(), sa.ForeignKey("hearings.id"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("time", sa.String(40), nullable=False),
        sa.Column("party", sa.String(100), nullable=False),
        sa.Column("operation", sa.String(64), nullable=False),
        sa.Column("parameters", sa.String(), nullable=False),
        sa.Column("result", sa.String(), nullable=False),
        sa.Column("result_sha256", sa.String(64), nullable=False),
        sa.Column("model_sha256", sa.String(64), nullable=True),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("prev_sha256", sa.String(64), nullable=False),
        sa.Column("entry_sha256", sa.String(64), nullable=False),
        sa.UniqueConstraint("hearing_id", "seq"),
        sa.UniqueConstraint("hearing_id", "prev_sha256"),
    )
    op.create_index("ix_record_entries_hearing_id", "record_entries", ["hearing_id"])
    op.create_table(
        "workspace_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("hearing_id", sa.Integer(), sa.ForeignKey("hearings.id"), nullable=False),
        sa.Column("side", sa.String(32), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("time", sa.String(40), nullable=False),
        sa.Column("operation", sa.String(64), nullable=False),
        sa.Column("parameters", sa.String(), nullable=False),
        sa.Column("result", sa.String(), nullable=False),
    )
    op.create_index("ix_workspace_entries_hearing_id", "workspace_entries", ["hearing_id"])
    op.create_table(
        "rulings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("hearing_id", sa.Integer(), sa.ForeignKey("hearings.id"), nullable=False, unique=True),
        sa.Column("judge_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("system_suggestion_months", sa.Float(), nullable=False),
        sa.Column("guideline_months", sa.Float(), nullable=False),
        sa.Column("weighed_liability", sa.String(), nullable=False),
        sa.Column("weighed_prevention", sa.String(), nullable=False),
        sa.Column("particulars", sa.String(), nullable=False),
        sa.Column("adopted_months", sa.Float(), nullable=False),
        sa.Column("departure_reasons", sa.String(), nullable=False),
        sa.Column("record_head_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "packs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("hearing_id", sa.Integer(), sa.ForeignKey("hearings.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("hearing_id", "version"),
    )


def downgrade() -> None:
    for table in ("packs", "rulings", "workspace_entries", "record_entries", "parties", "hearings", "models",
                  "cases", "sessions", "users"):  # fmt: skip
        op.drop_table(table)
