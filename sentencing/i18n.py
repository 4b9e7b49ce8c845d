"""Languages a court user can choose, and the bilingual label type every user-facing text uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["LANGUAGES", "Label", "Language", "choose_language", "parse_language"]

Language = Literal["zh-CN", "en"]
LANGUAGES: tuple[Language, ...] = ("zh-CN", "en")


@dataclass(frozen=True)
class Label:
    """A text in both court languages."""

    zh: str
    en: str

    def text(self, language: Language) -> str:
        return self.zh if language == "zh-CN" else self.en

    def both(self) -> str:
        """Chinese original beside the English, the form legal terms take in English output."""
        return self.en if self.zh == self.en else f"{self.zh} {self.en}"

    def to_mapping(self) -> dict[str, str]:
        """The JSON form (``{"zh-CN": ..., "en": ...}``); ``from_mapping`` reads it back."""
        return {"zh-CN": self.zh, "en": self.en}

    @classmethod
    def from_mapping(cls, mapping: object, where: str) -> Label:
        from sentencing.errors import ConfigurationError

        if not isinstance(mapping, dict) or not all(
            isinstance(mapping.get(k), str) and mapping.get(k) for k in LANGUAGES
        ):
            raise ConfigurationError(where, "a label needs non-empty 'zh-CN' and 'en' texts")
        return cls(zh=mapping["zh-CN"], en=mapping["en"])


def parse_language(value: str) -> Language:
    """Accept the usual spellings of the two court languages; anything else is an error."""
    normalised = value.strip().lower().replace("_", "-")
    if normalised in ("zh", "zh-cn", "cn", "chinese", "中文"):
        return "zh-CN"
    if normalised in ("en", "en-gb", "en-us", "english"):
        return "en"
    from sentencing.errors import InputError, Rule

    raise InputError(f"language {value!r}", Rule.UNKNOWN_LANGUAGE, "not one of zh-CN, en")


def choose_language(chosen: str | None, default: Language = "en") -> Language:
    """The language a person asked for (``--lang``), else their default (the settings' language)."""
    return parse_language(chosen) if chosen else default
