"""An error as one line, in the user's language: in Chinese each violation leads with the field's label and rule."""

from __future__ import annotations

from sentencing.catalogue import Catalogue, load_catalogue
from sentencing.errors import RULE_NAMES_ZH, CaseValidationError, InputError, InputFileError, Rule, VoirdireError
from sentencing.i18n import Language

__all__ = ["render_error"]


def render_error(error: VoirdireError, language: Language, catalogue: Catalogue | None = None) -> str:
    """One line; in Chinese each violation leads with the field's label and the rule's name, detail after."""
    detail = " ".join(str(error).split())
    if language != "zh-CN":
        return detail
    catalogue = catalogue or load_catalogue()
    if isinstance(error, CaseValidationError):
        parts = []
        for violation in error.violations:
            factor = violation.field.split(".")[-1]
            label = catalogue.factor(factor).label.zh if catalogue.has_factor(factor) else violation.field
            rule = (
                RULE_NAMES_ZH.get(Rule(violation.rule), violation.rule)
                if violation.rule in set(Rule)
                else violation.rule
            )
            parts.append(
                f"{label}（{violation.field}）：{rule} — {' '.join(violation.message.split())} [{violation.rule}]"
            )
        where = f"{error.source}: " if error.source else ""
        return where + "；".join(parts)
    if isinstance(error, InputFileError):
        return f"{error.path}: {RULE_NAMES_ZH.get(error.rule, error.rule)} — {detail}"
    if isinstance(error, InputError) and error.rule in RULE_NAMES_ZH and error.rule != Rule.AUTHENTICATION:
        return f"{error.field}：{RULE_NAMES_ZH[error.rule]} — {error.detail} [{error.rule}]"
    return detail
