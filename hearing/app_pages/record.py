from __future__ import annotations

import json

import streamlit as st

from hearing.ui import current_hearing, principal, service, t

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    token = st.session_state["token"]
    entries = service().record(token, hearing)
    st.dataframe(
        [{"seq": e.seq, "time": e.time, "party": e.party, "operation": e.operation,
          "parameters": json.dumps(e.parameters, ensure_ascii=False)[:80], "sha256": e.entry_sha256[:12]}
         for e in entries],
        hide_index=True,
    )  # fmt: skip
    if st.button(t("verify"), key="record_verify"):
        result = service().verify(token, hearing)
        if result.ok:
            st.success(f"{t('verified')} · {result.length} · {result.head[:16]}…")
        else:
            st.error(f"{t('broken')}: {'; '.join(result.problems)}")
