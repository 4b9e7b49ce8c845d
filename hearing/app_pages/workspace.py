"""A party's own private preparation: the questions it asked off the record, with their answers; never another
party's."""

from __future__ import annotations

import streamlit as st

from hearing.benches import bench_for
from hearing.ui import current_hearing, entry_summary, language, principal, service, t

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    token = st.session_state["token"]
    lang = language()
    bench = bench_for(service().kinds, service().case(token, hearing)[0], lang)
    entries = service().workspace(token, hearing)
    st.caption(t("workspace_note"))
    if not entries:
        st.info(t("workspace_empty"))
    for number, entry in enumerate(reversed(entries), start=1):
        asked, answer = entry_summary(bench, entry.operation, entry.parameters, entry.result, lang)
        st.write(f"{len(entries) - number + 1}. {entry.time[:19].replace('T', ' ')} · {asked} — {answer}")
