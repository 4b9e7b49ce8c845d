"""Risk-assessment hearings: the judge's citation of a risk score as well as of a recommended term.

A sentencing hearing's citation keeps its months (suggestion, guideline, adopted); a risk-assessment
hearing's records the model's score and class, the class the tool recorded, and the class the court
adopts. ``case_kind`` says which; the months become optional (a risk score has no guideline term).
Existing rows are sentencing citations and keep every value.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rulings") as batch:
        batch.add_column(sa.Column("case_kind", sa.String(32), nullable=False, server_default="sentencing"))
        batch.add_column(sa.Column("suggested_score", sa.Float(), nullable=True))
        batch.add_column(sa.Column("suggested_class", sa.String(32), nullable=True))
        batch.add_column(sa.Column("recorded_class", sa.String(32), nullable=True))
        batch.add_column(sa.Column("adopted_class", sa.String(32), nullable=True))
        for column in ("system_suggestion_months", "guideline_months", "adopted_months"):
            batch.alter_column(column, existing_type=sa.Float(), nullable=True)


def downgrade() -> None:
    # A risk citation has no months to keep: refuse to lose it silently.
    connection = op.get_bind()
    risk = connection.execute(sa.text("SELECT COUNT(*) FROM rulings WHERE case_kind <> 'sentencing'")).scalar_one()
    if risk:
        raise RuntimeError(f"{risk} risk-assessment citation(s) would be lost; downgrade refused")
    with op.batch_alter_table("rulings") as batch:
        for column in ("system_suggestion_months", "guideline_months", "adopted_months"):
            batch.alter_column(column, existing_type=sa.Float(), nullable=False)
        for column in ("adopted_class", "recorded_class", "suggested_class", "suggested_score", "case_kind"):
            batch.drop_column(column)
