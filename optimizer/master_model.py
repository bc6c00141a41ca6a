"""The week master model: which day menus to eat on how many days (model building; imports PuLP).

A week of interchangeable days is a choice of day menus ("columns"), each eaten on a whole number of days:

    minimise   sum_p cost_p * x_p  +  big_m * a
    subject to sum_p x_p + a = days                       (row ``days``: every day gets a menu)
               sum_{p uses f} x_p <= k_f   for every food   (rows ``food_<id>``: a food on at most k_f days)
               x_p <= days * y_r(p),  sum_r y_r <= 1       (integer model only: one supplement regimen all week)

``a`` is an artificial "no menu" day priced at ``big_m`` so the model is always feasible. As an LP (x, y
continuous, no regimen rows) its duals price new menus: a menu with day cost c, using foods F, improves the LP
when ``c + sum_{f in F} lambda_f < mu`` (lambda_f = -dual of the food row, mu = dual of the days row).
Solved through :mod:`optimizer.solver` like every other model. See ``optimizer/week_columns.py``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import pulp

from optimizer.model_spec import ascii_id


@dataclass(frozen=True)
class MenuColumn:
    """One day menu: its objective for one day, the foods it uses and its supplement regimen (a hashable key)."""

    cost: float
    foods: frozenset[str]
    regimen: Hashable = ()


@dataclass
class MasterModel:
    problem: pulp.LpProblem
    x: list[pulp.LpVariable]
    artificial: pulp.LpVariable
    food_rows: dict[str, str]  # food id -> constraint name
    days_row: str


def build_master(columns: Sequence[MenuColumn], days: int, max_days: dict[str, int], big_m: float,
                 integer: bool) -> MasterModel:
    """The master model over ``columns`` (see the module docstring). ``max_days``: food -> most days (foods not
    named are unlimited). ``integer``: whole days per menu and one regimen; otherwise the LP that prices menus."""
    prob = pulp.LpProblem("week_master" + ("_ip" if integer else "_lp"), pulp.LpMinimize)
    cat = pulp.LpInteger if integer else pulp.LpContinuous
    x = [pulp.LpVariable(f"x_{i}", 0, days, cat=cat) for i in range(len(columns))]
    artificial = pulp.LpVariable("a_no_menu", 0, days)
    prob.setObjective(pulp.LpAffineExpression([(v, c.cost) for v, c in zip(x, columns)] + [(artificial, big_m)]))
    days_row = "days"
    prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression([(v, 1.0) for v in x] + [(artificial, 1.0)]),
                                         pulp.LpConstraintEQ, days_row, float(days)))
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
            prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression([(v, 1.0), (y[c.regimen], -float(days))]),
                                                 pulp.LpConstraintLE, f"regimen_{i}", 0.0))
        prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression([(v, 1.0) for v in y.values()]),
                                             pulp.LpConstraintLE, "one_regimen", 1.0))
    return MasterModel(prob, x, artificial, food_rows, days_row)


@dataclass
class MasterDual:
    problem: pulp.LpProblem
    mu: pulp.LpVariable
    lam: dict[str, pulp.LpVariable]


def build_master_dual(columns: Sequence[MenuColumn], days: int, max_days: dict[str, int], big_m: float,
                      regularization: float = 1e-6) -> MasterDual:
    """The dual of the master LP, written out so that among its many optimal solutions (the master is highly
    degenerate) the one with the smallest multipliers is taken:

        maximise  days * mu - sum_f k_f * lambda_f - regularization * sum_f lambda_f
        subject to mu - sum_{f in p} lambda_f <= cost_p  for every menu p,   mu <= big_m,   lambda >= 0

    A solver's duals of the primal may be any optimal vertex (e.g. ``mu = big_m``), which prices nothing useful
    and gives a weak Lagrangian bound."""
    prob = pulp.LpProblem("week_master_dual", pulp.LpMaximize)
    mu = pulp.LpVariable("mu", None, big_m)
    foods = sorted({f for c in columns for f in c.foods if f in max_days})
    lam = {f: pulp.LpVariable(f"lam_{ascii_id(f)}", 0) for f in foods}
    prob.setObjective(pulp.LpAffineExpression([(mu, float(days))] + [(lam[f], -(float(max_days[f]) + regularization))
                                                                      for f in foods]))
    for i, c in enumerate(columns):
        pairs = [(mu, 1.0)] + [(lam[f], -1.0) for f in sorted(c.foods) if f in lam]
        prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression(pairs), pulp.LpConstraintLE, f"menu_{i}", c.cost))
    return MasterDual(prob, mu, lam)
