from __future__ import annotations

from typing import Any

import streamlit as st

from hearing.benches import bench_for
from hearing.ui import current_hearing, language, principal, query, service, t
from sentencing.catalogue import FactorType

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    case, _ = service().case(st.session_state["token"], hearing)
    bench = bench_for(service().kinds, case)
    lang = language()
    changes: dict[str, Any] = {}
    columns = st.columns(3)
    for index, spec in enumerate(bench.disputable()):
        column = columns[index % 3]
        current = case.value(spec.id)
        key = f"whatif_{spec.id}"
        value: Any
        if spec.type is FactorType.BOOLEAN:
            value = column.checkbox(spec.label.text(lang), value=bool(current), key=key)
        elif spec.type is FactorType.ENUM:
            choices: list[str] = list(spec.values)
            labels = {v: spec.value_label(v, lang) for v in choices}
            value = column.selectbox(
                spec.label.text(lang),
                choices,
                index=choices.index(str(current)),
                key=key,
                format_func=labels.__getitem__,
            )
        elif spec.type is FactorType.INTEGER:
            value = int(column.number_input(spec.label.text(lang), min_value=int(spec.minimum or 0),
                                            max_value=int(spec.maximum or 0), value=int(current), key=key))  # fmt: skip
        else:
            value = column.number_input(spec.label.text(lang), min_value=float(spec.minimum or 0),
                                        max_value=float(spec.maximum or 0), value=float(current), key=key)  # fmt: skip
            value = int(value) if float(value).is_integer() else value
        if value != current:
            changes[spec.id] = value
    private = user.role in ("defence", "prosecution") and st.radio(
        "mode", ["open", "private"], format_func=lambda v: t("open_court") if v == "open" else t("workspace"),
        horizontal=True, label_visibility="collapsed", key="whatif_mode",
    ) == "private"  # fmt: skip
    if st.button(t("ask"), disabled=not changes, key="whatif_ask"):
        result = query(hearing, bench.whatif_operation, {"changes": changes}, open_court=not private)
        if result:
            bench.show_whatif(result, lang)
