"""A hearing on the guideline alone (issue 19): ``hearings.model_id`` may be empty.

法发〔2022〕33号 art. 5 lets a defendant refuse the assistance of artificial intelligence, and a court may hear a case
with no algorithm at all; such a hearing has no model. Only the NOT NULL constraint goes (the foreign key stays).

PostgreSQL drops the constraint in place. SQLite cannot alter a column, and a batch copy of ``hearings`` would break
the foreign keys of the parties, record entries, rulings and packs that refer to it (the store runs with
``PRAGMA foreign_keys=ON``, which cannot be turned off inside the migration's transaction); so on SQLite the table's
recorded definition is edited in place, as SQLite's own documentation prescribes for removing a NOT NULL constraint
(https://www.sqlite.org/lang_altertable.html, "making other kinds of table schema changes"), and the file's
integrity is checked before the transaction commits.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_NOT_NULL = re.compile(r"(\bmodel_id\s+INTEGER)\s+NOT\s+NULL", re.IGNORECASE)
_NULLABLE = re.compile(r"(\bmodel_id\s+INTEGER)(?!\s+NOT\s+NULL)", re.IGNORECASE)


def _sqlite_definition(connection: sa.Connection, pattern: re.Pattern[str], replacement: str) -> None:
    sql = connection.execute(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'hearings'")
                             ).scalar_one()  # fmt: skip
    changed, count = pattern.subn(replacement, sql)
    if count != 1:
        raise RuntimeError("hearings: the model_id column's definition is not the one this migration expects; "
                           "nothing was changed")  # fmt: skip
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar_one()
    connection.exec_driver_sql("PRAGMA writable_schema=ON")
    try:
        connection.execute(sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = 'hearings'"),
                           {"sql": changed})  # fmt: skip
        connection.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    finally:
        connection.exec_driver_sql("PRAGMA writable_schema=OFF")
    problems = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check").all()]
    if problems != ["ok"]:
        raise RuntimeError(f"hearings: the store's integrity check failed after the change ({problems[0]})")


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        _sqlite_definition(connection, _NOT_NULL, r"\1")
    else:
        op.alter_column("hearings", "model_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # A hearing held without a model has no model to name in the older schema: refuse to lose it silently.
    connection = op.get_bind()
    alone = connection.execute(sa.text("SELECT COUNT(*) FROM hearings WHERE model_id IS NULL")).scalar_one()
    if alone:
        raise RuntimeError(f"{alone} hearing(s) held on the guideline alone have no model; downgrade refused")
    if connection.dialect.name == "sqlite":
        _sqlite_definition(connection, _NULLABLE, r"\1 NOT NULL")
    else:
        op.alter_column("hearings", "model_id", existing_type=sa.Integer(), nullable=False)
