"""The technologist's page: the registered models, each with its digest (checked at every load) and its card."""

from __future__ import annotations

import json

import streamlit as st

from hearing.ui import principal, service, t

user = principal()
if user is not None:
    token = st.session_state["token"]
    models = service().models(token)
    if not models:
        st.info(t("no_models"))
    for model in models:
        with st.expander(f"#{model.model_id} · {model.name} · {model.kind}", expanded=len(models) == 1):
            st.write(f"{t('location')}: `{model.location}`")
            st.write(f"sha256: `{model.sha256}`")
            card = dict(model.card)
            if card:
                st.code(json.dumps(card, ensure_ascii=False, indent=2)[:20_000], language="json")
