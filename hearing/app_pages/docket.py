"""The clerk's page: open a hearing from an uploaded case file, or from the text of a judgment, indictment or
proposal read fact by fact and confirmed by the clerk (each fact with the sentence it was read from); the court's
hearings, their states and their parties (add a party, withdraw one)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from hearing.ui import fact_input, language, principal, service, show_error, state_label, t
from sentencing.catalogue import load_catalogue
from sentencing.errors import InputFileError, Rule
from sentencing.i18n import Label, Language
from sentencing.reading import MAX_TEXT_CHARS, Confirmation, Draft
from sentencing.untrusted import parse_json

HOW = {
    "stated": Label("文书明确载明", "stated in the text"),
    "summed": Label("由多处金额相加", "summed from several amounts"),
    "counted": Label("由多次行为计数", "counted from several acts"),
    "derived": Label("由文书内容推算", "worked out from the text"),
    "assumed": Label("推定", "assumed"),
}
ACTIONS = ("confirm", "correct", "remove")


def hearing_fields(token: str, key: str) -> tuple[int | None, list[str], str]:
    """The model (None: no model, the case heard on the guideline alone), the parties and the defendant's name: what
    every new hearing needs, however its case came."""
    models = service().models(token)
    labels: dict[int | None, str] = {None: t("no_model_option")} | {m.model_id: f"#{m.model_id} · {m.name}"
                                                                    for m in models}  # fmt: skip
    model = st.selectbox(t("model"), list(labels), key=f"{key}_model", index=1 if models else 0,
                         format_func=labels.__getitem__)  # fmt: skip
    parties = st.text_input(t("parties"), key=f"{key}_parties", placeholder="defence, prosecution, judge")
    defendant = st.text_input(t("defendant_name"), key=f"{key}_defendant")
    names = [p.strip() for p in parties.replace("，", ",").split(",") if p.strip()]
    return model, names, defendant.strip()


def confirm_draft(draft: Draft, by: str, lang: Language) -> Confirmation:
    """The clerk's answer to the draft, fact by fact: each fact read confirmed, corrected or removed (the sentence it
    was read from beside it); each contradiction settled; each required fact the text does not state supplied; the
    others stated or left to the catalogue's default, shown."""
    catalogue = load_catalogue()
    confirm: list[str] = []
    remove: list[str] = []
    stated: dict[str, Any] = {}
    labels = {a: t(f"intake_{a}") for a in ACTIONS}
    for fact in draft.facts:
        spec = catalogue.factor(fact.factor)
        left, right = st.columns([3, 2])
        left.markdown(f"**{spec.label.text(lang)}**: {spec.value_label(fact.value, lang)} "
                      f"· {HOW.get(fact.how, HOW['stated']).text(lang)}")  # fmt: skip
        for source in fact.sources[:3]:
            left.caption(f"「{source.quote[:160]}」")
        action = right.radio(t("intake_action"), ACTIONS, horizontal=True, key=f"intake_act_{fact.factor}",
                             format_func=labels.__getitem__)  # fmt: skip
        if action == "confirm":
            confirm.append(fact.factor)
        elif action == "remove":
            remove.append(fact.factor)
        else:
            stated[fact.factor] = fact_input(spec, fact.value, f"intake_value_{fact.factor}", lang, right)
    for contradiction in draft.contradictions:
        spec = catalogue.factor(contradiction.factor)
        st.warning(f"{spec.label.text(lang)}: {t('intake_contradiction')}")
        for source in contradiction.sources[:4]:
            st.caption(f"「{source.quote[:160]}」")
        options = [*range(len(contradiction.values)), -1]
        names = {i: spec.value_label(v, lang) for i, v in enumerate(contradiction.values)} | {-1: t("intake_neither")}
        chosen = st.selectbox(t("intake_settle"), options, key=f"intake_settle_{contradiction.factor}",
                              format_func=names.__getitem__)  # fmt: skip
        if chosen >= 0:
            stated[contradiction.factor] = contradiction.values[chosen]
        else:
            remove.append(contradiction.factor)
    required = [m for m in draft.missing if m.required]
    if required:
        st.markdown(f"**{t('intake_required')}**")
        columns = st.columns(3)
        for index, missing in enumerate(required):  # empty until the clerk states it; an empty one is refused by name
            spec = catalogue.factor(missing.factor)
            value = fact_input(spec, missing.default, f"intake_missing_{missing.factor}", lang, columns[index % 3])
            if value is not None:
                stated[missing.factor] = value
    optional = [m for m in draft.missing if not m.required]
    if optional:
        with st.expander(t("intake_defaults").format(n=len(optional))):
            columns = st.columns(3)
            for index, missing in enumerate(optional):
                spec = catalogue.factor(missing.factor)
                value = fact_input(spec, missing.default, f"intake_optional_{missing.factor}", lang,
                                   columns[index % 3])  # fmt: skip
                if value != missing.default:
                    stated[missing.factor] = value
    return Confirmation(by=by, confirm=tuple(confirm), set=tuple(stated.items()), remove=tuple(remove))


user = principal()
if user is not None:
    token = st.session_state["token"]
    lang = language()
    catalogue = load_catalogue()
    st.subheader(t("open_hearing"))
    sources = {s: t(f"intake_from_{s}") for s in ("file", "text")}
    source = st.radio(t("intake_from"), list(sources), horizontal=True, key="intake_source",
                      format_func=sources.__getitem__)  # fmt: skip
    if source == "file":
        with st.form("open_hearing"):
            upload = st.file_uploader(t("case_file"), type=["json"], key="case_upload")
            model, names, defendant = hearing_fields(token, "open")
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
                        opened = service().open_case_hearing(token, document,
                                                             {"defendant_name": defendant} if defendant else None,
                                                             model, names)  # fmt: skip
                        st.session_state["parties_hearing"] = opened
                        st.success(t("hearing_opened").format(n=opened))
                    except Exception as error:  # the case's own checks name the field and the rule
                        show_error(error)
    else:
        text = st.text_area(t("intake_text"), key="intake_text", height=180, max_chars=MAX_TEXT_CHARS)
        charges = [None, *catalogue.charge_ids]
        charge_labels = {None: t("intake_charge_read")} | {c.id: c.label.text(lang) for c in catalogue.charges}
        charge = st.selectbox(t("intake_charge"), charges, key="intake_charge",
                              format_func=charge_labels.__getitem__)  # fmt: skip
        # never disabled by the text: a text area commits what was typed only when it loses focus (the click)
        read = st.button(t("intake_read"), key="intake_read")
        if read and not text.strip():
            st.error(t("intake_text_needed"))
        elif read:
            try:
                with st.spinner(t("intake_reading")):
                    st.session_state["intake_draft"] = service().read_document(token, text, charge)
            except Exception as error:  # too long, not text: one line
                st.session_state.pop("intake_draft", None)
                show_error(error)
        draft: Draft | None = st.session_state.get("intake_draft")
        if draft is not None:
            kind = t(f"doc_{draft.document_kind}")
            read_charge = catalogue.charge(draft.charge).label.text(lang) if draft.charge else t("intake_no_charge")
            counts = t("intake_counts").format(facts=len(draft.facts), contradictions=len(draft.contradictions),
                                               missing=len([m for m in draft.missing if m.required]))  # fmt: skip
            st.info(f"{t('intake_read_as')}: {kind} · {read_charge} · {counts}")
            confirmation = confirm_draft(draft, user.username, lang)
            case_id = st.text_input(t("case_id"), value=f"read-{draft.text_sha256[:12]}", key="intake_case_id")
            model, names, defendant = hearing_fields(token, "intake")
            if st.button(t("intake_open"), key="intake_open"):
                try:
                    confirmation = Confirmation(by=confirmation.by, confirm=confirmation.confirm,
                                                set=confirmation.set, remove=confirmation.remove,
                                                case_id=case_id.strip() or None)  # fmt: skip
                    opened = service().open_read_hearing(token, draft, confirmation,
                                                         {"defendant_name": defendant} if defendant else None,
                                                         model, names)  # fmt: skip
                    st.session_state.pop("intake_draft", None)
                    st.session_state["parties_hearing"] = opened  # its parties are the clerk's next concern
                    st.success(t("hearing_opened").format(n=opened))
                except Exception as error:  # an unconfirmed fact, a bad case id: named
                    show_error(error)

    st.subheader(t("hearings"))
    hearings = service().hearings(token)
    st.table([{t("hearing"): f"#{h.hearing_id}", t("case_id"): h.case_id, t("state"): state_label(h.state)}
              for h in hearings])  # fmt: skip
    open_ones = [h for h in hearings if h.state == "open"]
    if open_ones:
        st.subheader(t("manage_parties"))
        ids = [h.hearing_id for h in open_ones]
        if st.session_state.get("parties_hearing") not in ids:  # the hearing just opened, else the sidebar's
            summary = st.session_state.get("hearing_summary")
            st.session_state["parties_hearing"] = (summary.hearing_id if summary is not None
                                                   and summary.hearing_id in ids else ids[0])  # fmt: skip
        chosen = st.selectbox(t("hearing"), ids, key="parties_hearing",
                              format_func={h.hearing_id: f"#{h.hearing_id} · {h.case_id}"
                                           for h in open_ones}.__getitem__)  # fmt: skip
        present = service().parties(token, int(chosen))
        st.table([{t("party"): name, t("role"): t("role_" + role)} for name, role in present])
        left, right = st.columns(2, vertical_alignment="bottom")
        name = left.text_input(t("party"), key="parties_name", max_chars=64)
        add, withdraw = right.columns(2, vertical_alignment="bottom")
        for button, adding, action in ((add, True, "party_add"), (withdraw, False, "party_withdraw")):
            pressed = button.button(t(action), key=action)
            if pressed and not name.strip():
                st.error(t("party_needed"))
            elif pressed:
                try:
                    service().set_party(token, int(chosen), name.strip(), present=adding)
                    st.rerun()
                except Exception as error:  # no such user, a technologist, a hearing no longer open
                    show_error(error)
