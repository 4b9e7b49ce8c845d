"""The challenge findings of the deep report the record holds, each with its severity, evidence, legal basis and the
question counsel may put, in the reader's language — and the hearing of each (诉讼化听证): the parties' objections
and submissions, the technician's signed answers and the court's disposition, all entered in the record. The
service decides who may enter what; the page offers each role its own form."""

from __future__ import annotations

from typing import Any

import streamlit as st

from hearing.benches import bench_for
from hearing.ui import current_hearing, language, principal, service, show_error, t

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    lang = language()
    token = st.session_state["token"]
    labels = {key: t(key) for key in ("objection", "submission", "upheld", "rejected")}
    bench = bench_for(service().kinds, service().case(token, hearing)[0])
    with st.spinner(t("loading_report")):
        deep = service().report(token, hearing, "deep")
    if deep is None:
        st.info(t("no_findings"))
    else:
        st.caption(t("deep_from_record").format(seq=deep.seq))
        heard = {(c.finding.entry, c.finding.number): c for c in service().challenges(token, hearing)}
        is_open = service().hearing_state(token, hearing).value == "open"

        def enter(kind: str, call: Any) -> None:
            try:
                _, seq = call()
                st.session_state["challenge_entered"] = (hearing, kind, seq)
                st.rerun()
            except Exception as error:  # the service names the field and the rule
                show_error(error)

        entered = st.session_state.get("challenge_entered")
        if entered and entered[0] == hearing:
            st.success(f"{t('entered')} #{entered[2]}")
        for number, finding in enumerate(bench.findings(dict(deep.body), lang), start=1):
            ref = {"entry": deep.seq, "number": number}
            challenge = heard.get((deep.seq, number))
            with st.container(border=True, key=f"finding_{number}"):
                st.markdown(f"**{number}. {finding['title']}**")
                st.caption(f"{t('severity')}: {finding['severity']}")
                st.write(finding["evidence"])
                st.caption(f"{t('legal_basis')}: {finding['basis']}")
                st.write(f"**{t('question')}:** {finding['question']}")
                if challenge is not None:
                    for seq, party, kind, text in challenge.submissions:
                        st.markdown(f"#{seq} · {party} · {labels[kind]}: {text}")
                    for seq, technician, answer, fingerprint in challenge.answers:
                        st.markdown(f"#{seq} · {t('technician_answer')} ({technician}, {t('signed_with')} "
                                    f"{fingerprint[:16]}…): {answer}")  # fmt: skip
                    if challenge.disposition is not None:
                        seq, disposition, reasons = challenge.disposition
                        st.markdown(f"**#{seq} · {t('disposition')}: {labels[disposition]}** — {reasons}")
                disposed = challenge is not None and challenge.disposition is not None
                if not is_open:
                    continue
                if user.role in ("defence", "prosecution", "duty_lawyer"):
                    with st.form(f"submission_{number}"):
                        kind = st.radio(t("submission_kind"), ["objection", "submission"], horizontal=True,
                                        key=f"submission_kind_{number}", format_func=lambda k: labels[k])  # fmt: skip
                        text = st.text_area(t("submission_text"), key=f"submission_text_{number}")
                        if st.form_submit_button(t("enter")):
                            enter(
                                "submission",
                                lambda kind=kind, text=text, ref=ref: service().state(
                                    token, hearing, "party_submission", {"kind": kind, "text": text, "finding": ref}
                                ),
                            )
                if user.role == "technician":
                    with st.form(f"answer_{number}"):
                        answer = st.text_area(t("technician_answer"), key=f"answer_text_{number}")
                        passphrase = st.text_input(t("signing_passphrase"), type="password",
                                                   key=f"answer_passphrase_{number}")  # fmt: skip
                        if st.form_submit_button(t("sign_and_enter")):
                            enter("answer", lambda answer=answer, passphrase=passphrase, ref=ref:
                                  service().answer_finding(token, hearing, ref, answer, passphrase))  # fmt: skip
                if user.role == "judge" and not disposed:
                    with st.form(f"disposition_{number}"):
                        disposition = st.radio(
                            t("disposition"),
                            ["upheld", "rejected"],
                            horizontal=True,
                            key=f"disposition_{number}",
                            format_func=lambda d: labels[d],
                        )
                        reasons = st.text_area(t("disposition_reasons"), key=f"disposition_reasons_{number}")
                        if st.form_submit_button(t("enter")):
                            enter("disposition", lambda disposition=disposition, reasons=reasons, ref=ref:
                                  service().state(token, hearing, "finding_disposition",
                                                  {"finding": ref, "disposition": disposition,
                                                   "reasons": reasons}))  # fmt: skip
