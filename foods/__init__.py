"""Cofactor food and supplement catalogues: real USDA SR24 data shipped in the package.

Knows nothing of optimization. Public names are imported lazily so that ``import foods`` is cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    # catalogue
    "FoodTable": "foods.table",
    "load_foods": "foods.table",
    # nutrient registry
    "nutrient_registry": "foods.nutrients",
    "nutrient_label": "foods.nutrients",
    "nutrient_unit": "foods.nutrients",
    # supplements
    "SupplementCatalogue": "foods.supplements",
    "load_supplements": "foods.supplements",
    # prices
    "PriceList": "foods.prices",
    "load_price_list": "foods.prices",
    "example_prices": "foods.prices",
    # importers
    "import_fdc": "foods.fdc",
    # errors
    "CofactorError": "foods.errors",
    "DataError": "foods.errors",
    "FoodDataError": "foods.errors",
    "PriceListError": "foods.errors",
    "SupplementDataError": "foods.errors",
    "UnknownFoodError": "foods.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'foods' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
