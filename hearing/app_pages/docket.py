"""The clerk's page: open a hearing from an uploaded case file (checked as every case is), with a registered model
and the parties; the court's hearings and their states."""

from __future__ import annotations

import streamlit as st

from hearing.ui import language, principal, service, show_error, state_label, t
from sentencing.errors import InputFileError, Rule
from sentencing.untrusted import parse_json

user = principal()
if user is not None:
    token = st.session_state["token"]
    lang = language()
    st.subheader(t("open_hearing"))
    with st.form("open_hearing"):
        upload = st.file_uploader(t("case_file"), type=["json"], key="case_upload")
        models = service().models(token)
        model = st.selectbox(
            t("model"),
            [m.model_id for m in models],
            key="open_model",
            format_func={m.model_id: f"#{m.model_id} · {m.name}" for m in models}.__getitem__,
        )
        parties = st.text_input(t("parties"), key="open_parties", placeholder="defence, prosecution, judge")
        defendant = st.text_input(t("defendant_name"), key="open_defendant")
        if st.form_submit_button(t("open_hearing")):
            if upload is None:
                st.error(t("case_file_needed"))
            elif upload.size > 1 << 20:
                st.error(f"{upload.name}: {t('case_file_too_large')}")
            else:
                try:
                    document = parse_json(upload.getvalue(), upload.name)
                    if not isinstance(document, dict):
                        raise InputFileError(upload.name, Rule.FILE_NOT_OBJECT, "a case file is one JSON object")
                    names = [p.strip() for p in parties.split(",") if p.strip()]
                    opened = service().open_case_hearing(token, document,
                                                         {"defendant_name": defendant} if defendant else None,
                                                         int(model), names)  # fmt: skip
                    st.success(t("hearing_opened").format(n=opened))
                except Exception as error:  # the case's own checks name the field and the rule
                    show_error(error)
    st.subheader(t("hearings"))
    st.table([{t("hearing"): f"#{h.hearing_id}", t("case_id"): h.case_id, t("state"): state_label(h.state)}
              for h in service().hearings(token)])  # fmt: skip
