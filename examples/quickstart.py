"""README's library quick-start, printed: ``python examples/quickstart.py`` gives the output README shows."""

from __future__ import annotations

import time

import pandas as pd

import foods
import optimizer

pd.set_option("display.width", 200)
pd.set_option("display.max_colwidth", 70)

person = optimizer.Profile(sex="female", age=45)
req = optimizer.PlanRequest(profile=person, days=7)
start = time.perf_counter()
week = optimizer.plan(req)
seconds = time.perf_counter() - start
print(f"# the week took {seconds:.1f} s")
print(">>> week.status, week.method, week.has_solution, round(week.gap, 3)")
print((str(week.status), week.method, week.has_solution, None if week.gap is None else round(week.gap, 3)))
print(">>> week.items[week.items.day == 1][['meal', 'food', 'portions', 'portion_name', 'grams']]")
print(week.items[week.items.day == 1][["meal", "food", "portions", "portion_name", "grams"]].to_string(index=False))
print(">>> week.supplements[['day', 'supplement', 'units', 'vitamin_d_ug', 'magnesium_mg']].head(3)")
print(week.supplements[["day", "supplement", "units", "vitamin_d_ug", "magnesium_mg"]].head(3).to_string(index=False))
print(">>> week.totals[['energy_kcal', 'magnesium_mg', 'vitamin_d_ug', 'calcium_mg']].round(1).head(3)")
print(week.totals[["energy_kcal", "magnesium_mg", "vitamin_d_ug", "calcium_mg"]].round(1).head(3))
print(">>> week.targets.set_index('key').loc[['magnesium_mg', 'supplemental_magnesium_mg', 'vitamin_d_ug'], "
      "['min', 'max', 'unit', 'source']]")
print(week.targets.set_index("key").loc[["magnesium_mg", "supplemental_magnesium_mg", "vitamin_d_ug"],
                                        ["min", "max", "unit", "source"]])
print(">>> week.explanation, week.shadow_prices.empty, week.verification.passed")
print((week.explanation, week.shadow_prices.empty, week.verification.passed if week.verification else None))
print(">>> week.notes[-1]")
print(repr(week.notes[-1]))
print(">>> week.objective_value, week.best_bound")
print((round(week.objective_value or 0, 4), None if week.best_bound is None else round(week.best_bound, 4)))
again = optimizer.load_plan(week.model_dump_json())
print(">>> optimizer.load_plan(week.model_dump_json()).verification.passed")
print(again.verification.passed if again.verification else None)

fixed = optimizer.plan(req.model_copy(update={"days": 1, "vitamin_d_supplement_ug": 50}))
print(">>> fixed.status, fixed.has_solution")
print((str(fixed.status), fixed.has_solution))
print(">>> fixed.supplements[['supplement', 'units', 'vitamin_d_ug', 'magnesium_mg']]")
print(fixed.supplements[["supplement", "units", "vitamin_d_ug", "magnesium_mg"]].to_string(index=False))
print(">>> fixed.targets.set_index('key').loc['magnesium_mg', 'min']")
print(fixed.targets.set_index("key").loc["magnesium_mg", "min"])

df = pd.DataFrame({"food_id": ["x1", "x2", "x3"], "name": ["Beans", "Milk", "Bread"], "protein_g": [21.0, 3.4, 9.0],
                   "sodium_mg": [5.0, 40.0, 450.0], "price_per_100g": [0.5, 0.1, 0.2]})
table = foods.FoodTable.from_frame(df)
generic = optimizer.PlanRequest(targets={"protein_g": {"min": 70}, "sodium_mg": {"max": 2300}}, objective="cost", days=1,
                                portions="continuous", supplements=[], food_bounds={"x1": {"max": 300}})
lp = optimizer.plan(generic, foods=table)
print(">>> lp = optimizer.plan(generic, foods=table); lp.status, lp.method, lp.objective_value")
print((str(lp.status), lp.method, lp.objective_value))
print(">>> lp.shadow_prices[['target', 'bound', 'value', 'text']]")
print(lp.shadow_prices[["target", "bound", "value", "text"]].to_string(index=False))
