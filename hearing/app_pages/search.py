"""The fewest changes of disputable facts that bring the algorithm's answer to a target: below, at least, within.
Private preparation by default; a party puts it on the record by choice."""

from __future__ import annotations

import streamlit as st

from hearing.benches import bench_for
from hearing.ui import current_hearing, language, principal, query, service, stop_if_guideline_alone, t, where_to_ask

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    lang = language()
    stop_if_guideline_alone(hearing)  # every question here asks the model
    token = st.session_state["token"]
    bench = bench_for(service().kinds, service().case(token, hearing)[0])
    standard = service().report(token, hearing, "standard")
    now = bench.present_value(standard.body) if standard is not None else None
    if now is not None:
        st.write(f"{t('now_answer')}: {now}")
    parameters = bench.search_parameters(lang, bench.present_months(standard.body) if standard else None)
    open_court = where_to_ask(user.role, hearing, "search")
    if st.button(t("search_button"), key="search_go", disabled=open_court is None):
        with st.spinner(t("searching")):
            result = query(hearing, bench.search_operation, parameters, open_court=bool(open_court))
        if result:
            bench.show_search(result, lang)
