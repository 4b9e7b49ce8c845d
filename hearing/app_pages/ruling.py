"""The judge's algorithm citation: the form beside the algorithm's suggestion, the guideline and the band; reviewed
before it is recorded; the hearing closed with confirmation; the pack sealed with progress."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import streamlit as st

from evidence_pack.archive import export_archive
from hearing.benches import bench_for
from hearing.policy import Action, may
from hearing.ui import current_hearing, language, principal, service, show_error, t

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    token = st.session_state["token"]
    lang = language()
    state = service().hearing_state(token, hearing)
    notice = st.session_state.pop("ruling_notice", None)
    if notice:
        st.success(notice)
    ruling = service().ruling(token, hearing)
    bench = bench_for(service().kinds, service().case(token, hearing)[0], lang)
    standard = service().report(token, hearing, "standard")
    if ruling is None and state == "open":
        warned = service().deviation(token, user.username).warnings if user.role == "judge" else ()
        for warning in warned:
            st.warning(f"{t('anchoring_warning')}: {warning.text(lang)}")
        form_side, beside = st.columns([3, 2])
        with beside:  # what the judge weighs the algorithm against, beside the form
            st.markdown(f"**{t('beside_form')}**")
            if standard is not None:
                bench.show_summary(standard.body, lang, compact=True)
            elif (alone := service().guideline_alone(token, hearing)) is not None:  # no model: the guideline alone
                st.caption(alone.reason.text(lang))
                guideline = service().guideline_report(token, hearing)
                if guideline is not None:
                    found = guideline.derivation
                    st.metric(t("guideline_gives"), f"{found.recommended_months:.1f}")
                    st.caption(f"{t('guideline_band')}: {found.judicial_band.low:.1f}–{found.judicial_band.high:.1f}")
            bench.show_proposal(lang)
        with form_side, st.form("ruling"):
            liability = st.text_area(t("weighed_liability"), key="ruling_liability")
            prevention = st.text_area(t("weighed_prevention"), key="ruling_prevention")
            particulars = st.text_area(t("particulars"), key="ruling_particulars")
            adopted = bench.adoption(lang)
            reasons = st.text_area(t("reasons"), key="ruling_reasons")
            anchoring = ""
            if warned:  # 原因说明: the deviation monitor warns of anchoring on this judge's earlier rulings
                anchoring = st.text_area(t("anchoring_reasons"), key="ruling_anchoring")
            reviewed = st.form_submit_button(t("review_citation"))
        if reviewed:
            if "adopted_months" in adopted and adopted["adopted_months"] is None:
                st.error(t("adopted_missing"))
                st.session_state.pop("citation_draft", None)
            else:
                st.session_state["citation_draft"] = {
                    "weighed_liability": liability, "weighed_prevention": prevention, "particulars": particulars,
                    "departure_reasons": reasons, **adopted,
                    **({"anchoring_reasons": anchoring} if warned else {}),
                }  # fmt: skip
        draft: dict[str, Any] | None = st.session_state.get("citation_draft")
        if draft is not None:
            with st.container(border=True):
                st.markdown(f"**{t('citation_preview')}**")
                st.write(bench.draft_summary(draft, lang))
                for key in ("weighed_liability", "weighed_prevention", "particulars", "departure_reasons",
                            "anchoring_reasons"):  # fmt: skip
                    if draft.get(key):
                        st.write(f"*{t(key if key != 'departure_reasons' else 'reasons')}:* {draft[key]}")
                st.caption(t("edit_hint"))
                if st.button(t("write_ruling"), key="ruling_confirm", type="primary"):
                    try:
                        service().write_ruling(token, hearing, **draft)
                        st.session_state.pop("citation_draft", None)
                        st.session_state["ruling_notice"] = t("ruling_written")
                        st.rerun()
                    except Exception as error:  # the service names the field and the rule
                        show_error(error)
    elif ruling is not None:
        st.markdown(f"**{t('citation')}**")
        st.write(bench.ruling_summary(ruling, lang))
        for label, text in (
            (t("weighed_liability"), ruling.weighed_liability),
            (t("weighed_prevention"), ruling.weighed_prevention),
            (t("particulars"), ruling.particulars),
            (t("reasons"), ruling.departure_reasons),
        ):
            if text:
                st.write(f"*{label}:* {text}")
        if ruling.committee_referral:
            st.warning(t("committee_referral"))
        if ruling.anchoring_reasons:
            st.write(f"*{t('anchoring_reasons')}:* {ruling.anchoring_reasons}")
        section = service().citation_text(token, hearing, lang) or ""
        with st.expander(t("citation_section"), expanded=True):  # what the judgment quotes, as the pack seals it
            st.text(section)
        st.download_button(t("print_citation"), section.encode("utf-8"),
                           file_name=f"citation-hearing-{hearing}.{lang}.txt", mime="text/plain",
                           key="citation_download", on_click="ignore")  # fmt: skip
        if state == "ruled":
            with st.expander(t("amend_citation")), st.form("amend"):  # the judge's own words, to correct before closing
                amended: dict[str, Any] = {
                    "weighed_liability": st.text_area(t("weighed_liability"), ruling.weighed_liability,
                                                      key="amend_liability"),
                    "weighed_prevention": st.text_area(t("weighed_prevention"), ruling.weighed_prevention,
                                                       key="amend_prevention"),
                    "particulars": st.text_area(t("particulars"), ruling.particulars, key="amend_particulars"),
                    "departure_reasons": st.text_area(t("reasons"), ruling.departure_reasons, key="amend_reasons"),
                }  # fmt: skip
                if ruling.adopted_months is not None:
                    amended["adopted_months"] = float(st.number_input(t("adopted_months"), min_value=0.5,
                                                                      max_value=600.0, value=ruling.adopted_months,
                                                                      step=0.5, key="amend_adopted"))  # fmt: skip
                else:
                    amended.update(bench.adoption(lang))
                if st.form_submit_button(t("amend_save")):
                    try:
                        service().amend_ruling(token, hearing, **amended)
                        st.session_state["ruling_notice"] = t("amended")
                        st.rerun()
                    except Exception as error:  # departing without reasons, a plea case's decided sentence
                        show_error(error)
            sure = st.checkbox(t("close_confirm"), key="ruling_close_sure")
            if st.button(t("close"), key="ruling_close", disabled=not sure):
                try:
                    service().close_hearing(token, hearing)
                    st.session_state["ruling_notice"] = t("done")
                    st.rerun()  # the page again, now with the seal section of a closed hearing
                except Exception as error:  # the service names the state rule
                    show_error(error)
    if state in ("closed", "sealed"):
        st.subheader(t("pack"))
        packs = service().packs(token, hearing)
        for pack in packs:
            st.write(f"{t('version')} {pack.version} · {pack.created_at:%Y-%m-%d %H:%M} UTC · sha256 `{pack.digest}`")
        if not packs:
            st.write(t("no_packs"))
        if may(user.role, Action.SEAL_PACK):
            fingerprint = service().sealing_key(token)
            if fingerprint is None:
                with st.form("sealing_key"):
                    passphrase = st.text_input(t("passphrase"), type="password", key="key_passphrase")
                    if st.form_submit_button(t("create_key")):
                        try:
                            service().create_sealing_key(token, passphrase)
                            st.rerun()
                        except Exception as error:  # the service names the rule (passphrase length)
                            show_error(error)
            elif not service().sealing_key_approved(token):
                st.caption(f"{t('key_fingerprint')}: {fingerprint}")
                st.info(t("key_awaits_approval"))
            else:
                st.caption(f"{t('key_fingerprint')}: {fingerprint}")
                if f"pack_prepared_{hearing}" not in st.session_state:  # the reports print while the judge reads
                    st.session_state[f"pack_prepared_{hearing}"] = True
                    threading.Thread(target=service().prepare_pack, args=(token, hearing), daemon=True).start()
                with st.form("seal", clear_on_submit=True):  # the passphrase never stays on screen
                    passphrase = st.text_input(t("passphrase"), type="password", key="seal_passphrase")
                    sealing = st.form_submit_button(t("seal"))
                if sealing:
                    with st.status(t("sealing"), expanded=True) as status:
                        try:
                            sealed = service().seal(
                                token,
                                hearing,
                                passphrase,
                                service().settings.packs_dir,
                                progress=lambda step: status.write(t("seal_step") + step),
                            )
                            archive, _ = export_archive(sealed.path)
                            st.session_state["sealed_archive"] = str(archive)
                            st.session_state["ruling_notice"] = (t("sealed_as").format(version=sealed.version)
                                                                 + f" · sha256 {sealed.digest}")  # fmt: skip
                            status.update(label=t("sealed_done"), state="complete")
                        except Exception as error:  # wrong passphrase, state rules: said in words
                            status.update(label=t("seal_failed"), state="error")
                            show_error(error)
                            sealed = None  # type: ignore[assignment]
                    if sealed is not None:
                        st.rerun()
                archive_path = st.session_state.get("sealed_archive")
                if archive_path and Path(archive_path).is_file():
                    st.download_button(t("download_pack"), Path(archive_path).read_bytes(),
                                       file_name=Path(archive_path).name, key="download_pack")  # fmt: skip
