from __future__ import annotations

import streamlit as st

from hearing.ui import client_source, service, show_error, t

with st.form("login"):
    username = st.text_input(t("username"), key="login_username")
    password = st.text_input(t("password"), type="password", key="login_password")
    if st.form_submit_button(t("login")):
        try:
            st.session_state["token"] = service().login(username, password, source=client_source())
            st.rerun()
        except Exception as error:  # wrong credentials: one message, no detail
            show_error(error)
