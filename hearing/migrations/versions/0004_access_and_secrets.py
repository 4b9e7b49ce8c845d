"""Access: log-in attempts (throttling and lock-out), the audit log, the court's approval of sealing keys,
and sensitive case fields encrypted at rest.

- ``login_attempts``: one row per attempt (user name as typed, where from, when, outcome), which the
  throttle counts; ``audit_entries``: what the court must be able to read back (lock-outs, users
  created, keys approved).
- ``sealing_keys.approved_at`` / ``approved_by``: a key becomes a sealer's key only when the court
  (its technologist) approves it; existing keys were usable before, so they count as approved when
  they were created.
- ``cases.sensitive``: existing plaintext values are encrypted with the store's field key (kept
  outside the store, see ``hearing.security.store_field_key``).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("time", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
    )
    op.create_index("ix_login_attempts_username_time", "login_attempts", ["username", "time"])
    op.create_index("ix_login_attempts_source_time", "login_attempts", ["source", "time"])
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("time", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
    )
    with op.batch_alter_table("sealing_keys") as batch:
        batch.add_column(sa.Column("approved_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("approved_by", sa.Integer(), nullable=True))
    connection = op.get_bind()
    connection.execute(sa.text("UPDATE sealing_keys SET approved_at = created_at"))
    rows = connection.execute(sa.text("SELECT id, case_id, sensitive FROM cases")).all()
    plaintext = [row for row in rows if not str(row.sensitive).startswith("v1$")]
    if plaintext:
        from hearing.security import encrypt_field

        key = _field_key()
        for row in plaintext:
            sealed = encrypt_field(key, str(row.sensitive), f"cases.sensitive:{row.case_id}")
            connection.execute(sa.text("UPDATE cases SET sensitive = :value WHERE id = :id"),
                               {"value": sealed, "id": row.id})  # fmt: skip


def _field_key() -> bytes:
    """The store's field key, given to ``migrate`` by its caller (the settings' key file): never guessed here."""
    key = context.config.attributes.get("field_key")
    if not isinstance(key, bytes):
        from sentencing.errors import ConfigurationError

        raise ConfigurationError("the store's field key", "this store holds sensitive fields to encrypt or decrypt: "
                                 "migrate it with the store's field key")  # fmt: skip
    return key


def downgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, case_id, sensitive FROM cases")).all()
    if rows:
        from hearing.security import decrypt_field

        key = _field_key()
        for row in rows:
            if str(row.sensitive).startswith("v1$"):
                plain = decrypt_field(key, str(row.sensitive), f"cases.sensitive:{row.case_id}")
                connection.execute(sa.text("UPDATE cases SET sensitive = :value WHERE id = :id"),
                                   {"value": plain, "id": row.id})  # fmt: skip
    with op.batch_alter_table("sealing_keys") as batch:
        batch.drop_column("approved_by")
        batch.drop_column("approved_at")
    op.drop_table("audit_entries")
    op.drop_index("ix_login_attempts_source_time", "login_attempts")
    op.drop_index("ix_login_attempts_username_time", "login_attempts")
    op.drop_table("login_attempts")
