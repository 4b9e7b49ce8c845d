"""The judges' adjustments to the algorithm's terms over their hearings: a judge reads their own; the appellate court
and the court's technologist choose a judge. Drawn only from rulings that exist, and no conclusion about anchoring
from fewer rulings than the monitor's window."""

from __future__ import annotations

import streamlit as st

from hearing.deviation import deviation_chart
from hearing.ui import language, principal, service, t

user = principal()
if user is not None:
    token = st.session_state["token"]
    judges = service().judges(token)
    if not judges:
        st.info(t("no_judges"))
    else:
        judge = judges[0] if len(judges) == 1 else st.selectbox(t("judge_select"), judges, key="deviation_judge")
        report = service().deviation(token, judge)
        st.caption(f"{t('judge_select')}: {judge}")
        if report.points:  # the rulings themselves, whatever their number: hearing, day, suggestion, sentence
            st.table([{t("hearing"): f"#{p.hearing_id}", t("ruled_on"): p.when[:10],
                       t("algorithm_months"): f"{p.suggestion_months:.1f}",
                       t("adopted_months"): f"{p.adopted_months:g}", t("adjustment"): f"{p.relative:+.0%}"}
                      for p in report.points])  # fmt: skip
        if len(report.points) < max(3, report.window):
            st.info(f"{t('too_few_rulings')} ({len(report.points)})")
        else:
            st.image(deviation_chart(report, language()))
            st.write(f"{t('warnings')}:")
            for warning in report.warnings or ():
                st.warning(warning.text(language()))
            if not report.warnings:
                st.write(t("no_warnings"))
