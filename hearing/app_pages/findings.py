from __future__ import annotations

import streamlit as st

from hearing.ui import current_hearing, language, principal, service, t

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    lang = language()
    deep = [e for e in service().record(st.session_state["token"], hearing)
            if e.operation == "report" and e.parameters.get("tier") == "deep"]  # fmt: skip
    if not deep:
        st.info(t("no_findings"))
    else:
        for finding in deep[-1].result["deep"]["findings"]:
            with st.container(border=True):
                st.markdown(f"**[{finding['severity']}] {finding['title'][lang]}**")
                st.write(finding["evidence"][lang])
                st.caption(finding["legal_basis"])
                st.write(f"❓ {finding['question'][lang]}")
