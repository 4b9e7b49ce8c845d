"""Contesting the algorithm's facts: every version of a disputed fact side by side (the algorithm, the guideline and
the judge's band for each), and the sensitivity test (each legally irrelevant factor changed alone). Private
preparation by default; a party puts an answer on the record by choice."""

from __future__ import annotations

import streamlit as st

from hearing.benches import bench_for
from hearing.ui import current_hearing, language, principal, query, service, stop_if_guideline_alone, t, where_to_ask

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    token = st.session_state["token"]
    stop_if_guideline_alone(hearing)  # every question here asks the model
    lang = language()
    bench = bench_for(service().kinds, service().case(token, hearing)[0])
    standard = service().report(token, hearing, "standard")
    if standard is not None:
        st.write(f"**{t('baseline')}:** {bench.present_value(standard.body)}")
    open_court = where_to_ask(user.role, hearing, "contest")
    if bench.disputed_operation is not None:
        st.subheader(t("disputed_title"))
        st.caption(t("disputed_help"))
        disputed = bench.disputed_parameters(lang)
        if st.button(t("ask"), disabled=disputed is None or open_court is None, key="disputed_ask"):
            with st.spinner(t("asking")):
                answer = query(hearing, bench.disputed_operation, disputed or {}, open_court=bool(open_court))
            st.session_state["disputed_answer"] = (hearing, answer)
        kept = st.session_state.get("disputed_answer")  # each section's last answer stays while the other is asked
        if kept and kept[0] == hearing and kept[1]:
            bench.show_disputed(kept[1], lang)
    st.subheader(t("sensitivity_title"))
    st.caption(t("sensitivity_help"))
    parameters = bench.sensitivity_parameters(lang)
    if st.button(t("ask"), disabled=open_court is None, key="sensitivity_ask"):
        with st.spinner(t("asking")):
            answer = query(hearing, bench.sensitivity_operation, parameters, open_court=bool(open_court))
        st.session_state["sensitivity_answer"] = (hearing, answer)
    kept = st.session_state.get("sensitivity_answer")
    if kept and kept[0] == hearing and kept[1]:
        bench.show_sensitivity(kept[1], lang)
