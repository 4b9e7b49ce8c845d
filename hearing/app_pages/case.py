from __future__ import annotations

import streamlit as st

from hearing.benches import bench_for
from hearing.ui import current_hearing, language, principal, query, service, t

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    case, sensitive = service().case(st.session_state["token"], hearing)
    bench = bench_for(service().kinds, case)
    lang = language()
    st.subheader(bench.title(lang))
    if case.description:
        st.write(case.description.text(lang))
    st.table(bench.facts(lang))
    if sensitive is not None:
        with st.expander(t("sensitive")):
            st.json(sensitive)
    if user.role in ("defence", "prosecution", "judge", "appellate_judge"):
        left, right = st.columns(2)
        tier = None
        if left.button(t("standard_report")):
            tier = "standard"
        if right.button(t("deep_report")):
            tier = "deep"
        if tier:
            with st.spinner(t("deep_report") if tier == "deep" else t("standard_report")):
                report = query(hearing, bench.report_operation, {"tier": tier})
            if report:
                bench.show_report(report, lang)
