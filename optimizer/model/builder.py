"""Build the PuLP model of a plan, and the map from every variable/constraint back to what it means.

The ``optimizer.model`` package (this builder, ``realism.py`` for variety and meal-structure rows, ``rule_rows.py``
for the magnesium–vitamin D rule, ``master.py`` for the week master) and ``optimizer.solve`` are the only places that
import PuLP. Input is a :class:`ModelSpec` (plain data made by ``optimizer.compile``); output is a
:class:`BuiltModel`: the ``pulp.LpProblem`` plus ``items``/``doses``/``rows`` maps from solver names (stable,
collision-free ASCII: ``x_d1_breakfast_12014``) to what each stands for. Nobody outside the builder parses a name:
values travel between models by key (:meth:`BuiltModel.keyed_values` / :meth:`BuiltModel.named_values`).

Formulation (see docs/optimizer.md):
* item variables per day × meal × candidate food: integer household portions or continuous grams;
* one continuous total per day and nutrient (``n_d1_magnesium_mg``) defined by an equality row, so every
  target row has one or two nonzeros (aggregated rows, small models, readable duals);
* the magnesium–vitamin D rule through an "extra magnesium" variable per day: one LP row per affine piece
  for convex schedules, a lambda formulation with segment binaries for non-convex ones, a constant when
  the dose is prescribed;
* day-usage binaries only when variety rules need them; days ordered by energy when interchangeable.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from itertools import compress
from typing import Literal

import numpy as np
import pulp

from optimizer.compile.memory import paused_gc
from optimizer.compile.spec import (  # noqa: F401 - re-exported: the model's data types live in model_spec
    CONTINUOUS_USED_GRAMS,
    MAX_PORTIONS_PER_ITEM,
    BuiltModel,
    DoseVar,
    FoodData,
    ItemVar,
    ModelSpec,
    Priority,
    RowInfo,
    SupplementData,
    ascii_id,
    map_items,
    map_supplements,
    slack_values,
)
from optimizer.domain.targets import Target
from optimizer.model.base import Pairs, Purpose, linear_expression
from optimizer.model.realism import RealismRows
from optimizer.model.rule_rows import RuleRows

_aid = functools.lru_cache(maxsize=1 << 16, typed=True)(ascii_id)  # names repeat across builds: memoise the regex
# Objective tie-breaks for supplements, per unit of the "supplements" weight (one tablet a day = 1): among regimens
# with the same number of tablets, prefer the lowest vitamin D dose (per µg of vitamin D per unit) and a product
# without magnesium unless its magnesium is needed (per mg). Small enough never to trade a tablet or a household
# portion (0.02) for a lower dose: 25 µg cost 0.0025, 100 mg 0.001.
DOSE_TIEBREAK_PER_UG = 1e-4
MAGNESIUM_TIEBREAK_PER_MG = 1e-5


class _Builder(RealismRows, RuleRows):
    """Builds one plan model from a :class:`ModelSpec` (see the module docstring)."""

    # -- building blocks ----------------------------------------------------------------------
    def build(self) -> BuiltModel:
        s = self.spec
        self._items()
        self._doses()
        self._prescribed_dose()
        totals = self._nutrient_totals()
        self._targets(totals)
        self._rule(totals)
        self._meal_shares()
        self._variety()
        self._group_minimums()
        self._meal_structure()
        self._must_include()
        self._symmetry(totals)
        self._objective()
        used = {key: u.name for key, u in getattr(self, "used", {}).items()}
        return BuiltModel(self.prob, s, self.items, self.doses, self.rows, self.slacks, self.is_mip, self.vars,
                          self.constraint_names, used)

    def _items(self) -> None:
        s = self.spec
        locked = {(d, m, f): g for d, m, f, g in s.locked}
        household, bounds, items, by_day_food = s.household, s.food_bounds, self.items, self.item_by_day_food
        no_bounds = (None, None)
        per_food = []  # what is the same every day: grams per unit, the day's cap, variable-name tails per meal
        cap_days: dict[str, float] = {}
        meal_index = {m: i for i, m in enumerate(s.meals)}
        for food_index, (f, food) in enumerate(s.foods.items()):
            gpu = food.portion_grams if household else 1.0
            hi_b = bounds.get(f, no_bounds)[1]
            # a food's own bound overrides the default caps (max_item_grams, max_food_grams_per_day)
            cap_day = s.max_food_grams_per_day if hi_b is None else hi_b
            if household and hi_b is None:  # at most max_portions_per_item portions of one food a day, over all meals
                cap_day = min(cap_day, s.portion_cap(f) * gpu)
            cap_days[f] = cap_day
            # index-based names (meal and food positions in the spec): short, and collision-free for any id
            per_food.append((f, gpu, cap_day, [(m, f"_m{meal_index.get(m, m)}_f{food_index}") for m in s.meals_for[f]]))
        for d in s.day_list():
            prefix = f"x_d{d}"
            for f, gpu, cap_day, meals in per_food:
                for m, tail in meals:
                    name = prefix + tail
                    if locked and (d, m, f) in locked:
                        units = locked[(d, m, f)] / gpu
                        v = self.var(name, units, units, integer=False)
                        items[name] = ItemVar(d, m, f, gpu, locked=True)
                    else:
                        cap = min(s.max_item_grams, cap_day) if bounds.get(f, no_bounds)[1] is None else cap_day
                        if household:
                            units = math.floor(cap / gpu + 1e-9) if math.isfinite(cap) else s.portion_cap(f)
                            hi = float(units) if bounds.get(f, no_bounds)[1] is not None else min(float(s.portion_cap(f)), units)
                        else:
                            hi = cap
                        if hi <= 0:
                            continue
                        v = self.var(name, 0.0, hi, integer=household)
                        items[name] = ItemVar(d, m, f, gpu)
                    by_day_food.setdefault((d, f), []).append((v, gpu))
        self.cap_days = cap_days
        for (d, f), pairs in by_day_food.items():
            lo_b = bounds.get(f, no_bounds)[0]
            if len(pairs) > 1:
                fixed = sum(self.vars[v.name].lowBound * g for v, g in pairs if items[v.name].locked)
                g = self.var(f"g_d{d}_{ascii_id(f)}", 0.0, max(cap_days[f], fixed))
                self.add_row(pulp.LpConstraint(linear_expression(pairs + [(g, -1.0)]), pulp.LpConstraintEQ,
                                               f"link_d{d}_{ascii_id(f)}", 0.0))
                self.day_grams[(d, f)] = linear_expression([(g, 1.0)])
            else:
                self.day_grams[(d, f)] = linear_expression(pairs)
            if lo_b:
                self.row(f"foodmin_{ascii_id(f)}_d{d}", list(self.day_grams[(d, f)].items()), ">=", lo_b,
                         RowInfo("food_min", "normal", "min", lo_b, target=f, day=d))

    def _doses(self) -> None:
        s = self.spec
        locked = {(d, sid): u for d, sid, u in s.locked_supplements}
        self.shared_regimen = not s.locked_supplements
        self.daily_doses: dict[int, list[tuple[pulp.LpVariable, SupplementData]]] = {d: [] for d in s.day_list()}
        self.weekly_doses: dict[int, list[tuple[pulp.LpVariable, SupplementData]]] = {}
        for sid, sup in s.supplements.items():
            if sup.schedule == "weekly":
                if not s.weekly_products_allowed():
                    continue
                # one total for the plan, spread evenly: units / max(days, 7) count on every day (as verify.py)
                name = f"w_{ascii_id(sid)}"
                v = self.var(name, 0.0, float(sup.max_units * s.plan_weeks()), integer=True)
                self.doses[name] = DoseVar(1, sid, weekly=True)
                for d in s.day_list():
                    self.weekly_doses.setdefault(d, []).append((v, sup))
                continue
            if s.vitamin_d_mode == "weekly" and sup.vitamin_d_ug > 0:
                continue  # a weekly prescription is met by weekly products only
            if self.shared_regimen:  # the same daily regimen every day: one variable per product
                name = f"s_{ascii_id(sid)}"
                if sid in s.fixed_doses:
                    v = self.var(name, float(s.fixed_doses[sid]), float(s.fixed_doses[sid]))
                else:
                    v = self.var(name, 0.0, float(sup.max_units), integer=True)
                self.doses[name] = DoseVar(0, sid)
                for d in s.day_list():
                    self.daily_doses[d].append((v, sup))
                continue
            for d in s.day_list():
                name = f"s_d{d}_{ascii_id(sid)}"
                if (d, sid) in locked:
                    v = self.var(name, float(locked[(d, sid)]), float(locked[(d, sid)]))
                    self.doses[name] = DoseVar(d, sid, locked=True)
                else:
                    v = self.var(name, 0.0, float(sup.max_units), integer=True)
                    self.doses[name] = DoseVar(d, sid)
                self.daily_doses[d].append((v, sup))

    def _prescribed_dose(self) -> None:
        """A prescribed vitamin D dose is met exactly by whole units of the allowed products."""
        s = self.spec
        if s.vitamin_d_mode == "daily":
            for d in ([1] if self.shared_regimen else s.day_list()):
                self.row(f"dose_d{d}", self.vitamin_d_dose_pairs(d), "==", float(s.dose_daily_ug or 0.0),
                         RowInfo("dose", "mandatory", "eq", float(s.dose_daily_ug or 0.0), "vitamin_d_supplement_ug", "vitamin_d_ug", d))
        elif s.vitamin_d_mode == "weekly":
            rhs = float(s.dose_weekly_ug or 0.0) * max(s.plan_days, 7) / 7.0
            pairs = [(v, sup.vitamin_d_ug) for v, sup in self.weekly_doses.get(1, []) if sup.vitamin_d_ug]
            self.row("dose_plan", pairs, "==", rhs,
                     RowInfo("dose", "mandatory", "eq", rhs, "vitamin_d_weekly_supplement_ug", "vitamin_d_ug", None, s.days))

    def _needed_nutrients(self) -> list[str]:
        s = self.spec
        needed: list[str] = []
        for t in s.targets:
            if t.applies_to == "total":
                needed.append(t.nutrient)
                if t.kind == "energy_percent":
                    needed.append("energy_kcal")
        if s.energy_shares or s.symmetric_days:
            needed.append("energy_kcal")
        if s.magnesium_key and (s.rule.calcium_magnesium_ratio_max or s.rule.calcium_magnesium_ratio_min):
            needed += ["calcium_mg", "magnesium_mg"]
        known = set().union(*(f.nutrients.keys() for f in s.foods.values())) if s.foods else set()
        known |= {"vitamin_d_ug", "magnesium_mg"} if s.supplements else set()
        return [n for n in dict.fromkeys(needed) if n in known]

    def _nutrient_totals(self) -> dict[tuple[int, str], pulp.LpVariable]:
        """One total per day and nutrient, defined by an equality row (foods + supplements)."""
        s = self.spec
        totals = {}
        needed = self._needed_nutrients()
        by_day: dict[int, list[tuple[str, pulp.LpAffineExpression]]] = {}
        for (d, f), expr in self.day_grams.items():
            by_day.setdefault(d, []).append((f, expr))
        for d in s.day_list():
            rows = self._food_nutrient_rows(by_day.get(d, []), needed)
            for n in needed:
                pairs = rows[n]
                if n == "vitamin_d_ug":
                    for v, c in self.vitamin_d_dose_pairs(d):
                        pairs[v] = pairs.get(v, 0.0) + c
                if n == "magnesium_mg":
                    for v, c in self.supplemental_magnesium_pairs(d, absorbed=True):
                        pairs[v] = pairs.get(v, 0.0) + c
                t = self.var(f"n_d{d}_{_aid(n)}", None, None)
                pairs[t] = pairs.get(t, 0.0) - 1.0
                self.add_row(pulp.LpConstraint(pairs, pulp.LpConstraintEQ, f"def_{_aid(n)}_d{d}", 0.0))
                totals[(d, n)] = t
        self.totals = totals
        return totals

    def _food_nutrient_rows(self, day_foods: list[tuple[str, pulp.LpAffineExpression]], needed: list[str]
                            ) -> dict[str, pulp.LpAffineExpression]:
        """Per nutrient, the expression {grams variable: nutrient per unit} over one day's foods (foods' own
        order; foods without the nutrient, or with 0, left out), computed column-wise with numpy: ``c * g / 100``."""
        rows = {n: pulp.LpAffineExpression() for n in needed}
        terms = [(self.spec.foods[f].nutrients, v, g) for f, expr in day_foods for v, g in expr.items()]
        if not terms or not needed:
            return rows
        per_food, variables, grams = zip(*terms)
        g_arr = np.array(grams, dtype=float)
        for n in needed:
            c = np.array([amounts.get(n) or 0.0 for amounts in per_food], dtype=float)
            keep = c != 0.0
            if keep.any():
                coefs = (0.0 + c[keep] * g_arr[keep] / 100.0).tolist()
                rows[n] = pulp.LpAffineExpression(zip(compress(variables, keep.tolist()), coefs))
        return rows

    def _targets(self, totals: dict[tuple[int, str], pulp.LpVariable]) -> None:
        s = self.spec
        for t in s.targets:
            if t.key == s.magnesium_key:
                if t.max is not None:
                    self._amount_rows(t, totals, only="max")
                continue  # the min is the rule row
            if t.applies_to == "supplements":
                self._supplement_rows(t)
            elif t.kind == "energy_percent":
                self._energy_percent_rows(t, totals)
            else:
                self._amount_rows(t, totals)

    def _amount_rows(self, t: Target, totals: dict[tuple[int, str], pulp.LpVariable], only: str | None = None) -> None:
        for group in self._period_groups(t.period):
            if (group[0], t.nutrient) not in totals:
                continue
            pairs = [(totals[(d, t.nutrient)], 1.0) for d in group]
            tag = f"_d{group[0]}" if len(group) == 1 else "_plan"
            day = group[0] if len(group) == 1 else None
            if t.min is not None and only != "max":
                rhs = t.min * len(group)
                self.row(f"min_{ascii_id(t.key)}{tag}", pairs, ">=", rhs,
                         RowInfo("target", "normal", "min", rhs, t.key, t.nutrient, day, len(group)))
            if t.max is not None:
                rhs = t.max * len(group)
                prio: Priority = "mandatory" if t.is_upper_limit else "normal"
                self.row(f"max_{ascii_id(t.key)}{tag}", pairs, "<=", rhs,
                         RowInfo("target", prio, "max", rhs, t.key, t.nutrient, day, len(group)))

    def _supplement_rows(self, t: Target) -> None:
        """Supplements-only targets (the supplemental magnesium UL counts label elemental mg)."""
        for group in self._period_groups(t.period):
            pairs: list[tuple[pulp.LpVariable, float]] = []
            for d in group:
                if t.nutrient == "magnesium_mg":
                    pairs += self.supplemental_magnesium_pairs(d, absorbed=False)
                elif t.nutrient == "vitamin_d_ug":
                    pairs += self.vitamin_d_dose_pairs(d)
            merged: dict[pulp.LpVariable, float] = {}
            for v, c in pairs:
                merged[v] = merged.get(v, 0.0) + c
            tag = f"_d{group[0]}" if len(group) == 1 else "_plan"
            day = group[0] if len(group) == 1 else None
            if t.max is not None:
                rhs = t.max * len(group)
                prio: Priority = "mandatory" if t.is_upper_limit else "normal"
                self.row(f"max_{ascii_id(t.key)}{tag}", list(merged.items()), "<=", rhs,
                         RowInfo("target", prio, "max", rhs, t.key, t.nutrient, day, len(group)))
            if t.min is not None:
                rhs = t.min * len(group)
                self.row(f"min_{ascii_id(t.key)}{tag}", list(merged.items()), ">=", rhs,
                         RowInfo("target", "normal", "min", rhs, t.key, t.nutrient, day, len(group)))

    def _energy_percent_rows(self, t: Target, totals: dict[tuple[int, str], pulp.LpVariable]) -> None:
        """kcal from the nutrient within [min %, max %] of energy: linear in the day totals."""
        k = float(t.kcal_per_unit or 0.0)
        for group in self._period_groups(t.period):
            if (group[0], t.nutrient) not in totals or (group[0], "energy_kcal") not in totals:
                continue
            tag = f"_d{group[0]}" if len(group) == 1 else "_plan"
            day = group[0] if len(group) == 1 else None
            limits: tuple[tuple[Literal["min", "max"], float | None, str], ...] = (("min", t.min, ">="), ("max", t.max, "<="))
            for bound, pct, sense in limits:
                if pct is None:
                    continue
                pairs = [(totals[(d, t.nutrient)], k) for d in group] + [(totals[(d, "energy_kcal")], -pct / 100.0) for d in group]
                prio: Priority = "mandatory" if (bound == "max" and t.is_upper_limit) else "normal"
                self.row(f"{bound}_{ascii_id(t.key)}{tag}", pairs, sense, 0.0,
                         RowInfo("energy_percent", prio, bound, pct, t.key, t.nutrient, day, len(group), unit_scale=k),
                         scale=max(pct, 1.0) / 100.0 * self.energy_ref() * len(group))

    def _objective(self) -> None:
        s, w = self.spec, self.spec.weights
        if self.purpose == "relax":
            self.prob.setObjective(linear_expression(self.slack_terms))
            return
        terms: dict[pulp.LpVariable, float] = {}

        def add(v: pulp.LpVariable, c: float) -> None:
            if c:
                terms[v] = terms.get(v, 0.0) + c

        for name, it in self.items.items():
            v, food = self.vars[name], s.foods[it.food_id]
            grams = it.grams_per_unit
            if w.get("cost") and food.price_per_100g is not None:
                add(v, w["cost"] * food.price_per_100g * grams / 100.0)
            if w.get("portions"):
                add(v, w["portions"] * (1.0 if s.household else grams / 100.0))
            if w.get("preferences"):
                unit = 1.0 if s.household else grams / 100.0
                if it.food_id in s.liked:
                    add(v, -0.5 * w["preferences"] * unit)
                if it.food_id in s.disliked:
                    add(v, 2.0 * w["preferences"] * unit)
        for name, dv in self.doses.items():
            sup = s.supplements[dv.supplement_id]
            # a daily regimen variable stands for every day; a weekly product's units serve the whole plan
            taken = s.days if dv.day == 0 else (s.days / s.plan_days if dv.weekly else 1)
            if w.get("supplements"):
                add(self.vars[name], w["supplements"] * taken)
                # tie-breaks among regimens with as many tablets: the lowest vitamin D dose, and a product's
                # magnesium only when it is needed (tiny: 25 µg cost 0.0025, 100 mg 0.001, one portion 0.02)
                add(self.vars[name], w["supplements"] * taken * (DOSE_TIEBREAK_PER_UG * sup.vitamin_d_ug
                                                                 + MAGNESIUM_TIEBREAK_PER_MG * sup.magnesium_mg))
            if w.get("cost") and sup.price_per_unit is not None:
                add(self.vars[name], w["cost"] * sup.price_per_unit * taken)
        if w.get("change"):
            self._change_terms(add, w["change"])
        for (_, f), u in getattr(self, "used", {}).items():
            add(u, s.use_penalty.get(f, 0.0))
        self.prob.setObjective(linear_expression(list(terms.items())))

    def _change_terms(self, add: Callable[[pulp.LpVariable, float], None], weight: float) -> None:
        """L1 departure from the usual diet, per 100 g: |plan - usual| by day × food (or day × meal × food)."""
        s = self.spec
        day_usual: dict[tuple[int, str], float] = {}
        meal_usual: dict[tuple[int, str, str], float] = {}
        for f, grams, meal, day in s.usual:
            for d in ([day] if day else list(s.day_list())):
                if meal:
                    meal_usual[(d, meal, f)] = meal_usual.get((d, meal, f), 0.0) + grams
                else:
                    day_usual[(d, f)] = day_usual.get((d, f), 0.0) + grams
        meal_foods = {(d, f) for d, _, f in meal_usual}
        for (d, f), expr in self.day_grams.items():
            if (d, f) in meal_foods:
                for name, it in self.items.items():
                    if it.day == d and it.food_id == f:
                        self._deviation(add, weight, [(self.vars[name], it.grams_per_unit)],
                                        meal_usual.get((d, it.meal, f), 0.0), f"{ascii_id(it.meal)}_{ascii_id(f)}_d{d}")
            elif (d, f) in day_usual:
                self._deviation(add, weight, list(expr.items()), day_usual[(d, f)], f"{ascii_id(f)}_d{d}")
            else:
                for v, c in expr.items():
                    add(v, weight * c / 100.0)

    def _deviation(self, add: Callable[[pulp.LpVariable, float], None], weight: float, pairs: Pairs,
                   usual_grams: float, tag: str) -> None:
        over, under = self.var(f"dev_over_{tag}", 0.0), self.var(f"dev_under_{tag}", 0.0)
        self.add_row(pulp.LpConstraint(linear_expression(pairs + [(over, -1.0), (under, 1.0)]), pulp.LpConstraintEQ,
                                       f"dev_{tag}", usual_grams))
        add(over, weight / 100.0)
        add(under, weight / 100.0)


def build_model(spec: ModelSpec, purpose: Purpose = "plan", name: str = "cofactor_plan") -> BuiltModel:
    """Build the plan model. ``purpose="relax"`` adds weighted slacks to every normal/low-priority row and
    minimises them (normal rows weigh 1000× low rows, each slack scaled by its row's right-hand side)."""
    with paused_gc():
        return _Builder(spec, purpose, name).build()


def relax_integrality(built: BuiltModel) -> None:
    """Make every integer variable continuous (the LP relaxation), in place."""
    # the builder made every variable of the problem: no need for problem.variables() to re-walk every row
    for v in (built.variables.values() if built.variables else built.problem.variables()):
        v.cat = pulp.LpContinuous
    built.is_mip = False


def cap_objective(built: BuiltModel, upper: float) -> None:
    """Add the row ``objective <= upper`` (objective units), in place: the solve becomes a search for a solution at
    least that good (infeasible = none exists). (A row ``objective >= a known bound`` was tried too: it slowed HiGHS
    3-5x on the plan models, as objective-parallel rows make the LP degenerate.)"""
    objective = built.problem.objective
    if objective is None:
        return
    expr = pulp.LpAffineExpression(list(objective.items()))
    constant = float(objective.constant or 0.0)
    built.problem.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintLE, "objective_cutoff", upper - constant))
