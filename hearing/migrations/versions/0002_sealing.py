"""Sealing: users' sealing keys, the court's certificate authority, and the docket of sealed packs.

The ``packs`` table of 0001 was a placeholder never written to (no pack could be sealed before
this revision); it is replaced by the full docket.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sealing_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("public_pem", sa.String(), nullable=False),
        sa.Column("encrypted_private_key", sa.String(), nullable=False),
        sa.Column("certificate_pem", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_sealing_keys_user_id", "sealing_keys", ["user_id"])
    op.create_index("ix_sealing_keys_fingerprint", "sealing_keys", ["fingerprint"], unique=True)
    op.create_table(
        "court_authorities",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("certificate_pem", sa.String(), nullable=False),
        sa.Column("encrypted_private_key", sa.String(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.drop_table("packs")
    op.create_table(
        "packs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("hearing_id", sa.Integer(), sa.ForeignKey("hearings.id"), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("supersedes", sa.String(64), nullable=True),
        sa.Column("record_head_sha256", sa.String(64), nullable=False),
        sa.Column("record_length", sa.Integer(), nullable=False),
        sa.Column("sealed_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("key_fingerprint", sa.String(64), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("hearing_id", "version"),
    )
    op.create_index("ix_packs_hearing_id", "packs", ["hearing_id"])
    op.create_index("ix_packs_digest", "packs", ["digest"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_packs_digest", "packs")
    op.drop_index("ix_packs_hearing_id", "packs")
    op.drop_table("packs")
    op.create_table(
        "packs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("hearing_id", sa.Integer(), sa.ForeignKey("hearings.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("hearing_id", "version"),
    )
    op.drop_table("court_authorities")
    op.drop_index("ix_sealing_keys_fingerprint", "sealing_keys")
    op.drop_index("ix_sealing_keys_user_id", "sealing_keys")
    op.drop_table("sealing_keys")
