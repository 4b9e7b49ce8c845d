"""The hash-chained record, entry by entry as a court reads it: who asked what, and what the answer was."""

from __future__ import annotations

import streamlit as st

from hearing.benches import bench_for
from hearing.policy import Action, may
from hearing.ui import current_hearing, entry_summary, language, principal, service, t

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    token = st.session_state["token"]
    lang = language()
    bench = bench_for(service().kinds, service().case(token, hearing)[0])
    entries = service().record(token, hearing)
    if not entries:
        st.info(t("record_empty"))
    for entry in entries:
        asked, answer = entry_summary(bench, entry.operation, entry.parameters, entry.result, lang)
        with st.expander(f"#{entry.seq} · {entry.time[:19].replace('T', ' ')} · {entry.party} · {asked}"):
            st.write(answer)
            st.caption(f"{t('entry_digest')}: {entry.entry_sha256}")
            st.caption(f"{t('previous_digest')}: {entry.prev_sha256}")
    if may(user.role, Action.VERIFY_RECORD) and st.button(t("verify"), key="record_verify"):
        result = service().verify(token, hearing)
        if result.ok:
            st.success(f"{t('verified')} · {t('entries').format(n=result.length)} · {t('head')} {result.head}")
        else:
            st.error(f"{t('broken')}: {'; '.join(result.problems)}")
