"""Food choices: diet pattern, allergens, exclusions, likes/dislikes, must-include, usual diet, CSV uploads."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from optimizer.domain.request import Allergen, DietPattern, MustInclude, PlanRequest, UsualItem
from ui import catalogue, state

DIET, ALLERGENS, SEARCH = "diet_pattern", "exclude_allergens", "food_search"
EXCLUDE, LIKED, DISLIKED, MUST = "exclude_foods", "liked_foods", "disliked_foods", "must_include"
USUAL = "usual_diet_editor"
USUAL_ROWS = "_usual_diet_rows"  # restored usual diet (food label, grams) shown in the editor
UPLOAD_FOODS, UPLOAD_PRICES = "upload_custom_foods", "upload_price_list"
_PROCESSED = "_processed_uploads"  # file_id -> error text ("" when accepted)
DIETS: tuple[str, ...] = DietPattern.__args__  # type: ignore[attr-defined]
ALLERGEN_NAMES: tuple[str, ...] = Allergen.__args__  # type: ignore[attr-defined]
_ID_IN_LABEL = re.compile(r"\[([^\[\]]+)\]$")


@state.register_restorer
def _restore(request: PlanRequest) -> dict[str, Any]:
    return {
        DIET: request.diet_pattern, ALLERGENS: list(request.exclude_allergens), EXCLUDE: list(request.exclude_foods),
        LIKED: list(request.liked_foods), DISLIKED: list(request.disliked_foods),
        MUST: [m.food_id for m in request.must_include],
        USUAL_ROWS: [(u.food_id, u.grams) for u in request.usual_diet],
    }


def food_name(food_id: str) -> str:
    """Catalogue name of a food id (the id itself when unknown)."""
    table = catalogue.active_foods()
    return str(table.frame.at[food_id, "name"]) if food_id in table.frame.index else f"unknown food {food_id}"


def food_label(food_id: str) -> str:
    """'Name [id]' as shown in pickers."""
    return f"{food_name(food_id)} [{food_id}]"


def id_from_label(label: str) -> str | None:
    """The food id inside a 'Name [id]' label."""
    match = _ID_IN_LABEL.search(str(label or "").strip())
    return match.group(1) if match else None


def _everyday_ids() -> list[str]:
    frame = catalogue.active_foods().frame
    return [str(i) for i in frame.index[frame["everyday"].astype(bool)]] if "everyday" in frame else []


def _pool(search_ids: list[str], *current: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for group in (*current, search_ids, _everyday_ids()):
        for food_id in group:
            seen.setdefault(str(food_id), None)
    return list(seen)


def render_search() -> list[str]:
    """Search box over the whole catalogue; returns matching ids (found foods join every picker below)."""
    text = st.text_input("Search the food catalogue", value=state.value(SEARCH, ""), key=SEARCH,
                         placeholder="e.g. spinach raw, yogurt plain",
                         help="Every word must match. Found foods are added to the pickers below.")
    if not text.strip():
        return []
    hits = catalogue.active_foods().search(text)
    if hits.empty:
        st.caption(f"No food matches '{text}'.")
        return []
    hits = hits.head(40)
    cols = [c for c in ("name", "group", "everyday", "magnesium_mg", "vitamin_d_ug", "price_per_100g") if c in hits]
    st.dataframe(hits[cols], height=200, width="stretch",
                 column_config={"magnesium_mg": st.column_config.NumberColumn("Mg mg/100 g", format="%.0f"),
                                "vitamin_d_ug": st.column_config.NumberColumn("Vit D µg/100 g", format="%.1f"),
                                "price_per_100g": st.column_config.NumberColumn("$/100 g", format="%.2f")})
    return [str(i) for i in hits.index]


def _picker(label: str, key: str, pool: list[str], help_text: str) -> list[str]:
    current = [str(x) for x in st.session_state.get(key, [])]
    options = _pool(pool, current)
    st.session_state[key] = [x for x in current if x in options]
    return list(st.multiselect(label, options, key=key, format_func=food_label, help=help_text))


def _render_usual_diet(pool: list[str]) -> tuple[UsualItem, ...]:
    restored = st.session_state.get(USUAL_ROWS) or []
    labels = [food_label(i) for i in _pool(pool, [fid for fid, _ in restored])]
    start = pd.DataFrame([{"food": food_label(fid), "grams_per_day": g} for fid, g in restored],
                         columns=["food", "grams_per_day"]).astype({"food": "object", "grams_per_day": "float"})
    edited = st.data_editor(
        start, key=f"{USUAL}_{state.targets_version()}", num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            "food": st.column_config.SelectboxColumn("Food", options=labels, required=True,
                                                     help="Search above to add more foods to this list."),
            "grams_per_day": st.column_config.NumberColumn("Grams per day", min_value=0.0, max_value=2000.0,
                                                           required=True),
        })
    items = []
    for _, row in edited.iterrows():
        food_id, grams = id_from_label(row.get("food")), row.get("grams_per_day")
        if food_id and grams is not None and not (isinstance(grams, float) and math.isnan(grams)):
            items.append(UsualItem(food_id=food_id, grams=float(grams)))
    return tuple(items)


def _handle_upload(key: str, add: Callable[[str, bytes], str | None]) -> None:
    upload = st.session_state.get(key)
    if upload is None:
        return
    processed: dict[str, str] = st.session_state.setdefault(_PROCESSED, {})
    if upload.file_id not in processed:
        processed[upload.file_id] = add(upload.name, upload.getvalue()) or ""
    error = processed[upload.file_id]
    if error:
        st.error(f"{upload.name} was not loaded; the catalogue is unchanged. {error}")
    else:
        st.success(f"{upload.name} loaded.")


def render_uploads() -> None:
    """Custom foods and price list CSV uploads (validated by the library; a bad file changes nothing)."""
    c1, c2 = st.columns(2)
    with c1:
        foods_key = catalogue.uploader_key(UPLOAD_FOODS)
        st.file_uploader("Custom foods (CSV)", type=["csv"], key=foods_key,
                         help="Columns: food_id, name, optional group, nutrient columns per 100 g with the unit "
                              "in the name (e.g. magnesium_mg), optional price_per_100g, portion_name, portion_grams.")
        _handle_upload(foods_key, catalogue.add_custom_foods)
    with c2:
        prices_key = catalogue.uploader_key(UPLOAD_PRICES)
        st.file_uploader("Price list (CSV)", type=["csv"], key=prices_key,
                         help="Prices for catalogue foods: food_id, price, quantity, unit (or grams). "
                              "Needed for the 'lowest cost' objective; later lists win.")
        _handle_upload(prices_key, catalogue.add_price_list)
    if not st.session_state.get(catalogue.PRICE_LISTS) and st.button(
            "Add the shipped example prices", key="example_prices",
            help="U.S. city average retail prices from the BLS (April 2026) for a few staple foods."):
        error = catalogue.add_example_prices()
        if error:
            st.error(error)
        else:
            st.rerun()
    in_effect = catalogue.uploads_summary()
    if in_effect:
        st.caption("In effect: " + "; ".join(in_effect))
        if st.button("Forget uploaded files", key="clear_uploads", help="Plan with the shipped catalogue again."):
            catalogue.clear_uploads()
            st.session_state.pop(_PROCESSED, None)
            st.rerun()


def render_foods() -> dict[str, Any]:
    """All food-choice controls. Returns the request fields they set."""
    c1, c2 = st.columns(2)
    diet = c1.selectbox("Diet pattern", DIETS, index=state.index(DIET, DIETS, "omnivore"), key=DIET,
                        format_func=str.capitalize,
                        help="Only foods tagged for this pattern are used (vegan ⊂ vegetarian ⊂ omnivore).")
    allergens = c2.multiselect("Exclude allergens", ALLERGEN_NAMES, default=state.value(ALLERGENS, []), key=ALLERGENS,
                               format_func=lambda a: a.replace("_", " "),
                               help="Foods containing these allergens are never used.")
    found = render_search()
    c3, c4 = st.columns(2)
    with c3:
        exclude = _picker("Never use these foods", EXCLUDE, found, "Excluded foods never appear in the plan.")
        must = _picker("Must include", MUST, found, "Each of these appears at least once a day (one portion).")
    with c4:
        liked = _picker("Foods I like", LIKED, found, "Preferred: the plan leans towards them when it can.")
        disliked = _picker("Foods I dislike", DISLIKED, found, "Avoided when possible (exclude to forbid).")
    with st.expander("Usual diet (optional)", expanded=bool(st.session_state.get(USUAL_ROWS))):
        st.caption("What you eat now, in grams per day. With the objective 'least change' the plan stays "
                   "as close to it as it can while meeting the targets.")
        usual = _render_usual_diet(found)
    with st.expander("Upload custom foods or prices"):
        render_uploads()
    return {
        "diet_pattern": diet, "exclude_allergens": tuple(allergens), "exclude_foods": tuple(exclude),
        "liked_foods": tuple(liked), "disliked_foods": tuple(disliked),
        "must_include": tuple(MustInclude(food_id=f) for f in must), "usual_diet": usual,
    }
