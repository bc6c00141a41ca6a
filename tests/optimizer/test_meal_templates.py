"""Meal templates and variety rules as data (optimizer.domain.meal_templates)."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

import foods
from foods.roles import food_roles
from optimizer.domain.meal_templates import MealTemplates, default_meal_templates, food_labels


def _raw() -> dict:
    return json.loads(default_meal_templates().model_dump_json())


def test_default_templates_have_the_four_meals_and_dinner_is_lunch():
    templates = default_meal_templates()
    assert set(templates.meals) == {"breakfast", "lunch", "dinner", "snack"}
    assert templates.template("dinner") == templates.template("lunch")
    assert [o.name for o in templates.template("lunch").options] == ["a mixed dish", "a main, a starch and a vegetable"]
    assert templates.template("brunch") is None
    breakfast = templates.template("breakfast")
    assert breakfast.pairings[0].when == ["breakfast/cold_cereal"] and "dairy/milk" in breakfast.pairings[0].needs


def test_default_variety_rules_and_addon_amounts():
    templates = default_meal_templates()
    variety = templates.variety
    assert (variety.distinct_days, variety.max_days_per_food, variety.seafood_meals_per_week) == (7, 3, 2)
    assert variety.no_repeat_meals == ["lunch", "dinner"] and variety.no_consecutive_main_protein
    assert variety.leftovers is False
    assert templates.addons.per_dish == 1
    assert templates.addons.limit("oil") == 14 and templates.addons.limit("dressing") == 30
    assert templates.addons.limit("no_such_kind") == templates.addons.default_max_grams


def test_every_slot_token_matches_some_shipped_food():
    labels: set[str] = set()
    for catalogue in ("fndds", "sr24"):
        roles = food_roles(foods.load_foods(catalogue))
        for role, kind, mixed in zip(roles["role"], roles["kind"], roles["mixed_dish"]):
            labels |= food_labels(role, kind, bool(mixed))
    templates = default_meal_templates()
    for meal in templates.meals:
        template = templates.template(meal)
        for option in template.options:
            for slot in option.slots:
                assert set(slot.accepts) <= labels, (meal, slot.name)


def test_an_edited_copy_validates():
    raw = _raw()
    raw["variety"]["max_days_per_food"] = 2
    raw["addons"]["max_grams"]["oil"] = 10
    edited = MealTemplates.model_validate(raw)
    assert edited.variety.max_days_per_food == 2 and edited.addons.limit("oil") == 10


@pytest.mark.parametrize("edit, words", [
    (lambda r: r.update(colour="red"), "colour"),
    (lambda r: r["variety"].update(max_repeat=2), "max_repeat"),
    (lambda r: r["meals"]["snack"]["options"][0]["slots"][0].update(accepts=["candy"]), "candy"),
    (lambda r: r["meals"]["snack"]["options"][0]["slots"][0].update(accepts=["dairy/caviar"]), "dairy/caviar"),
    (lambda r: r["meals"]["dinner"].update(same_as="brunch"), "brunch"),
    (lambda r: r["meals"]["dinner"].update(same_as=None), "same_as"),
    (lambda r: r["addons"]["max_grams"].update(oil=-1), "oil"),
    (lambda r: r["variety"].update(rotating_protein_sources=["tofu"]), "tofu"),
    (lambda r: r["variety"].update(max_days_exempt_roles=["addon"]), "addon"),
    (lambda r: r["variety"].update(distinct_days=8), "distinct_days"),
])
def test_bad_templates_are_refused_by_name(edit, words):
    raw = _raw()
    raw["meals"]["dinner"] = {"same_as": "lunch", "options": [], "pairings": []}
    edit(raw)
    with pytest.raises(ValidationError, match=words):
        MealTemplates.model_validate(raw)


def test_food_labels():
    assert food_labels("main", "poultry_dish", True) == {"main", "main/poultry_dish", "main/mixed_dish"}
    assert food_labels("main", "fish", False) == {"main", "main/fish", "main/single"}
    assert food_labels("fruit", "fruit", False) == {"fruit", "fruit/fruit"}
