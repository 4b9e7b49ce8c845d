from __future__ import annotations

from pathlib import Path

import streamlit as st

from evidence_pack.archive import export_archive
from hearing.benches import bench_for
from hearing.policy import Action, may
from hearing.ui import current_hearing, language, principal, service, show_error, t

hearing = current_hearing()
if hearing is not None:
    token = st.session_state["token"]
    state = service().hearing_state(token, hearing)
    notice = st.session_state.pop("ruling_notice", None)
    if notice:
        st.success(notice)
    st.write(f"{t('state')}: {state}")
    ruling = service().ruling(token, hearing)
    bench = bench_for(service().kinds, service().case(token, hearing)[0])
    if ruling is None:
        with st.form("ruling"):
            liability = st.text_area(t("weighed_liability"), key="ruling_liability")
            prevention = st.text_area(t("weighed_prevention"), key="ruling_prevention")
            particulars = st.text_area(t("particulars"), key="ruling_particulars")
            adopted = bench.adoption(language())
            reasons = st.text_area(t("reasons"), key="ruling_reasons")
            if st.form_submit_button(t("write_ruling")):
                try:
                    service().write_ruling(token, hearing, weighed_liability=liability, weighed_prevention=prevention,
                                           particulars=particulars, departure_reasons=reasons,
                                           **adopted)  # fmt: skip
                    st.rerun()
                except Exception as error:  # the service says which field and rule
                    show_error(error)
    else:
        st.write(bench.ruling_summary(ruling, language()))
        if state == "ruled" and st.button(t("close"), key="ruling_close"):
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
            st.write(f"v{pack.version} · sha256 {pack.digest} · {pack.created_at:%Y-%m-%d %H:%M}")
        if not packs:
            st.write(t("no_packs"))
        user = principal()
        if user is not None and may(user.role, Action.SEAL_PACK):
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
                with st.form("seal"):
                    passphrase = st.text_input(t("passphrase"), type="password", key="seal_passphrase")
                    if st.form_submit_button(t("seal")):
                        try:
                            sealed = service().seal(token, hearing, passphrase, service().settings.packs_dir)
                            archive, _ = export_archive(sealed.path)
                            st.session_state["sealed_archive"] = str(archive)
                            st.success(t("sealed_as").format(version=sealed.version) + f" · sha256 {sealed.digest}")
                        except Exception as error:  # wrong passphrase, state rules: said in words
                            show_error(error)
                archive_path = st.session_state.get("sealed_archive")
                if archive_path and Path(archive_path).is_file():
                    st.download_button(t("download_pack"), Path(archive_path).read_bytes(),
                                       file_name=Path(archive_path).name, key="download_pack")  # fmt: skip
