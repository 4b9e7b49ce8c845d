"""The judge's adjustments to the algorithm's terms over their hearings: drawn only from rulings that exist, and no
conclusion about anchoring from fewer rulings than the monitor's window."""

from __future__ import annotations

import streamlit as st

from hearing.deviation import deviation_chart
from hearing.ui import language, principal, service, t

user = principal()
if user is not None:
    report = service().deviation(st.session_state["token"], user.username)
    if len(report.points) < max(3, report.window):
        st.info(f"{t('too_few_rulings')} ({len(report.points)})")
    else:
        st.image(deviation_chart(report, language()))
        st.write(f"{t('warnings')}:")
        for warning in report.warnings or ():
            st.warning(warning.text(language()))
        if not report.warnings:
            st.write(t("no_warnings"))
