"""Cofactor's web app: ``streamlit run app.py``.

Pages: the Planner (ui/planner_page.py) and, when ``ui/clients.py`` is installed, the dietitian's Clients page.
The UI only calls the ``foods`` and ``optimizer`` libraries; no optimization logic lives here.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # `streamlit run app.py` from a source checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))

from ui import planner_page  # noqa: E402

ICON = ":material/restaurant_menu:"


def _pages() -> list[StreamlitPage]:
    pages = [st.Page(planner_page.render, title="Planner", icon=ICON, url_path="planner", default=True)]
    if importlib.util.find_spec("ui.clients") is not None:
        try:
            clients = importlib.import_module("ui.clients")
        except Exception as error:  # a broken optional page must not take the planner down
            st.sidebar.warning(f"The Clients page could not be loaded: {error}")
            return pages
        if callable(getattr(clients, "render", None)):
            pages.append(st.Page(clients.render, title="Clients", icon=":material/groups:", url_path="clients"))
    return pages


st.set_page_config(page_title="Cofactor — magnesium keeps pace with vitamin D", page_icon=ICON, layout="wide",
                   initial_sidebar_state="auto")
pages = _pages()
navigation = st.navigation(pages, position="sidebar" if len(pages) > 1 else "hidden")
navigation.run()
