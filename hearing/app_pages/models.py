"""The technologist's page: register a model (probed at load, its digest kept and checked at every later load), the
registered models with their cards, and a registered model's batch audit over a file of past cases, with progress."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import streamlit as st

from explain_tiers.batch_audit import BATCH_TEXT, BatchAudit
from hearing.ui import language, principal, service, show_error, t
from sentencing.catalogue import load_catalogue
from sentencing.filing import RISK_LEVEL_LABELS
from sentencing.i18n import Language

AUDIT_UPLOAD_LIMIT = 64 << 20  # a larger file is audited from the command line (`voirdire audit`), in chunks


def card_rows(card: Any, prefix: str = "") -> list[tuple[str, str]]:
    """A model card (the vendor's nested document) as rows "section.field → value", in the card's own words."""
    if isinstance(card, dict):
        return [row for key, value in card.items() for row in card_rows(value, f"{prefix}{key}.")]
    if isinstance(card, list) and all(not isinstance(v, dict | list) for v in card):
        return [(prefix.rstrip("."), ", ".join(str(v) for v in card)[:500])]
    if isinstance(card, list):
        return [row for index, value in enumerate(card, 1) for row in card_rows(value, f"{prefix}{index}.")]
    if isinstance(card, bool):
        return [(prefix.rstrip("."), t("card_yes" if card else "card_no"))]
    text = "—" if card is None else (f"{card:.4g}" if isinstance(card, float) else str(card))
    return [(prefix.rstrip("."), text[:500])]


def show_audit(audit: BatchAudit, lang: Language) -> None:
    """The audit as tables in the reader's language: flip tests, group means, coverage, findings."""
    catalogue = load_catalogue()

    def label(factor: str) -> str:
        known = {spec.id for spec in catalogue.factors}
        return catalogue.factor(factor).label.text(lang) if factor in known else factor

    def value(factor: str, raw: str) -> str:
        return catalogue.factor(factor).value_label(raw, lang)

    a, b, c = st.columns(3)
    a.metric(t("n_cases"), f"{audit.rows:,}")
    b.metric(t("coverage_short"), f"{audit.covered:.1%}", help=BATCH_TEXT["coverage"].text(lang))
    c.metric(t("findings_count"), str(len(audit.findings)))
    if audit.findings:
        for finding in audit.findings:
            st.error(finding.text(lang))
    else:
        st.success(BATCH_TEXT["none"].text(lang))
    st.markdown(f"**{BATCH_TEXT['flips'].text(lang)}**")
    st.table([{t("factor_col"): f"{label(f.factor)}: {value(f.factor, f.reference)} → {value(f.factor, f.value)}",
               t("mean_change"): f"{f.mean_change_months:+.2f} {t('months_unit')}",
               t("typical_change"): f"{f.mean_change_percent:+.1f}%",
               BATCH_TEXT["moved"].text(lang): f"{f.share_moved:.0%}", t("n_cases"): f"{f.rows:,}"}
              for f in audit.flips])  # fmt: skip
    st.markdown(f"**{BATCH_TEXT['groups'].text(lang)}**")
    st.table([{t("factor_col"): f"{label(g.factor)}: {value(g.factor, g.value)}", t("n_cases"): f"{g.rows:,}",
               BATCH_TEXT["recommended"].text(lang): f"{g.mean_recommended:.1f}",
               BATCH_TEXT["actual"].text(lang): "—" if g.mean_actual is None else f"{g.mean_actual:.1f}"}
              for g in audit.groups])  # fmt: skip
    charges = {charge.id: charge.label.text(lang) for charge in catalogue.charges}
    st.markdown(f"**{BATCH_TEXT['coverage'].text(lang)}**")
    st.table([{t("charge"): charges.get(line.charge, line.charge), t("n_cases"): f"{line.rows:,}",
               BATCH_TEXT["coverage"].text(lang): f"{line.covered:.1%}"} for line in audit.coverage])  # fmt: skip
    if audit.outside_by_column:
        st.caption(f"{BATCH_TEXT['outside'].text(lang)}: "
                   + "; ".join(f"{label(column)} {n:,}" for column, n in audit.outside_by_column))  # fmt: skip


user = principal()
if user is not None:
    token = st.session_state["token"]
    lang = language()
    models = service().models(token)
    risk_labels = {level.value: label.text(lang) for level, label in RISK_LEVEL_LABELS.items()}

    st.subheader(t("register_model"))
    with st.form("register_model"):
        location = st.text_input(t("model_location"), key="register_location", help=t("model_location_help"))
        expected = st.text_input(t("model_sha256"), key="register_sha256", help=t("model_sha256_help"))
        st.caption(t("filing_help"))  # the filing (备案) and review, entered in every hearing the model answers in
        filing_columns = st.columns(3)
        filing: dict[str, Any] = {
            "number": filing_columns[0].text_input(t("filing_number"), key="filing_number"),
            "authority": filing_columns[1].text_input(t("filing_authority"), key="filing_authority"),
            "risk_level": filing_columns[2].selectbox(t("filing_risk_level"), ["low", "medium", "high"],
                                                      key="filing_risk_level", format_func=risk_labels.__getitem__),
            "assessed_on": filing_columns[0].text_input(t("filing_assessed_on"), key="filing_assessed_on",
                                                        placeholder="YYYY-MM-DD"),
            "ethics_reviewed_on": filing_columns[1].text_input(t("filing_ethics_on"), key="filing_ethics_on",
                                                               placeholder="YYYY-MM-DD"),
            "model_sha256": filing_columns[2].text_input(t("filing_sha256"), key="filing_sha256"),
        }  # fmt: skip
        if st.form_submit_button(t("register_model")):
            if not location.strip():
                st.error(t("model_location_needed"))
            else:
                try:
                    digest = expected.strip().lower() or None
                    filed = {k: v.strip() if isinstance(v, str) else v for k, v in filing.items()}
                    given = filed["number"] or filed["model_sha256"]  # no filing: the fields stay empty
                    with st.spinner(t("registering")):
                        model_id = service().register_model(token, location.strip(), expected_sha256=digest,
                                                            filing=filed if given else None)  # fmt: skip
                    st.success(t("model_registered").format(n=model_id))
                    models = service().models(token)
                except Exception as error:  # a refused model is named with the rule it broke
                    show_error(error)

    st.subheader(t("models"))
    if not models:
        st.info(t("no_models"))
    for model in models:
        with st.expander(f"#{model.model_id} · {model.name} · {t('kind_' + model.kind)}", expanded=len(models) == 1):
            st.write(f"{t('location')}: `{model.location}`")
            st.write(f"sha256: `{model.sha256}`")
            if model.filing:
                matches = model.filing["model_sha256"] == model.sha256
                st.caption(t("filing"))
                st.table([{t("card_field"): t(f"filing_{key}" if key != "ethics_reviewed_on" else "filing_ethics_on"),
                           t("card_value"): risk_labels.get(str(value), str(value))}
                          for key, value in model.filing.items()])  # fmt: skip
                (st.success if matches else st.error)(t("filing_matches" if matches else "filing_differs"))
            else:
                st.warning(t("filing_none"))
            if model.card:
                st.caption(t("model_card"))
                rows = card_rows(model.card)
                st.table([{t("card_field"): key, t("card_value"): value} for key, value in rows[:300]])
                if len(rows) > 300:
                    st.caption(t("card_more").format(n=len(rows) - 300))

    st.subheader(t("batch_audit"))
    st.caption(t("batch_audit_help"))
    files = [m for m in models if m.kind == "artifact"]
    chosen = st.selectbox(t("model"), [m.model_id for m in files], key="audit_model",
                          format_func={m.model_id: f"#{m.model_id} · {m.name}" for m in files}.__getitem__)  # fmt: skip
    upload = st.file_uploader(t("audit_file"), type=["csv"], key="audit_upload")
    threshold = st.number_input(t("audit_threshold"), min_value=0.1, max_value=24.0, value=0.5, step=0.1,
                                key="audit_threshold")  # fmt: skip
    if st.button(t("audit_go"), key="audit_go", disabled=chosen is None):
        if upload is None:
            st.error(t("audit_file_needed"))
        elif upload.size > AUDIT_UPLOAD_LIMIT:
            st.error(f"{upload.name}: {t('audit_file_too_large')}")
        else:
            bar = st.progress(0.0, text=t("auditing"))

            def advance(done: int, total: int) -> None:
                bar.progress(min(done / total, 1.0) if total else 1.0,
                             text=f"{t('auditing')} {done:,} / {total:,}")  # fmt: skip

            with tempfile.TemporaryDirectory(prefix="voirdire-upload-") as folder:
                data = Path(folder) / "cases.csv"  # never the uploaded name: a name is not a path
                data.write_bytes(upload.getvalue())
                try:
                    audit = service().batch_audit(token, int(chosen), data, threshold_months=float(threshold),
                                                  progress=advance)  # fmt: skip
                    st.session_state["audit_result"] = (int(chosen), upload.name, audit)
                except Exception as error:  # a bad file is named with its line and column, by its own name
                    show_error(error, {str(data): upload.name})
                    st.session_state.pop("audit_result", None)
            bar.empty()
    kept = st.session_state.get("audit_result")
    if kept:
        st.caption(t("audit_of").format(model=kept[0], file=kept[1]))
        show_audit(kept[2], lang)
