from __future__ import annotations

import streamlit as st

from hearing.ui import current_hearing, language, principal, query, service, t
from sentencing.catalogue import load_catalogue

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    case, sensitive = service().case(st.session_state["token"], hearing)
    catalogue = load_catalogue()
    lang = language()
    st.subheader(f"{case.case_id} · {catalogue.charge(case.charge).label.text(lang)}")
    if case.description:
        st.write(case.description.text(lang))
    st.table(
        [{"factor": catalogue.factor(f).label.text(lang), "value": catalogue.factor(f).value_label(v, lang)}
         for f, v in case.values]
    )  # fmt: skip
    if sensitive is not None:
        with st.expander(t("sensitive")):
            st.json(sensitive)
    if user.role in ("defence", "prosecution", "judge", "appellate_judge"):
        left, right = st.columns(2)
        tier = None
        if left.button(t("standard_report")):
            tier = "standard"
        if right.button(t("deep_report")):
            tier = "deep"
        if tier:
            with st.spinner(t("deep_report") if tier == "deep" else t("standard_report")):
                report = query(hearing, "report", {"tier": tier})
            if report:
                exam = report["examination"]
                a, b = st.columns(2)
                a.metric(t("recommendation"), f"{exam['recommended_months']:.1f} {t('months')}")
                b.metric(t("guideline"), f"{exam['guideline']['recommended_months']:.1f} {t('months')}",
                         f"{-exam['gap_months']:+.1f}")  # fmt: skip
                st.table(
                    [{"factor": f["label"][lang], "value": f["value"][lang], "role": f["legal_role"], "zone": f["zone"],
                      "months": round(f["weight"], 2)} for f in report["main_factors"]]
                )  # fmt: skip
                for caution in report["cautions"]:
                    st.caption(caution[lang])
