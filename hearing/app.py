"""The hearing app (``voirdire hearing``): UI only; every page calls the hearing service."""

from __future__ import annotations

import streamlit as st

from hearing.ui import principal, service, t

st.set_page_config(page_title="voirdire", layout="wide")
st.sidebar.radio(
    "语言 / Language", ["zh-CN", "en"], key="language", format_func=lambda v: "中文" if v == "zh-CN" else "English"
)
user = principal()
if user is None:
    pages = [st.Page("app_pages/login.py", title=t("login"), url_path="login")]
else:
    st.sidebar.write(f"**{user.username}** · {user.role}")
    if st.sidebar.button(t("logout")):
        service().logout(st.session_state.pop("token"))
        st.rerun()
    pages = [
        st.Page("app_pages/case.py", title=t("case"), url_path="case"),
        st.Page("app_pages/whatif.py", title=t("whatif"), url_path="whatif"),
        st.Page("app_pages/search.py", title=t("search"), url_path="search"),
        st.Page("app_pages/findings.py", title=t("findings"), url_path="findings"),
        st.Page("app_pages/record.py", title=t("record"), url_path="record"),
    ]
    if user.role in ("prosecution", "defence", "duty_lawyer", "judge", "clerk"):
        pages.append(st.Page("app_pages/negotiation.py", title=t("negotiation"), url_path="negotiation"))
    if user.role == "judge":
        pages.append(st.Page("app_pages/ruling.py", title=t("ruling"), url_path="ruling"))
    if user.role in ("judge", "appellate_judge"):
        pages.append(st.Page("app_pages/deviation.py", title=t("deviation"), url_path="deviation"))
st.title(t("app"))
st.navigation(pages).run()
