from __future__ import annotations

import streamlit as st

from hearing.benches import bench_for
from hearing.ui import current_hearing, language, principal, service, t

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    lang = language()
    token = st.session_state["token"]
    bench = bench_for(service().kinds, service().case(token, hearing)[0])
    deep = [e for e in service().record(token, hearing)
            if e.operation == bench.report_operation and e.parameters.get("tier") == "deep"]  # fmt: skip
    if not deep:
        st.info(t("no_findings"))
    else:
        for finding in bench.findings(deep[-1].result, lang):
            with st.container(border=True):
                st.markdown(f"**[{finding['severity']}] {finding['title']}**")
                st.write(finding["evidence"])
                st.caption(finding["basis"])
                st.write(f"❓ {finding['question']}")
