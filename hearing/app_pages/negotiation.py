"""The plea negotiation (认罪认罚协商) of a plea case: each party enters its own statements in the record.

The prosecution enters its offers and the adjusted proposal, the defence and the duty lawyer counter-offers,
acceptance or refusal and opinions on the proposal, any party or the clerk the digest of a recording, the judge the
court's leave for a duty lawyer to query in open court. The service decides who may say what."""

from __future__ import annotations

import datetime as _dt
import hashlib
from typing import Any

import streamlit as st

from explain_tiers.negotiation import OFFER_KIND_LABELS, OFFER_MAKERS, STATEMENT_SPEAKERS, OfferKind
from hearing.ui import current_hearing, language, principal, service, show_error, t

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    token = st.session_state["token"]
    lang = language()  # once: the widgets' labels are formatted after the page has run
    labels = {key: t(key) for key in ("stance_agrees", "stance_objects", "media_video", "media_audio")}
    case, _ = service().case(token, hearing)
    proposal = getattr(case, "proposal", None)
    if proposal is None:
        st.info(t("no_proposal"))
    else:

        def enter(operation: str, parameters: dict[str, Any], hearing_id: int = hearing) -> None:
            try:
                _, seq = service().state(token, hearing_id, operation, parameters)
                st.success(f"{t('entered')} #{seq}")
            except Exception as error:  # the service names the field and the rule
                show_error(error)

        offers = [k for k in OfferKind if user.role in OFFER_MAKERS[k]]
        if offers:
            with st.form("negotiation_offer"):
                st.subheader(t("offer"))
                kind = st.selectbox(t("offer_kind"), [k.value for k in offers], key="offer_kind",
                                    format_func=lambda k: OFFER_KIND_LABELS[OfferKind(k)].text(lang))  # fmt: skip
                low = st.number_input(t("term_low"), min_value=0.0, max_value=180.0, value=6.0, key="offer_low")
                high = st.number_input(t("term_high"), min_value=0.0, max_value=180.0, value=6.0, key="offer_high")
                probation = st.checkbox(t("probation"), key="offer_probation")
                answered = st.number_input(t("responds_to"), min_value=0, value=0, step=1, key="offer_responds_to")
                made_on = st.date_input(t("made_on"), value=_dt.date.today(), key="offer_made_on")
                note = st.text_area(t("note"), key="offer_note")
                if st.form_submit_button(t("enter")):
                    parameters: dict[str, Any] = {"kind": kind, "made_on": made_on.isoformat(), "note": note}
                    if OfferKind(kind) in (OfferKind.ACCEPTANCE, OfferKind.REFUSAL):
                        parameters["responds_to"] = int(answered) or None
                    else:
                        span = low if low == high else [low, high]
                        parameters["terms"] = {"penalty": "fixed_term", "term_months": span, "probation": probation}
                        if answered:
                            parameters["responds_to"] = int(answered)
                    enter("negotiation_offer", {k: v for k, v in parameters.items() if v is not None})
        if user.role in STATEMENT_SPEAKERS["proposal_opinion"]:
            with st.form("proposal_opinion"):
                st.subheader(t("opinion"))
                stance = st.radio(t("stance"), ["agrees", "objects"], key="opinion_stance", horizontal=True,
                                  format_func=lambda s: labels[f"stance_{s}"])  # fmt: skip
                text = st.text_area(t("opinion_text"), key="opinion_text")
                if st.form_submit_button(t("enter")):
                    enter("proposal_opinion", {"stance": stance, "text": text})
        if user.role in STATEMENT_SPEAKERS["negotiation_recording"]:
            with st.form("negotiation_recording"):
                st.subheader(t("recording"))
                upload = st.file_uploader(t("recording_file"), key="recording_file")
                media = st.radio(t("media"), ["video", "audio"], key="recording_media", horizontal=True,
                                 format_func=lambda m: labels[f"media_{m}"])  # fmt: skip
                recorded_on = st.date_input(t("recorded_on"), value=_dt.date.today(), key="recording_on")
                seconds = st.number_input(t("duration"), min_value=1, max_value=86_400, value=600, key="recording_s")
                if st.form_submit_button(t("enter")):
                    if upload is None:
                        st.error(t("recording_needed"))
                    else:  # only the digest enters the record; the recording stays with the court
                        digest = hashlib.sha256(upload.getvalue()).hexdigest()
                        enter("negotiation_recording", {"sha256": digest, "media": media,
                                                        "recorded_on": recorded_on.isoformat(),
                                                        "duration_seconds": int(seconds)})  # fmt: skip
        if user.role in STATEMENT_SPEAKERS["court_leave"]:
            with st.form("court_leave"):
                st.subheader(t("leave"))
                name = st.text_input(t("duty_lawyer"), key="leave_username")
                reasons = st.text_area(t("leave_reasons"), key="leave_reasons")
                if st.form_submit_button(t("enter")):
                    enter("court_leave", {"username": name, "reasons": reasons})
