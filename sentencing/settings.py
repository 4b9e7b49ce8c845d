"""The toolkit's settings: one typed, frozen object built at the edge (the command line, the app) and passed down.

Nothing below ``hearing`` and ``cli`` reads the environment: what it needs of the machine (where built
artifacts live, the court's store, its timestamp authority, the store's field key, the language) it is
given, in this object or as plain arguments taken from it. ``hearing.settings.settings_from_environment``
is the one place that reads ``$VOIRDIRE_*``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sentencing.i18n import Language

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    data_home: Path  # built artifacts: the reference model, fitted surrogates, data caches, packs, the local TSA
    database_url: str | None = None  # the court's store; None: the SQLite file in the data home
    tsa_url: str | None = None  # the court's RFC 3161 timestamp authority; None: the local offline TSA
    tsa_root: Path | None = None  # that authority's root certificate (required with a tsa_url)
    store_key_file: Path | None = None  # the key that encrypts the store's sensitive fields; None: in the data home
    language: Language = "en"
    compute_ahead: bool = True  # the app computes an open hearing's deep report while a party reads
    deviation_window: int = 5  # the deviation monitor's window: the judge's last rulings
    deviation_period_days: int = 90  # and its period: the rulings of the last days
    deep_tier_rule: Path | None = None  # the court's rule for when the deep tier is owed (JSON); None: the default

    @property
    def reference_model_dir(self) -> Path:
        return self.data_home / "reference-model"

    @property
    def store_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_home / 'voirdire.sqlite'}"

    @property
    def store_key_path(self) -> Path:
        return self.store_key_file or self.data_home / "keys" / "store.key"

    @property
    def local_tsa_dir(self) -> Path:
        return self.data_home / "tsa"

    @property
    def packs_dir(self) -> Path:
        return self.data_home / "packs"

    @property
    def compas_cache(self) -> Path:
        return self.data_home / "data" / "compas" / "compas-scores-two-years.deid.csv"

    def surrogate_dir(self, instrument_id: str) -> Path:
        """Where ``voirdire risk surrogate`` writes an instrument's fitted points table."""
        return self.data_home / "risk" / f"{instrument_id}-surrogate"
