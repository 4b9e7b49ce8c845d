"""What if a fact were otherwise: the case's facts grouped as the law groups them, the case as it stands beside the
changed one, the algorithm beside the guideline. Private preparation by default; a party puts a question on the
record by choice."""

from __future__ import annotations

from typing import Any

import streamlit as st

from hearing.benches import bench_for
from hearing.ui import (
    current_hearing,
    fact_input,
    language,
    principal,
    query,
    service,
    stop_if_guideline_alone,
    t,
    where_to_ask,
)

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    token = st.session_state["token"]
    stop_if_guideline_alone(hearing)  # every question here asks the model
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
            value = fact_input(spec, current, key, lang, column)
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
