"""The one reader of the environment: ``$VOIRDIRE_*`` into a :class:`sentencing.settings.Settings`.

The command line and the app call it once at start; everything below is handed the result.

- ``VOIRDIRE_HOME``: the data home (default: ``var/`` in a source checkout, else ``$XDG_DATA_HOME/voirdire``)
- ``VOIRDIRE_DATABASE_URL``: the court's store (default: SQLite in the data home)
- ``VOIRDIRE_TSA_URL`` and ``VOIRDIRE_TSA_ROOT``: the court's timestamp authority and its root certificate
- ``VOIRDIRE_STORE_KEY_FILE``: the store's field key (default: ``keys/store.key`` in the data home; for a
  PostgreSQL store, keep it on the application server, never in the database)
- ``VOIRDIRE_LANG``: zh-CN or en (default en)
- ``VOIRDIRE_COMPUTE_AHEAD``: 1 (default) or 0: whether the app computes an open hearing's deep report while a party
  reads, so that escalating is quick (0 on a server with no CPU to spare)
- ``VOIRDIRE_DEVIATION_WINDOW`` and ``VOIRDIRE_DEVIATION_DAYS``: the deviation monitor's windows, the judge's last
  rulings (default 5, 3–100) and the rulings of the last days (default 90, 7–3650)
- ``VOIRDIRE_DEEP_TIER_RULE``: the court's rule for when the deep tier of explanation is owed and who may demand it
  (a JSON file, ``explain_tiers.duty.parse_deep_tier_rule``; default: on demand by defence, duty lawyer or judge
  when a party disputes a fact or a finding, the case lies outside the model's data, or the standard report shows a
  serious finding)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from sentencing.errors import ConfigurationError
from sentencing.excerpts import excerpt
from sentencing.i18n import parse_language
from sentencing.settings import Settings

__all__ = ["settings_from_environment"]


def _default_home(environ: Mapping[str, str]) -> Path:
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file():
        return checkout / "var"
    return Path(environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")) / "voirdire"


def settings_from_environment(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings this process runs with; a malformed language is refused by name."""
    env = os.environ if environ is None else environ
    home = env.get("VOIRDIRE_HOME")
    language = env.get("VOIRDIRE_LANG", "")
    tsa_root, key_file = env.get("VOIRDIRE_TSA_ROOT"), env.get("VOIRDIRE_STORE_KEY_FILE")
    ahead = env.get("VOIRDIRE_COMPUTE_AHEAD", "1").strip().lower()
    if ahead not in ("1", "0", "true", "false", "yes", "no"):
        raise ConfigurationError("VOIRDIRE_COMPUTE_AHEAD", f"expected 1 or 0, found {excerpt(ahead)}")
    window = _whole(env, "VOIRDIRE_DEVIATION_WINDOW", 5, 3, 100)
    days = _whole(env, "VOIRDIRE_DEVIATION_DAYS", 90, 7, 3650)
    return Settings(
        data_home=Path(home) if home else _default_home(env),
        database_url=env.get("VOIRDIRE_DATABASE_URL") or None,
        tsa_url=env.get("VOIRDIRE_TSA_URL") or None,
        tsa_root=Path(tsa_root) if tsa_root else None,
        store_key_file=Path(key_file) if key_file else None,
        language=parse_language(language) if language else "en",
        compute_ahead=ahead in ("1", "true", "yes"),
        deviation_window=window,
        deviation_period_days=days,
        deep_tier_rule=Path(rule) if (rule := env.get("VOIRDIRE_DEEP_TIER_RULE")) else None,
    )


def _whole(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ConfigurationError(name, f"expected a whole number {low}–{high}, found {excerpt(raw)}")
    return int(raw)
