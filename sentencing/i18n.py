"""Languages a court user can choose, and the bilingual label type every user-facing text uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["LANGUAGES", "Label", "Language", "choose_language", "legal_basis_text", "parse_language"]

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


# A finding's legal basis names the Chinese source and glosses it in English; a Chinese reader is given the source
# alone, and the few English-only parts in Chinese (a U.S. case keeps its name).
_BASIS_ZH: dict[str, str] = {
    "法发〔2022〕33号 art. 6 (AI reasoning must be explainable, testable and verifiable)": (
        "法发〔2022〕33号 第6条（人工智能辅助审判应当可解释、可测试、可验证）"
    ),
    "法释〔2021〕1号 arts. 97–100 (review of expert and specialist opinions)": (
        "法释〔2021〕1号 第97条至第100条（对鉴定意见、专门知识意见的审查）"
    ),
    "State v. Loomis (no local validation)": "State v. Loomis（美国威斯康星州最高法院，2016；模型未经本地验证）",
    "(beyond ±20% the adjudication committee decides)": "（超出±20%的，提交审判委员会讨论决定）",
    "(evidence must be verified)": "（证据必须经过查证属实）",
    "(equality before the law)": "（适用刑法人人平等）",
    "equal protection (U.S. Const. amend. XIV)": "平等保护（美国宪法第十四修正案）",
    "criminal history (COMPAS Practitioner's Guide)": "犯罪史（COMPAS 使用指南）",
}
_ENGLISH_GLOSS = re.compile(
    r"\s*(?:Criminal Procedure Law|Criminal Law|CPL|Guiding Opinions on similar-case search|SPC/SPP/MPS/MOJ opinion"
    r"|opinion on drunk driving|disability grading standard)\b[^;；\u4e00-\u9fff（(]*"
    r"|\s*\((?:Part [IVX]+[^)]*)\)"
)


def legal_basis_text(basis: str, language: Language) -> str:
    """A finding's or factor's legal basis for a reader of ``language``: in Chinese the Chinese sources without their
    English glosses; in English as written (the Chinese original beside its English name)."""
    if language != "zh-CN":
        return basis
    text = basis
    for english, chinese in sorted(_BASIS_ZH.items(), key=lambda item: -len(item[0])):
        text = text.replace(english, chinese)
    text = _ENGLISH_GLOSS.sub("", text)
    return re.sub(r"\s*;\s*", "；", text).strip()
