"""Realism and variety rows of the plan model: day-usage binaries and variety, meal structure, food-group
minimums, must-includes and the energy ordering of interchangeable days (model building; imports PuLP).

A mixin of the builder in ``optimizer/model/builder.py``: the methods read the builder's items, day grams and caps and
add rows through its ``row``/``add_row``/``var``.
"""

from __future__ import annotations

import math

import pulp

from optimizer.compile.spec import CONTINUOUS_USED_GRAMS, RowInfo, ascii_id
from optimizer.model.base import ModelBase, linear_expression


class RealismRows(ModelBase):
    """Variety, meal structure, group minimums, must-includes and symmetry rows (mixed into the model builder)."""

    def _variety(self) -> None:
        s = self.spec
        k_max = s.max_days_per_food if (s.max_days_per_food and s.max_days_per_food < s.days) else None
        n_min = s.min_foods_per_day or 0
        if k_max is None and n_min <= 0 and not s.group_max_foods_per_day and not s.use_penalty:
            return
        self.used: dict[tuple[int, str], pulp.LpVariable] = {}
        for (d, f), pairs in self.item_by_day_food.items():
            u = self.var(f"u_d{d}_{ascii_id(f)}", 0.0, 1.0, integer=True)
            self.used[(d, f)] = u
            cap = sum((self.vars[v.name].upBound or 0.0) * g for v, g in pairs)
            fixed = sum((self.vars[v.name].lowBound or 0.0) * g for v, g in pairs)
            cap = min(cap, max(self.cap_days.get(f, math.inf), fixed))  # the day's cap, not the sum of the meals' caps
            grams = list(self.day_grams[(d, f)].items())
            self.add_row(pulp.LpConstraint(linear_expression(grams + [(u, -cap)]), pulp.LpConstraintLE, f"use_ub_d{d}_{ascii_id(f)}", 0.0))
            if s.household:
                low = [(v, 1.0) for v, _ in pairs]
            else:
                low = [(v, c / CONTINUOUS_USED_GRAMS) for v, c in grams]
            self.add_row(pulp.LpConstraint(linear_expression(low + [(u, -1.0)]), pulp.LpConstraintGE, f"use_lb_d{d}_{ascii_id(f)}", 0.0))
        if k_max is not None:
            for f in s.foods:
                us = [(self.used[(d, f)], 1.0) for d in s.day_list() if (d, f) in self.used]
                if len(us) > k_max:
                    self.row(f"maxdays_{ascii_id(f)}", us, "<=", float(k_max), RowInfo("max_days", "low", "max", k_max, f))
        if n_min > 0:
            for d in s.day_list():
                us = [(u, 1.0) for (dd, _), u in self.used.items() if dd == d]
                self.row(f"minfoods_d{d}", us, ">=", float(n_min), RowInfo("min_foods", "low", "min", n_min, day=d))
        if s.group_max_foods_per_day:
            groups: dict[str, list[str]] = {}
            for f, food in s.foods.items():
                if food.group:
                    groups.setdefault(food.group, []).append(f)
            for g, members in groups.items():
                if len(members) <= s.group_max_foods_per_day:
                    continue
                for d in s.day_list():
                    us = [(self.used[(d, f)], 1.0) for f in members if (d, f) in self.used]
                    if len(us) > s.group_max_foods_per_day:
                        self.row(f"groupmax_{ascii_id(g)}_d{d}", us, "<=", float(s.group_max_foods_per_day),
                                 RowInfo("group_max", "low", "max", s.group_max_foods_per_day, g, day=d))

    def _meal_structure(self) -> None:
        """A food at one meal a day, and at most ``group_max_per_meal`` foods of one food group per meal
        (vegetables and fruit exempt). Foods allowed at a single meal use their day binary u; only foods allowed
        at several meals get item binaries z (the planner assigns pool foods to one meal to keep these few)."""
        s = self.spec
        if not (s.one_meal_per_food or s.group_max_per_meal or s.min_foods_per_meal):
            return
        used = getattr(self, "used", {})
        indicator: dict[str, pulp.LpVariable] = {}
        for name, it in self.items.items():
            v = self.vars[name]
            if it.locked or not v.upBound:
                continue
            if len(self.item_by_day_food[(it.day, it.food_id)]) == 1 and (it.day, it.food_id) in used:
                indicator[name] = used[(it.day, it.food_id)]
                continue
            zv = self.var(f"z_{name[2:]}", 0.0, 1.0, integer=True)
            indicator[name] = zv
            self.add_row(pulp.LpConstraint(linear_expression([(v, 1.0), (zv, -float(v.upBound))]), pulp.LpConstraintLE,
                                           f"zub_{name[2:]}", 0.0))
            if s.min_foods_per_meal:  # counted foods must be eaten: z = 1 only with at least a portion (or some grams)
                least = 1.0 if s.household else min(CONTINUOUS_USED_GRAMS, float(v.upBound))
                self.add_row(pulp.LpConstraint(linear_expression([(v, 1.0), (zv, -least)]), pulp.LpConstraintGE, f"zlb_{name[2:]}", 0.0))
        if s.one_meal_per_food:
            for (d, f), pairs in self.item_by_day_food.items():
                zs = [(indicator[v.name], 1.0) for v, _ in pairs if v.name in indicator]
                if len(zs) > 1:
                    self.row(f"onemeal_{ascii_id(f)}_d{d}", zs, "<=", 1.0, RowInfo("one_meal", "low", "max", 1.0, f, day=d))
        if s.min_foods_per_meal:  # a main meal is more than one food; locked items there count as eaten
            by_meal: dict[tuple[int, str], list[tuple[pulp.LpVariable, float]]] = {}
            locked_in: dict[tuple[int, str], int] = {}
            for name, it in self.items.items():
                if it.locked and (self.vars[name].lowBound or 0.0) > 0:
                    locked_in[(it.day, it.meal)] = locked_in.get((it.day, it.meal), 0) + 1
            for name, zv in indicator.items():
                it = self.items[name]
                by_meal.setdefault((it.day, it.meal), []).append((zv, 1.0))
            for (d, m), zs in sorted(by_meal.items()):
                need = s.min_foods_per_meal.get(m, 0) - locked_in.get((d, m), 0)
                if need > 0:
                    self.row(f"mealmin_{ascii_id(m)}_d{d}", zs, ">=", float(need),
                             RowInfo("meal_foods", "low", "min", float(need), m, day=d))
        if s.group_max_per_meal:
            cells: dict[tuple[int, str, str], list[tuple[pulp.LpVariable, float]]] = {}
            for name, zv in indicator.items():
                it = self.items[name]
                g = s.foods[it.food_id].group
                if g and g not in s.group_max_exempt:
                    cells.setdefault((it.day, it.meal, g), []).append((zv, 1.0))
            for (d, m, g), zs in cells.items():
                if len(zs) > s.group_max_per_meal:
                    self.row(f"groupmeal_{ascii_id(g)}_{ascii_id(m)}_d{d}", zs, "<=", float(s.group_max_per_meal),
                             RowInfo("group_meal", "low", "max", s.group_max_per_meal, g, day=d))

    def _group_minimums(self) -> None:
        """Whole portions per day from named food groups (e.g. vegetables, fruit): the plan looks like meals."""
        s = self.spec
        for g, portions in s.group_min_portions.items():
            for d in s.day_list():
                pairs = [(self.vars[n], 1.0 if s.household else it.grams_per_unit / s.foods[it.food_id].portion_grams)
                         for n, it in self.items.items() if it.day == d and s.foods[it.food_id].group == g]
                if pairs:
                    self.row(f"groupmin_{ascii_id(g)}_d{d}", pairs, ">=", float(portions),
                             RowInfo("group_min", "low", "min", portions, g, day=d))

    def _must_include(self) -> None:
        s = self.spec
        for f, days, meal, min_grams in s.must_include:
            for d in days or tuple(s.day_list()):
                if meal is None:
                    pairs = list(self.day_grams.get((d, f), linear_expression([])).items())
                else:
                    pairs = [(self.vars[n], it.grams_per_unit) for n, it in self.items.items()
                             if it.day == d and it.meal == meal and it.food_id == f]
                self.row(f"must_{ascii_id(f)}_d{d}" + (f"_{ascii_id(meal)}" if meal else ""), pairs, ">=", min_grams,
                         RowInfo("must_include", "normal", "min", min_grams, f, day=d))

    def _symmetry(self, totals: dict[tuple[int, str], pulp.LpVariable]) -> None:
        s = self.spec
        if not s.symmetric_days or s.days < 2 or (1, "energy_kcal") not in totals:
            return
        for d in range(1, s.days):
            self.add_row(pulp.LpConstraint(linear_expression([(totals[(d, "energy_kcal")], 1.0), (totals[(d + 1, "energy_kcal")], -1.0)]),
                                                      pulp.LpConstraintGE, f"order_d{d}", 0.0))
