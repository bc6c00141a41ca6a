"""examples/: every JSON request validates as a PlanRequest and names real catalogue foods."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer import PlanRequest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
JSON_FILES = sorted(EXAMPLES.glob("*.json"))


def test_the_four_documented_examples_exist():
    names = {p.stem for p in JSON_FILES}
    assert {"person_default_week", "dietitian_minimal_change", "vegan_50ug_vitamin_d", "impossible_request"} <= names
    assert (EXAMPLES / "run_examples.py").exists()


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: p.stem)
def test_every_example_validates_as_a_plan_request(path):
    request = PlanRequest.model_validate_json(path.read_text(encoding="utf-8"))
    assert PlanRequest.model_validate_json(request.model_dump_json()) == request


def test_example_contents_match_their_names():
    def load(stem):
        return PlanRequest.model_validate_json((EXAMPLES / f"{stem}.json").read_text(encoding="utf-8"))
    week = load("person_default_week")
    assert week.profile.sex == "female" and week.profile.age == 45 and week.days == 7
    vegan = load("vegan_50ug_vitamin_d")
    assert vegan.diet_pattern == "vegan" and vegan.vitamin_d_supplement_ug == 50 and vegan.vitamin_d_mode == "daily"
    dietitian = load("dietitian_minimal_change")
    assert dietitian.objective == "minimal_change" and len(dietitian.usual_diet) >= 10
    assert {item.meal for item in dietitian.usual_diet} == set(dietitian.meals)
    impossible = load("impossible_request")
    assert impossible.vitamin_d_supplement_ug == pytest.approx(125)  # 5,000 IU: above the 100 µg UL


def test_usual_diet_ids_are_real_sr24_foods():
    # Needs foods.load_foods (foods/table.py, written in parallel by the foods engineer).
    import foods

    table = foods.load_foods()
    dietitian = PlanRequest.model_validate_json((EXAMPLES / "dietitian_minimal_change.json").read_text(encoding="utf-8"))
    for item in dietitian.usual_diet:
        assert item.food_id in table, item.food_id
        assert bool(table[item.food_id]["everyday"]), f"{item.food_id} is not an everyday food"
        assert 0 < item.grams <= dietitian.max_item_grams


# -- planned through optimizer.planner.plan (integration: planner, solver and shipped catalogues) ----------
def _plan(stem: str):
    from optimizer.planner import plan

    return plan(PlanRequest.model_validate_json((EXAMPLES / f"{stem}.json").read_text(encoding="utf-8")))


def test_impossible_example_has_no_plan_and_explains_the_vitamin_d_upper_limit():
    result = _plan("impossible_request")
    assert not result.has_solution
    assert result.explanation is not None
    text = str(result.explanation)
    assert "Vitamin D" in text and "100 µg" in text  # the registry's label and unit, not the key
    assert "vitamin_d_ug" not in result.explanation.summary


def test_vegan_example_takes_50_ug_and_meets_the_raised_magnesium_requirement():
    result = _plan("vegan_50ug_vitamin_d")
    assert result.has_solution
    assert result.supplements["vitamin_d_ug"].sum() == pytest.approx(50)
    magnesium = result.targets.set_index("key").loc["magnesium_mg"]
    assert magnesium["min"] == pytest.approx(420 + 100 * (50 - 15) / 85)  # RDA + default rule at 50 µg
    assert result.totals.loc[1, "magnesium_mg"] >= magnesium["min"] - 1e-6
    import foods

    table = foods.load_foods()
    assert all(bool(table[f]["vegan"]) for f in result.items["food_id"])
