"""The verification checker: records each check of a plan and every violation, with tolerances."""

from __future__ import annotations

from typing import Any

import pandas as pd


def food_names(frame: pd.DataFrame) -> dict[str, str]:
    """Food id -> name (as text) for the whole catalogue (plain lists: fast on Arrow-backed columns)."""
    if "name" not in frame.columns:
        return {}
    return dict(zip(frame.index.tolist(), frame["name"].astype(str).tolist()))






# -- the checker ---------------------------------------------------------------------------------
class Checker:
    def __init__(self, tolerance: float) -> None:
        self.tol = tolerance
        self.violations: list[str] = []
        self.warnings: list[str] = []
        self.checked = 0

    def slack(self, bound: float) -> float:
        return self.tol * max(1.0, abs(bound))

    def at_least(self, value: float, bound: float, what: str, unit: str = "") -> None:
        self.checked += 1
        if not value >= bound - self.slack(bound):
            self.violations.append(f"{what}: {value:.6g} {unit} is below the minimum {bound:.6g} {unit} (short by "
                                   f"{bound - value:.4g})".replace("  ", " "))

    def at_most(self, value: float, bound: float, what: str, unit: str = "") -> None:
        self.checked += 1
        if not value <= bound + self.slack(bound):
            self.violations.append(f"{what}: {value:.6g} {unit} is above the maximum {bound:.6g} {unit} (over by "
                                   f"{value - bound:.4g})".replace("  ", " "))

    def equal(self, value: float, expected: float, what: str, unit: str = "") -> None:
        self.checked += 1
        if not abs(value - expected) <= self.slack(expected):
            self.violations.append(f"{what}: {value:.6g} {unit} but should be {expected:.6g} {unit} (off by "
                                   f"{value - expected:.4g})".replace("  ", " "))

    def require(self, ok: bool, message: str) -> None:
        self.checked += 1
        if not ok:
            self.violations.append(message)


def item_label(row: Any, names: dict[str, str]) -> str:
    name = names.get(row.food_id, "")
    return f"day {row.day}, {row.meal}, {row.food_id}" + (f" ({name})" if name else "")
