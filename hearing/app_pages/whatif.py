"""What if a fact were otherwise: the case's facts grouped as the law groups them, the case as it stands beside the
changed one, the algorithm beside the guideline. Private preparation by default; a party puts a question on the
record by choice."""

from __future__ import annotations

from typing import Any

import streamlit as st

from hearing.benches import bench_for
from hearing.ui import current_hearing, language, principal, query, service, t, where_to_ask
from sentencing.catalogue import FactorType

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    token = st.session_state["token"]
    case, _ = service().case(token, hearing)
    bench = bench_for(service().kinds, case)
    lang = language()
    standard = service().report(token, hearing, "standard")
    if standard is not None:
        st.write(f"**{t('baseline')}:** {bench.present_value(standard.body)}")
    changes: dict[str, Any] = {}
    for group, specs in bench.disputable_groups(lang):
        st.markdown(f"**{group}**")
        columns = st.columns(3)
        for index, spec in enumerate(specs):
            column = columns[index % 3]
            current = case.value(spec.id)
            key = f"whatif_{spec.id}"
            value: Any
            if spec.type is FactorType.BOOLEAN:
                value = column.checkbox(spec.label.text(lang), value=bool(current), key=key)
            elif spec.type is FactorType.ENUM:
                choices: list[str] = list(spec.values)
                labels = {v: spec.value_label(v, lang) for v in choices}
                value = column.selectbox(spec.label.text(lang), choices, index=choices.index(str(current)), key=key,
                                         format_func=labels.__getitem__)  # fmt: skip
            elif spec.type is FactorType.INTEGER:
                value = int(
                    column.number_input(
                        spec.label.text(lang),
                        min_value=int(spec.minimum or 0),
                        max_value=int(spec.maximum or 0),
                        value=int(current),
                        key=key,
                    )
                )
            else:
                value = column.number_input(
                    spec.label.text(lang),
                    min_value=float(spec.minimum or 0),
                    max_value=float(spec.maximum or 0),
                    value=float(current),
                    key=key,
                )
                value = int(value) if float(value).is_integer() else value
            if value != current:
                changes[spec.id] = value
    if changes:
        st.write(f"**{t('what_changed')}:** {bench.change_text(changes, dict(case.values), lang)}")
    open_court = where_to_ask(user.role, hearing, "whatif")
    if st.button(t("ask"), disabled=not changes or open_court is None, key="whatif_ask"):
        with st.spinner(t("asking")):
            result = query(hearing, bench.whatif_operation, {"changes": changes}, open_court=bool(open_court))
        if result:
            bench.show_whatif(result, lang)
