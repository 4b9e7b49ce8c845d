"""Every page of every role's journey, in both languages: no internal id, True/False, raw JSON, untranslated state
or English-only legal basis leaks into what a court user reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.hearing.store_fixtures import build_court

APP = str(Path(__file__).resolve().parents[2] / "hearing" / "app.py")
PAGES = {
    "defence": ["case", "whatif", "search", "contest", "workspace", "findings", "record", "negotiation"],
    "prosecution": ["case", "whatif", "search", "contest", "workspace", "findings", "record", "negotiation"],
    "judge": ["case", "whatif", "search", "contest", "findings", "record", "negotiation", "ruling", "deviation"],
    "appeal": ["case", "findings", "record", "appeal", "deviation"],
    "clerk": ["docket", "case", "findings", "record", "negotiation"],
    "tech": ["models", "deviation"],
}
# What must never reach a reader: Python's booleans, a severity or rule id in brackets, a JSON object, a lifecycle
# state's id, an operation's or finding's internal name.
LEAKS = [
    re.compile(r"\b(True|False|None)\b"),
    re.compile(r"\[(high|medium|low)\]"),
    re.compile(r"\[[a-z]+(_[a-z]+)+\]"),
    re.compile(r"\{\s*\""),
    re.compile(r"\b(compensation_and_forgiveness|missing_required_fact|hearing_state|departure_reasons)\b"),
]
# In a Chinese page also: an English gloss of a legal source, a lifecycle state's id, an English severity.
ZH_ONLY = [
    re.compile(r"Criminal Law art|CPL art|Criminal Procedure Law art|\(evidence must|equality before"),
    re.compile(r"(状态|State): (open|ruled|closed|sealed)\b"),
    re.compile(r"\b(high|medium|low)\b"),
]


@pytest.fixture
def court(tmp_path, small_model, monkeypatch):
    from hearing.store import make_engine, migrate

    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("VOIRDIRE_DATABASE_URL", url)
    engine = make_engine(url)
    migrate(engine)
    court = build_court(engine, small_model.folder)
    service, tokens, hearing = court.service, court.tokens, court.hearing_id
    service.query(tokens["defence"], hearing, "whatif", {"changes": {"restitution": False}})
    service.query(tokens["defence"], hearing, "report", {"tier": "deep"})
    service.query(tokens["prosecution"], hearing, "whatif", {"changes": {"accessory": True}}, open_court=False)
    service.query(tokens["defence"], hearing, "disputed_fact", {"factor": "acts", "versions": [1, 3]})
    service.query(tokens["prosecution"], hearing, "sensitivity", {"threshold_months": 0.1})
    return court


def _leaks(at: AppTest, language: str, where: str) -> list[str]:
    return [f"{where}: {leak.pattern!r} in {text[:160]!r}" for text in _texts(at)
            for leak in LEAKS + (ZH_ONLY if language == "zh-CN" else []) if leak.search(text)]  # fmt: skip


def _texts(at: AppTest) -> list[str]:
    texts: list[str] = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "subheader", "title"):
        texts += [str(e.value) for e in getattr(at, kind)]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    texts += [e.label for e in at.expander] + [b.label for b in at.button]
    for table in at.table:
        frame = table.value
        texts += [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
    return texts


def _walk(tokens: dict[str, str], pages_by_user: dict[str, list[str]], language: str) -> None:
    """Open each user's pages in ``language``; fail on any exception or leak, naming the user and the page."""
    leaks = []
    for user, pages in pages_by_user.items():
        for page in pages:
            at = AppTest.from_file(APP, default_timeout=120)
            at.session_state["language"] = language
            at.session_state["token"] = tokens[user]
            at.run()
            at.switch_page(f"app_pages/{page}.py")
            at.run()
            assert not at.exception, (user, page, at.exception)
            leaks += _leaks(at, language, f"{user}/{page}")
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_every_page_of_every_role_reads_in_one_language(court, language) -> None:
    _walk(court.tokens, PAGES, language)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_disputed_versions_and_sensitivity_answers_read_in_one_language(court, language) -> None:
    """The contest page's answers (tables, warnings, findings with their legal basis) as well as its controls."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["language"] = language
    at.session_state["token"] = court.tokens["defence"]
    at.run()
    at.switch_page("app_pages/contest.py")
    at.run()
    at.selectbox(key="disputed_factor").set_value("restitution").run()
    at.button(key="disputed_ask").click().run()
    at.number_input(key="sensitivity_threshold").set_value(0.1).run()
    at.button(key="sensitivity_ask").click().run()
    assert not at.exception, at.exception
    assert len(at.table) == 2 and len(at.table[0].value) == 2  # both versions of restitution, then the probes
    assert not _leaks(at, language, "defence/contest"), _leaks(at, language, "defence/contest")


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_a_plea_hearing_s_negotiation_reads_in_one_language(tmp_path, small_model, monkeypatch, language) -> None:
    """The plea case: the proposal, the offers, the duty lawyer's objection and the recording's digest, on every
    page that shows them, for each role that reads them."""
    from hearing.store import make_engine, migrate
    from tests.hearing.store_fixtures import build_plea_court
    from tests.hearing.test_plea_negotiation import _negotiate

    url = f"sqlite:///{tmp_path / 'plea.sqlite'}"
    monkeypatch.setenv("VOIRDIRE_DATABASE_URL", url)
    engine = make_engine(url)
    migrate(engine)
    plea = build_plea_court(engine, small_model.folder)
    _negotiate(plea)
    _walk(plea.tokens, {"duty": ["negotiation", "record", "case"], "prosecution": ["negotiation", "record"],
                        "judge": ["negotiation", "record", "ruling"]}, language)  # fmt: skip
