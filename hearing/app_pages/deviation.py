"""The judges' adjustments to the algorithm's terms over their hearings: a judge reads their own; the appellate court
and the court's technologist choose a judge. Drawn only from rulings that exist, and no conclusion about anchoring
from fewer rulings than the monitor's window."""

from __future__ import annotations

import streamlit as st

from hearing.deviation import OFFENDER_GROUPS, deviation_chart
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
                       t("adopted_months"): f"{p.adopted_months:g}", t("adjustment"): f"{p.relative:+.0%}",
                       t("offender_group"): OFFENDER_GROUPS[p.group].text(language())}
                      for p in report.points])  # fmt: skip
            st.markdown(f"**{t('groups_apart')}**")  # recidivists and prior records apart from first offenders
            st.table([{t("offender_group"): OFFENDER_GROUPS[g.group].text(language()), t("rulings"): g.count,
                       t("mean_adjustment"): f"{g.mean_relative:+.1%}", t("mean_size"): f"{g.mean_abs_relative:.1%}"}
                      for g in report.groups])  # fmt: skip
            st.caption(t("period_window").format(days=report.period_days, count=report.period_count,
                                                 size=f"{report.period_mean_abs_relative:.1%}"))  # fmt: skip
        if len(report.points) < max(3, report.window):
            st.info(f"{t('too_few_rulings')} ({len(report.points)})")
        else:
            st.image(deviation_chart(report, language()))
            st.write(f"{t('warnings')}:")
            for warning in report.warnings or ():
                st.warning(warning.text(language()))
            if not report.warnings:
                st.write(t("no_warnings"))
