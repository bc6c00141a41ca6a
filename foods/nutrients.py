"""The nutrient registry: label, unit and category of every nutrient key (data in ``foods/data/nutrients.csv``).

Keys carry their unit as a suffix (``magnesium_mg``, ``vitamin_d_ug``); the optimizer, reports and the UI
read labels and units from here. Unknown keys (custom nutrients) still get a label and a unit from the key.
"""

from __future__ import annotations

import functools
import importlib.resources

import pandas as pd

#: Unit suffix of a key -> display unit.
UNIT_SUFFIXES: dict[str, str] = {
    "_mg": "mg",
    "_ug": "µg",
    "_g": "g",
    "_kcal": "kcal",
    "_iu": "IU",
    "_pct": "%",
}


@functools.cache
def _registry() -> pd.DataFrame:
    with importlib.resources.files("foods").joinpath("data/nutrients.csv").open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False)
    return frame.set_index("key")


def nutrient_registry() -> pd.DataFrame:
    """Every known nutrient: DataFrame indexed by ``key`` with columns ``label, unit, category`` (a copy)."""
    return _registry().copy()


def _split_suffix(key: str) -> tuple[str, str]:
    for suffix in sorted(UNIT_SUFFIXES, key=len, reverse=True):
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)], UNIT_SUFFIXES[suffix]
    return key, ""


def nutrient_label(key: str) -> str:
    """Human label of a nutrient key ('Magnesium'); unknown keys: the key without its unit, in words."""
    registry = _registry()
    if key in registry.index:
        return str(registry.at[key, "label"])
    stem, _ = _split_suffix(key)
    words = stem.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else key


def nutrient_unit(key: str) -> str:
    """Unit of a nutrient key ('mg', 'µg', 'g', 'kcal', 'IU', '%'); '' when the key carries no known suffix."""
    registry = _registry()
    if key in registry.index:
        return str(registry.at[key, "unit"])
    return _split_suffix(key)[1]


def registry_order() -> list[str]:
    """Registry keys in their canonical display order."""
    return list(_registry().index)
