"""The hearing app (``voirdire hearing``): UI only; every page calls the hearing service.

Each role sees the pages of its work; the hearing chosen in the sidebar is one widget of this entry script, so it
holds on every page (and in the address, ``?hearing=N``)."""

from __future__ import annotations

import streamlit as st

from hearing.ui import choose_hearing, principal, service, t

st.set_page_config(page_title="voirdire", layout="wide")
st.sidebar.radio(
    "语言 / Language", ["zh-CN", "en"], key="language", format_func=lambda v: "中文" if v == "zh-CN" else "English"
)
user = principal()
if user is None:
    pages = [st.Page("app_pages/login.py", title=t("login"), url_path="login")]
else:
    st.sidebar.write(f"**{user.username}** · {t('role_' + user.role)}")
    if st.sidebar.button(t("logout")):
        service().logout(st.session_state.pop("token"))
        st.rerun()
    choose_hearing(user)
    role = user.role
    pages = []
    if role == "clerk":
        pages.append(st.Page("app_pages/docket.py", title=t("docket_page"), url_path="docket"))
    if role == "technologist":
        pages.append(st.Page("app_pages/models.py", title=t("models"), url_path="models"))
    if role != "technologist":
        pages.append(st.Page("app_pages/case.py", title=t("case"), url_path="case"))
    if role in ("defence", "prosecution", "duty_lawyer", "judge"):
        pages.append(st.Page("app_pages/whatif.py", title=t("whatif"), url_path="whatif"))
        pages.append(st.Page("app_pages/search.py", title=t("search"), url_path="search"))
        pages.append(st.Page("app_pages/contest.py", title=t("contest"), url_path="contest"))
    if role in ("defence", "prosecution", "duty_lawyer"):
        pages.append(st.Page("app_pages/workspace.py", title=t("workspace_page"), url_path="workspace"))
    if role != "technologist":
        pages.append(st.Page("app_pages/findings.py", title=t("findings"), url_path="findings"))
        pages.append(st.Page("app_pages/record.py", title=t("record"), url_path="record"))
    if role in ("prosecution", "defence", "duty_lawyer", "judge", "clerk"):
        pages.append(st.Page("app_pages/negotiation.py", title=t("negotiation"), url_path="negotiation"))
    if role == "judge":
        pages.append(st.Page("app_pages/ruling.py", title=t("ruling"), url_path="ruling"))
    if role == "appellate_judge":
        pages.append(st.Page("app_pages/appeal.py", title=t("appeal"), url_path="appeal"))
    if role in ("judge", "appellate_judge", "technologist"):
        pages.append(st.Page("app_pages/deviation.py", title=t("deviation"), url_path="deviation"))
st.title(t("app"))
st.navigation(pages).run()
