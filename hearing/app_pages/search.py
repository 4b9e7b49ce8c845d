from __future__ import annotations

import streamlit as st

from hearing.ui import current_hearing, language, principal, query, t
from sentencing.catalogue import load_catalogue

hearing = current_hearing()
user = principal()
if hearing is not None and user is not None:
    below = st.number_input(t("below"), min_value=1.0, max_value=600.0, value=36.0, key="search_below")
    if st.button(t("search_button"), key="search_go"):
        target = {"low": None, "high": float(below), "high_inclusive": False, "label": f"below {below:g}"}
        result = query(hearing, "counterfactual", {"target": target})
        if result:
            catalogue = load_catalogue()
            lang = language()
            st.write(f"{result['minimal_size']} · {'✓' if result['proven_minimal'] else ''}")
            st.table(
                [{"changes": "; ".join(f"{catalogue.factor(c['factor']).label.text(lang)}: {c['before']} → {c['after']}"
                                       for c in a["changes"]),
                  "algorithm": round(a["recommended_months"], 1), "guideline": round(a["guideline_months"], 1)}
                 for a in result["answers"]]
            )  # fmt: skip
