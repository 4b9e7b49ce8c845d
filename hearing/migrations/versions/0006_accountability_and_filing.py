"""The judge's accountability and the models' filing (issue 19).

``rulings``: the guideline's ±20% band for the case and whether the adopted term lies beyond it (the adjudication
committee decides, 法发〔2021〕21号), the deviation monitor's warnings in force when the citation was written and
the judge's written reason answering them (原因说明), the case's group (recidivist, prior record, first offender) so
that the monitor shows them apart. ``models``: the filing (备案) and review of a registered model (filing number,
risk level, assessment and ethics-review dates) as canonical JSON. Existing rows keep empty values: citations
written before kept no band, no warnings and no group; models registered before have no filing recorded.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_RULING_COLUMNS = ("guideline_band_low", "guideline_band_high", "committee_referral", "anchoring_warnings",
                   "anchoring_reasons", "offender_group")  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("rulings") as batch:
        batch.add_column(sa.Column("guideline_band_low", sa.Float(), nullable=True))
        batch.add_column(sa.Column("guideline_band_high", sa.Float(), nullable=True))
        batch.add_column(sa.Column("committee_referral", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("anchoring_warnings", sa.String(), nullable=True))
        batch.add_column(sa.Column("anchoring_reasons", sa.String(), nullable=True))
        batch.add_column(sa.Column("offender_group", sa.String(length=32), nullable=True))
    # a plain ADD COLUMN: a batch copy of ``models`` would break the hearings' foreign keys on SQLite
    op.add_column("models", sa.Column("filing", sa.String(), nullable=True))


def downgrade() -> None:
    # A written reason or a model's filing has nowhere to go in the older schema: refuse to lose it silently.
    connection = op.get_bind()
    kept = connection.execute(sa.text("SELECT COUNT(*) FROM rulings WHERE anchoring_reasons IS NOT NULL "
                                      "OR committee_referral")).scalar_one()  # fmt: skip
    filed = connection.execute(sa.text("SELECT COUNT(*) FROM models WHERE filing IS NOT NULL")).scalar_one()
    if kept or filed:
        raise RuntimeError(f"{kept} citation(s) with a written reason or a committee referral and {filed} model "
                           "filing(s) would be lost; downgrade refused")  # fmt: skip
    op.drop_column("models", "filing")
    with op.batch_alter_table("rulings") as batch:
        for column in reversed(_RULING_COLUMNS):
            batch.drop_column(column)
