"""The appellate court's page: the sealed hearing read-only (its report, citation and record are on the other pages),
the pack verified and replayed in the browser, the pack downloaded, and new queries chained to the pack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from evidence_pack.archive import export_archive
from evidence_pack.replay import Match
from hearing.benches import bench_for
from hearing.ui import current_hearing, entry_summary, language, principal, service, show_error, t

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    token = st.session_state["token"]
    lang = language()
    case, _ = service().case(token, hearing)
    bench = bench_for(service().kinds, case, lang)
    packs = service().packs(token, hearing)
    ruling = service().ruling(token, hearing)
    if ruling is not None:
        st.markdown(f"**{t('citation')}**")
        st.write(bench.ruling_summary(ruling, lang))
    if not packs:
        st.info(t("no_packs_appeal"))
    else:
        latest = packs[-1]
        st.write(f"{t('version')} {latest.version} · {latest.created_at:%Y-%m-%d %H:%M} UTC · sha256 `{latest.digest}`")
        if st.button(t("verify_replay"), key="appeal_verify"):
            with st.status(t("verifying"), expanded=True) as status:
                try:
                    verdict, replayed = service().appeal_check(token, hearing)
                    outcomes = {True: t("ok"), False: t("failed"), None: t("not_checked")}
                    st.table([{t("check"): c.label(lang), t("outcome"): outcomes[c.ok],
                               t("detail"): c.meaning(lang) or c.detail} for c in verdict.checks])  # fmt: skip
                    if replayed is not None:
                        st.write(t("replayed").format(n=len(replayed.queries) + 1, exact=replayed.count(Match.EXACT)))
                    good = verdict.ok and (replayed is None or replayed.ok)
                    status.update(label=t("pack_sound") if good else t("pack_unsound"),
                                  state="complete" if good else "error")  # fmt: skip
                except Exception as error:  # a pack that cannot be opened: said in words
                    status.update(label=t("pack_unsound"), state="error")
                    show_error(error)
        st.download_button(t("download_pack"), lambda: Path(export_archive(Path(latest.location))[0]).read_bytes(),
                           file_name=f"{Path(latest.location).name}.tar", key="appeal_download",
                           on_click="ignore")  # fmt: skip
        st.subheader(t("appeal_queries"))
        alone = service().guideline_alone(token, hearing)
        if alone is not None:  # no model was used, or the defendant refused it: the appeal does not ask one either
            st.info(alone.reason.text(lang))
        changes: dict[str, Any] = {}
        for spec in bench.disputable() if alone is None else ():
            if spec.type.value == "boolean":
                flipped = st.checkbox(f"{spec.label.text(lang)}: {bench.describe(spec.id, case.value(spec.id), lang)}"
                                      f" → {bench.describe(spec.id, not case.value(spec.id), lang)}",
                                      key=f"appeal_{spec.id}")  # fmt: skip
                if flipped:
                    changes[spec.id] = not case.value(spec.id)
        if alone is None and st.button(t("ask"), key="appeal_ask", disabled=not changes):
            try:
                outcome, seq = service().appeal_query(token, hearing, bench.whatif_operation, {"changes": changes})
                st.success(t("appeal_entered").format(seq=seq))
                bench.show_whatif(outcome.result, lang)
            except Exception as error:  # the service names the rule
                show_error(error)
        entries = service().appeal_record(token, hearing)
        for entry in entries:
            asked, answer = entry_summary(bench, entry["operation"], entry["parameters"], entry["result"], lang)
            st.write(f"#{entry['seq']} · {entry['party']} · {asked} — {answer}")
