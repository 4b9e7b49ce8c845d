from __future__ import annotations

import streamlit as st

from hearing.ui import current_hearing, service, show_error, t

hearing = current_hearing()
if hearing is not None:
    token = st.session_state["token"]
    state = service().hearing_state(token, hearing)
    st.write(f"{t('state')}: {state}")
    ruling = service().ruling(token, hearing)
    if ruling is None:
        with st.form("ruling"):
            liability = st.text_area(t("weighed_liability"), key="ruling_liability")
            prevention = st.text_area(t("weighed_prevention"), key="ruling_prevention")
            particulars = st.text_area(t("particulars"), key="ruling_particulars")
            adopted = st.number_input(t("adopted"), min_value=0.5, max_value=600.0, value=6.0, key="ruling_adopted")
            reasons = st.text_area(t("reasons"), key="ruling_reasons")
            if st.form_submit_button(t("write_ruling")):
                try:
                    service().write_ruling(token, hearing, weighed_liability=liability, weighed_prevention=prevention,
                                           particulars=particulars, adopted_months=float(adopted),
                                           departure_reasons=reasons)  # fmt: skip
                    st.rerun()
                except Exception as error:  # the service says which field and rule
                    show_error(error)
    else:
        st.write(
            f"{t('recommendation')}: {ruling.system_suggestion_months:.1f} · {t('adopted')}: {ruling.adopted_months:g}"
        )
        if state == "ruled" and st.button(t("close"), key="ruling_close"):
            try:
                service().close_hearing(token, hearing)
                st.success(t("done"))
            except Exception as error:  # the service names the state rule
                show_error(error)
