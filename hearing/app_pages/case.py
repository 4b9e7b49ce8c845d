"""The case and its reports, as the PDF shows them: the same report object, rendered by the same template.

The standard report is read without entering the record (the pack holds it); escalating to the deep report is a
query in open court (recorded once); afterwards the deep report is read from the record. Both tiers download as
PDF/A-3b in either language."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial

import streamlit as st

from explain_tiers.guideline_report import guideline_report_html, guideline_report_pdf
from hearing.benches import bench_for
from hearing.policy import Action, may
from hearing.ui import current_hearing, language, principal, query, service, show_error, t
from hearing.views import ReportView
from sentencing.i18n import Language

hearing = current_hearing()
user = principal()


def _pdf(view: ReportView, token: str, hearing_id: int, pdf_language: Language) -> Callable[[], bytes]:
    """The PDF, printed when the button is pressed (then kept by the service), not on every page run."""
    return lambda: service().report_pdf(token, hearing_id, view, pdf_language)


def _show(view: ReportView, token: str, hearing_id: int, lang: Language) -> None:
    with st.spinner(t("rendering")):
        html = service().report_html(token, hearing_id, view, lang)
    st.iframe(html, height=1400)  # our own template's page, autoescaped: the PDF's very HTML
    columns = st.columns(2)
    languages: tuple[Language, Language] = ("zh-CN", "en")
    for column, pdf_language in zip(columns, languages, strict=True):
        column.download_button(
            f"{t('download_pdf')} · {'中文' if pdf_language == 'zh-CN' else 'English'}",
            _pdf(view, token, hearing_id, pdf_language),
            file_name=f"{view.tier}-report.{pdf_language}.pdf", mime="application/pdf",
            key=f"pdf_{view.tier}_{pdf_language}", on_click="ignore",
        )  # fmt: skip


if hearing is not None and user is not None:
    token = st.session_state["token"]
    case, sensitive = service().case(token, hearing)
    bench = bench_for(service().kinds, case)
    lang = language()
    notice_means = {"written": t("means_written"), "oral": t("means_oral")}
    state = service().hearing_state(token, hearing)
    if f"prepared_{hearing}" not in st.session_state:  # the deep report's caches fill while the party reads
        st.session_state[f"prepared_{hearing}"] = True
        threading.Thread(target=service().prepare_reports, args=(token, hearing), daemon=True).start()
    st.subheader(bench.title(lang))
    if case.description:
        st.write(case.description.text(lang))
    st.table(bench.facts(lang))
    if sensitive is not None:
        with st.expander(t("sensitive")):
            st.table(bench.sensitive(sensitive, lang))
    if state == "open" and user.role in ("clerk", "judge"):
        with st.expander(t("ai_notice")), st.form("ai_notice"):  # 法发〔2022〕33号 art. 5: told, and free to refuse
            told_on = st.date_input(t("notified_on"), key="notice_on")
            means = st.radio(t("notice_means"), ["written", "oral"], horizontal=True, key="notice_means",
                             format_func=lambda m: notice_means[m])  # fmt: skip
            refused = st.checkbox(t("notice_refused"), key="notice_refused")
            note = st.text_input(t("note"), key="notice_note")
            if st.form_submit_button(t("enter")):
                try:
                    service().state(token, hearing, "ai_notice", {"notified_on": told_on.isoformat(), "means": means,
                                                                  "refused": refused, "note": note})  # fmt: skip
                    st.rerun()
                except Exception as error:  # the service names the field and the rule
                    show_error(error)
    alone = service().guideline_alone(token, hearing)
    if alone is not None:  # no model, or the defendant refused it: the guideline alone is before the court
        st.info(alone.reason.text(lang))
        guideline = service().guideline_report(token, hearing)
        if guideline is not None:  # the report its pack will hold: the guideline's derivation, no model asked
            st.subheader(t("guideline_report_head"))
            st.iframe(guideline_report_html(guideline, lang), height=900)
            printed: tuple[Language, Language] = ("zh-CN", "en")
            for column, pdf_language in zip(st.columns(2), printed, strict=True):
                column.download_button(
                    f"{t('download_pdf')} · {'中文' if pdf_language == 'zh-CN' else 'English'}",
                    partial(guideline_report_pdf, guideline, pdf_language),
                    file_name=f"guideline-report.{pdf_language}.pdf", mime="application/pdf",
                    key=f"pdf_guideline_{pdf_language}", on_click="ignore",
                )  # fmt: skip
        st.stop()
    standard = service().report(token, hearing, "standard")
    assert standard is not None  # a standard report always exists
    bench.show_summary(standard.body, lang)
    standard_tab, deep_tab = st.tabs([t("standard_report"), t("deep_report_tab")])
    with standard_tab:
        _show(standard, token, hearing, lang)
    with deep_tab:
        deep = service().report(token, hearing, "deep")
        duty = service().deep_tier(token, hearing)  # the court's rule: when the deep tier is owed, who may demand it
        for ground in duty.grounds:
            st.caption(f"{t('deep_ground')}: {ground.evidence.text(lang)}")
        if duty.provided is not None:
            st.success(t("deep_provided").format(seq=duty.provided))
        elif duty.owed:
            st.warning(t("deep_owed"))
        if deep is None and state == "open" and duty.grounds and user.role in duty.rule.demanders:
            reasons = st.text_input(t("deep_demand_reasons"), key="deep_demand_reasons")
            if st.button(t("deep_demand"), key="deep_demand"):
                with st.spinner(t("escalating")):
                    try:
                        service().demand_deep_tier(token, hearing, reasons)
                        st.rerun()
                    except Exception as error:  # the service names the rule
                        show_error(error)
        if deep is not None:
            st.caption(t("deep_from_record").format(seq=deep.seq))
            _show(deep, token, hearing, lang)
        elif state != "open":
            st.info(t("no_deep_closed"))
        elif may(user.role, Action.QUERY_OPEN_COURT):
            st.write(t("escalate_why"))
            if st.button(t("deep_report"), key="escalate"):
                with st.status(t("escalating"), expanded=True) as status:
                    st.write(t("escalate_steps"))
                    result = query(hearing, bench.report_operation, {"tier": "deep"})
                    if result is not None:
                        status.update(label=t("escalated"), state="complete")
                if result is not None:
                    st.rerun()
        else:
            st.info(t("no_deep_yet"))
