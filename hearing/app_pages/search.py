from __future__ import annotations

import streamlit as st

from hearing.benches import bench_for
from hearing.ui import current_hearing, language, principal, query, service, t

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    lang = language()
    bench = bench_for(service().kinds, service().case(st.session_state["token"], hearing)[0])
    parameters = bench.search_parameters(lang)
    if st.button(t("search_button"), key="search_go"):
        result = query(hearing, bench.search_operation, parameters)
        if result:
            bench.show_search(result, lang)
