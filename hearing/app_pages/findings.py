"""The challenge findings of the deep report the record holds, each with its severity, evidence, legal basis and the
question counsel may put, in the reader's language."""

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
    with st.spinner(t("loading_report")):
        deep = service().report(token, hearing, "deep")
    if deep is None:
        st.info(t("no_findings"))
    else:
        st.caption(t("deep_from_record").format(seq=deep.seq))
        for finding in bench.findings(dict(deep.body), lang):
            with st.container(border=True):
                st.markdown(f"**{finding['title']}**")
                st.caption(f"{t('severity')}: {finding['severity']}")
                st.write(finding["evidence"])
                st.caption(f"{t('legal_basis')}: {finding['basis']}")
                st.write(f"**{t('question')}:** {finding['question']}")
