"""The week master model: which day menus to eat on how many days (model building; imports PuLP).

A week is a choice of day menus ("columns"), each eaten on a whole number of days. Days fall into *day types*
(interchangeable days form one type; a day with its own locks or must-includes is a type of its own), and a
menu belongs to one type:

    minimise   sum_p cost_p * x_p  +  big_m * sum_t a_t
    subject to sum_{p of type t} x_p + a_t = n_t          (rows ``days_<t>``: every day of type t gets a menu)
               sum_{p uses f} x_p <= k_f   for every food   (rows ``food_<id>``: a food on at most k_f days)
               x_p <= n_t * y_r(p),  sum_r y_r <= 1        (integer model only: one supplement regimen all week)

``a_t`` is an artificial "no menu" day priced at ``big_m`` so the model is always feasible. As an LP its dual
prices new menus: a menu of type t, with day cost c, using foods F, improves the LP when
``c + sum_{f in F} lambda_f < mu_t``. Solved through :mod:`optimizer.solver` like every other model. See
``optimizer/week_columns.py``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import pulp

from optimizer.compile.spec import ascii_id


@dataclass(frozen=True)
class MenuColumn:
    """One day menu: its objective for one day, the foods it uses, its supplement regimen (a hashable key) and
    the day type it is a menu for."""

    cost: float
    foods: frozenset[str]
    regimen: Hashable = ()
    day_type: int = 0


def _days_by_type(days: int | dict[int, int]) -> dict[int, int]:
    return {0: days} if isinstance(days, int) else dict(days)


@dataclass
class MasterModel:
    problem: pulp.LpProblem
    x: list[pulp.LpVariable]
    artificials: dict[int, pulp.LpVariable]
    food_rows: dict[str, str]  # food id -> constraint name
    days_rows: dict[int, str]  # day type -> constraint name

    @property
    def days_row(self) -> str:
        """The days row of a single-type master."""
        return self.days_rows[0]


def build_master(columns: Sequence[MenuColumn], days: int | dict[int, int], max_days: dict[str, int], big_m: float,
                 integer: bool) -> MasterModel:
    """The master model over ``columns`` (see the module docstring). ``days``: days of the plan, or days per day
    type. ``max_days``: food -> most days (foods not named are unlimited). ``integer``: whole days per menu and one
    regimen; otherwise the LP relaxation."""
    types = _days_by_type(days)
    prob = pulp.LpProblem("week_master" + ("_ip" if integer else "_lp"), pulp.LpMinimize)
    cat = pulp.LpInteger if integer else pulp.LpContinuous
    x = [pulp.LpVariable(f"x_{i}", 0, types.get(c.day_type, 0), cat=cat) for i, c in enumerate(columns)]
    artificials = {t: pulp.LpVariable(f"a_no_menu_{t}", 0, n) for t, n in types.items()}
    prob.setObjective(pulp.LpAffineExpression([(v, c.cost) for v, c in zip(x, columns)]
                                              + [(a, big_m) for a in artificials.values()]))
    days_rows: dict[int, str] = {}
    for t, n in types.items():
        name = f"days_{t}"
        days_rows[t] = name
        pairs = [(v, 1.0) for v, c in zip(x, columns) if c.day_type == t] + [(artificials[t], 1.0)]
        prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression(pairs), pulp.LpConstraintEQ, name, float(n)))
    by_food: dict[str, list[tuple[pulp.LpVariable, float]]] = {}
    for v, c in zip(x, columns):
        for f in c.foods:
            if f in max_days:
                by_food.setdefault(f, []).append((v, 1.0))
    food_rows: dict[str, str] = {}
    for f in sorted(by_food):
        name = f"food_{ascii_id(f)}"
        food_rows[f] = name
        prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression(by_food[f]), pulp.LpConstraintLE, name,
                                             float(max_days[f])))
    regimens = sorted({c.regimen for c in columns}, key=repr)
    if integer and len(regimens) > 1:
        y = {r: pulp.LpVariable(f"y_{i}", 0, 1, cat=pulp.LpInteger) for i, r in enumerate(regimens)}
        for i, (v, c) in enumerate(zip(x, columns)):
            prob.addConstraint(pulp.LpConstraint(
                pulp.LpAffineExpression([(v, 1.0), (y[c.regimen], -float(types.get(c.day_type, 0)))]),
                pulp.LpConstraintLE, f"regimen_{i}", 0.0))
        prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression([(v, 1.0) for v in y.values()]),
                                             pulp.LpConstraintLE, "one_regimen", 1.0))
    return MasterModel(prob, x, artificials, food_rows, days_rows)


@dataclass
class MasterDual:
    problem: pulp.LpProblem
    mus: dict[int, pulp.LpVariable]  # day type -> mu_t
    lam: dict[str, pulp.LpVariable]

    @property
    def mu(self) -> pulp.LpVariable:
        """mu of a single-type master."""
        return self.mus[0]


def build_master_dual(columns: Sequence[MenuColumn], days: int | dict[int, int], max_days: dict[str, int],
                      big_m: float, regularization: float = 1e-6) -> MasterDual:
    """The dual of the master LP, written out so that among its many optimal solutions (the master is highly
    degenerate) the one with the smallest multipliers is taken:

        maximise  sum_t n_t * mu_t - sum_f k_f * lambda_f - regularization * sum_f lambda_f
        subject to mu_t(p) - sum_{f in p} lambda_f <= cost_p  for every menu p,   mu_t <= big_m,   lambda >= 0

    A solver's duals of the primal may be any optimal vertex (e.g. ``mu = big_m``), which prices nothing useful
    and gives a weak Lagrangian bound."""
    types = _days_by_type(days)
    prob = pulp.LpProblem("week_master_dual", pulp.LpMaximize)
    mus = {t: pulp.LpVariable(f"mu_{t}", None, big_m) for t in types}
    foods = sorted({f for c in columns for f in c.foods if f in max_days})
    lam = {f: pulp.LpVariable(f"lam_{ascii_id(f)}", 0) for f in foods}
    prob.setObjective(pulp.LpAffineExpression([(mus[t], float(n)) for t, n in types.items()]
                                              + [(lam[f], -(float(max_days[f]) + regularization)) for f in foods]))
    for i, c in enumerate(columns):
        if c.day_type not in mus:
            continue
        pairs = [(mus[c.day_type], 1.0)] + [(lam[f], -1.0) for f in sorted(c.foods) if f in lam]
        prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression(pairs), pulp.LpConstraintLE, f"menu_{i}", c.cost))
    return MasterDual(prob, mus, lam)
