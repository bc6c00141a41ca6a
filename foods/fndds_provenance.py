"""The provenance text written next to the built FNDDS files (``foods/data/PROVENANCE_FNDDS.md``)."""

from __future__ import annotations

from collections.abc import Mapping

TEMPLATE = """# FNDDS catalogue (foods as eaten): provenance

- Source: USDA Agricultural Research Service, Food Surveys Research Group, **Food and Nutrient Database for
  Dietary Studies (FNDDS)** "At A Glance" tables, releases 2017-2018 and 2015-2016, and the **Food Patterns
  Equivalents Database (FPED) 2017-2018**. CSV text exports of the USDA workbooks (see `/work/shared/data/PROVENANCE.md`
  of the build machine for where the copies came from).
- Licence: US government work, **public domain** (no copyright).
- Build command (from the repository root): `python -m foods.build_fndds ../shared/data/fndds --out foods/data`
  (deterministic: sorted rows, floats as `%.6g`, gzip with mtime 0; building twice gives the same bytes).
- Base release: **2017-2018** for foods, WWEIA categories, nutrients (65 per 100 g, complete: USDA imputes
  missing values), portions and FPED (one release). Recipes: **2015-2016**, the only release here with an
  ingredient table, joined by food code. 2015-16 codes retired before 2017-18 are not shipped.
- Foods: {foods}. With FPED values from FPED 2017-2018: {fped_given}; FPED filled by the WWEIA-category median
  (`fped_imputed` = 1): {fped_imputed}.
- Recipes: {recipes_2015_16} foods have a 2015-16 recipe; {with_recipe} of the {foods} 2017-18 foods are among them
  (diet tags and allergens from ingredients, `tags_source` = `recipe`); {tags_from_rules} foods have no recipe and
  are tagged by name and WWEIA rules (`tags_source` = `rules`). Distinct SR ingredients used: {sr_ingredients}.
  Sub-recipes (8-digit ingredient codes) are expanded recursively; `grams_per_100g` is grams of the ingredient
  as listed per 100 g of food as eaten (recipe weight / (total weight x (1 + moisture change %/100)) x 100).
- Portions kept: {portions} (weight > 0; "Quantity not specified", "Guideline amount" and brand subcode rows dropped).
- Everyday foods: {everyday} (rules in `foods/fndds_everyday.py` plus the curated `{curated}`,
  SHA-256 `{curated_sha}`).
- Units: nutrient keys carry their unit (`_g`, `_mg`, `_ug` = µg, `_kcal`); vitamin D is µg (FNDDS gives D2 + D3
  in µg); `folate_ug` is total folate, `folate_dfe_ug` dietary folate equivalents, `vitamin_a_rae_ug` µg RAE.
  FPED keys: `_cup_eq`, `_oz_eq`, `_tsp_eq` per 100 g, `oils_g`/`solid_fats_g` g, `alcoholic_drinks` drinks.

| Input | SHA-256 |
|---|---|
{rows_in}

| Output | SHA-256 |
|---|---|
{rows_out}
"""


def provenance_text(counts: Mapping[str, int], *, rows_in: str, rows_out: str, curated: str, curated_sha: str) -> str:
    """The provenance Markdown for the build ``counts`` and the checksum table rows."""
    return TEMPLATE.format(**counts, rows_in=rows_in, rows_out=rows_out, curated=curated, curated_sha=curated_sha)
