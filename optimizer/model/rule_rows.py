"""The magnesium–vitamin D rule and the meal energy shares as model rows (mixed into the model builder; imports PuLP,
as only the ``optimizer.model`` and ``optimizer.solve`` packages do)."""

from __future__ import annotations

from typing import Literal

import pulp

from optimizer.compile.spec import RowInfo, ascii_id
from optimizer.model.base import ModelBase, linear_expression


class RuleRows(ModelBase):
    """Rows for the magnesium–vitamin D rule (convex: one row per affine piece; non-convex: a lambda formulation with
    segment binaries) and the meal energy shares."""

    def _rule(self, totals: dict[tuple[int, str], pulp.LpVariable]) -> None:
        """Total magnesium >= RDA + extra(d); extra via one variable per day; and the Ca:Mg ratio."""
        s = self.spec
        if not s.magnesium_key:
            return
        t = next(t for t in s.targets if t.key == s.magnesium_key)
        rda = t.min or 0.0
        extra: dict[int, tuple[list[tuple[pulp.LpVariable, float]], float]] = {}
        fixed_dose = s.dose_daily_ug if s.vitamin_d_mode == "daily" else (
            (s.dose_weekly_ug or 0.0) / 7.0 if s.vitamin_d_mode == "weekly" else None)
        for d in s.day_list():
            if fixed_dose is not None:
                extra[d] = ([], s.rule.extra_magnesium_mg(fixed_dose))
                continue
            dose = self.vitamin_d_dose_pairs(d)
            if not dose or all(abs(b) < 1e-12 for _, b in s.rule.segments()):
                extra[d] = ([], s.rule.extra_magnesium_mg(0.0))
                continue
            if self.shared_regimen and d > 1:
                extra[d] = extra[1]
                continue
            e = self.var(f"e_d{d}", 0.0, None)
            if s.rule.is_convex:
                for k, (a, b) in enumerate(s.rule.segments()):
                    self.add_row(pulp.LpConstraint(linear_expression([(e, 1.0)] + [(v, -b * c) for v, c in dose]),
                                                              pulp.LpConstraintGE, f"rule_piece{k}_d{d}", a))
            else:
                self._nonconvex_rule(d, e, dose)
            extra[d] = ([(e, 1.0)], 0.0)
        self.extra_terms = extra
        for group in self._period_groups(t.period):
            if (group[0], t.nutrient) not in totals:
                continue
            pairs = [(totals[(d, t.nutrient)], 1.0) for d in group]
            const = 0.0
            for d in group:
                pairs += [(v, -c) for v, c in extra[d][0]]
                const += extra[d][1]
            rhs = rda * len(group) + const
            tag = f"_d{group[0]}" if len(group) == 1 else "_plan"
            day = group[0] if len(group) == 1 else None
            self.row(f"min_{ascii_id(t.key)}{tag}", pairs, ">=", rhs,
                     RowInfo("rule", "normal", "min", rhs, t.key, t.nutrient, day, len(group)))
        for d in s.day_list():
            if (d, "calcium_mg") not in totals or (d, "magnesium_mg") not in totals:
                continue
            ca, mg = totals[(d, "calcium_mg")], totals[(d, "magnesium_mg")]
            r_max, r_min = s.rule.calcium_magnesium_ratio_max, s.rule.calcium_magnesium_ratio_min
            if r_max:
                self.row(f"ratio_max_d{d}", [(ca, 1.0), (mg, -r_max)], "<=", 0.0,
                         RowInfo("ratio", "normal", "max", r_max, "calcium_magnesium_ratio", "calcium_mg", d),
                         scale=r_max * max(rda, 100.0))
            if r_min:
                self.row(f"ratio_min_d{d}", [(ca, 1.0), (mg, -r_min)], ">=", 0.0,
                         RowInfo("ratio", "normal", "min", r_min, "calcium_magnesium_ratio", "calcium_mg", d),
                         scale=r_min * max(rda, 100.0))

    def _nonconvex_rule(self, d: int, e: pulp.LpVariable, dose: list[tuple[pulp.LpVariable, float]]) -> None:
        """extra >= f(dose) for a nondecreasing, non-convex piecewise-linear f (lambda + segment binaries)."""
        s = self.spec
        xs = [b.vitamin_d_ug for b in s.rule.breakpoints]
        max_dose = sum(c * (v.upBound or 0.0) for v, c in dose)
        if max_dose > xs[-1]:
            xs.append(max_dose)
        ys = [s.rule.extra_magnesium_mg(x) for x in xs]
        lam = [self.var(f"lam_d{d}_{k}", 0.0, 1.0) for k in range(len(xs))]
        seg = [self.var(f"seg_d{d}_{k}", 0.0, 1.0, integer=True) for k in range(len(xs) - 1)]
        add = self.add_row
        add(pulp.LpConstraint(linear_expression([(lv, 1.0) for lv in lam]), pulp.LpConstraintEQ, f"lam_sum_d{d}", 1.0))
        add(pulp.LpConstraint(linear_expression([(z, 1.0) for z in seg]), pulp.LpConstraintEQ, f"seg_sum_d{d}", 1.0))
        add(pulp.LpConstraint(linear_expression([(lv, x) for lv, x in zip(lam, xs)] + [(v, -c) for v, c in dose]),
                              pulp.LpConstraintEQ, f"lam_dose_d{d}", 0.0))
        add(pulp.LpConstraint(linear_expression([(e, 1.0)] + [(lv, -y) for lv, y in zip(lam, ys)]), pulp.LpConstraintGE,
                              f"lam_extra_d{d}", 0.0))
        for k, lv in enumerate(lam):
            adj = [z for j, z in enumerate(seg) if j in (k - 1, k)]
            add(pulp.LpConstraint(linear_expression([(lv, 1.0)] + [(z, -1.0) for z in adj]), pulp.LpConstraintLE, f"lam_adj_d{d}_{k}", 0.0))

    def _meal_shares(self) -> None:
        s = self.spec
        if not s.energy_shares or not any((1, "energy_kcal") == k for k in self.totals):
            return
        for d in s.day_list():
            energy_day = self.totals[(d, "energy_kcal")]
            for m, (lo, hi) in s.energy_shares.items():
                pairs = [(self.vars[n], it.grams_per_unit * s.foods[it.food_id].nutrients.get("energy_kcal", 0.0) / 100.0)
                         for n, it in self.items.items() if it.day == d and it.meal == m]
                shares: tuple[tuple[Literal["min", "max"], float, str], ...] = (("min", lo, ">="), ("max", hi, "<="))
                for bound, share, sense in shares:
                    if (bound == "min" and share <= 0) or (bound == "max" and share >= 1):
                        continue
                    self.row(f"share_{bound}_{ascii_id(m)}_d{d}", pairs + [(energy_day, -share)], sense, 0.0,
                             RowInfo("meal_share", "low", bound, share, m, "energy_kcal", d), scale=share * self.energy_ref())
