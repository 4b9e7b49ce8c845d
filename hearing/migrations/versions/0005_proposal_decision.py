"""Plea cases: the court's decision on the procuratorate's sentencing proposal in the judge's citation.

``rulings.proposal_decision`` holds the decision (adopted; adjusted after the court asked, CPL art. 201 ¶2;
rejected with its ground and reasons) as the canonical JSON of the record entry that carries it, and
``rulings.proposal_decision_seq`` that entry's number. Existing citations were written for cases without a
proposal: both stay empty. The negotiation itself (offers, opinions, recordings' digests, the court's leave for a
duty lawyer) is entries of the existing record, and the duty lawyer a role of the existing users: nothing else
changes in the schema.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rulings") as batch:
        batch.add_column(sa.Column("proposal_decision", sa.String(), nullable=True))
        batch.add_column(sa.Column("proposal_decision_seq", sa.Integer(), nullable=True))


def downgrade() -> None:
    # A decision on a proposal has nowhere to go in the older schema: refuse to lose it silently.
    connection = op.get_bind()
    decided = connection.execute(
        sa.text("SELECT COUNT(*) FROM rulings WHERE proposal_decision IS NOT NULL")
    ).scalar_one()
    if decided:
        raise RuntimeError(f"{decided} decision(s) on a sentencing proposal would be lost; downgrade refused")
    with op.batch_alter_table("rulings") as batch:
        batch.drop_column("proposal_decision_seq")
        batch.drop_column("proposal_decision")
