"""Issue 14: what a person sees in the app is right (units, labels, status words, swaps, fixes, uploads).

Driven headlessly with ``streamlit.testing.v1.AppTest`` over the real app, real solvers and real catalogues.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.ui.test_app import TIMEOUT_S, start


def test_switching_the_unit_converts_the_number_never_the_dose(app_path: str):
    at = start(app_path)
    at.radio(key="vitd_mode").set_value("daily").run()
    assert at.number_input(key="vitd_dose").value == 50.0
    at.number_input(key="vitd_dose").set_value(50.0).run()
    at.selectbox(key="vitd_unit").set_value("IU").run()
    assert not at.exception
    assert at.number_input(key="vitd_dose").value == 2000.0
    assert any("= 50.0 µg = 2,000 IU per day" in c.value for c in at.caption)
    at.selectbox(key="vitd_unit").set_value("µg").run()
    assert at.number_input(key="vitd_dose").value == 50.0
    assert any("= 50.0 µg = 2,000 IU per day" in c.value for c in at.caption)
