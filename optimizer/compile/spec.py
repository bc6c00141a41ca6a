"""Plain data of the plan model (no PuLP): what ``planner.py`` hands to ``model.py``, what every variable and
row stands for, and the map from solver values (by variable name) back to plan items and supplement doses.

Variable names are stable ASCII ids (``x_d1_breakfast_12014``, ``s_d3_1000iu``, ``n_d1_magnesium_mg``) built
with :func:`ascii_id`, so values from a solver running in another process map back by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from optimizer.domain.rule import MagnesiumVitaminDRule
from optimizer.domain.targets import Target
from optimizer.results.plan import PlanItem, SupplementDose

Priority = Literal["mandatory", "normal", "low"]
MAX_PORTIONS_PER_ITEM = 3
LARGE_PORTION_GRAMS = 60.0  # household portions above this count one fewer per item (portion_cap)
CONTINUOUS_USED_GRAMS = 10.0  # a food "counts" on a day from 10 g in continuous plans (variety rules)


@dataclass(frozen=True)
class FoodData:
    """One candidate food: nutrients per 100 g (unknown = 0 here; the planner notes how many)."""

    food_id: str
    name: str
    portion_name: str
    portion_grams: float
    nutrients: dict[str, float]
    price_per_100g: float | None = None
    group: str = ""


@dataclass(frozen=True)
class SupplementData:
    supplement_id: str
    name: str
    vitamin_d_ug: float
    magnesium_mg: float
    schedule: Literal["daily", "weekly"]
    max_units: int
    price_per_unit: float | None = None
    absorption_factor: float = 1.0


@dataclass
class ModelSpec:
    """Everything the model needs, already validated and resolved (daily units, food ids known)."""

    days: int
    meals: tuple[str, ...]
    household: bool
    foods: dict[str, FoodData]
    meals_for: dict[str, tuple[str, ...]]
    supplements: dict[str, SupplementData]
    targets: list[Target]
    rule: MagnesiumVitaminDRule
    magnesium_key: str | None = None  # target key of total magnesium (the rule raises its min)
    vitamin_d_mode: Literal["choose", "daily", "weekly"] = "choose"
    dose_daily_ug: float | None = None
    dose_weekly_ug: float | None = None
    energy_shares: dict[str, tuple[float, float]] = field(default_factory=dict)
    max_item_grams: float = 500.0
    max_food_grams_per_day: float = 800.0
    max_portions_per_item: int = MAX_PORTIONS_PER_ITEM
    food_bounds: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    max_days_per_food: int | None = None
    min_foods_per_day: int | None = None
    must_include: list[tuple[str, tuple[int, ...], str | None, float]] = field(default_factory=list)
    locked: list[tuple[int, str, str, float]] = field(default_factory=list)  # day, meal, food, grams
    locked_supplements: list[tuple[int, str, int]] = field(default_factory=list)
    usual: list[tuple[str, float, str | None, int | None]] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)
    liked: frozenset[str] = frozenset()
    disliked: frozenset[str] = frozenset()
    symmetric_days: bool = True
    group_max_foods_per_day: int | None = None  # distinct foods of one food group per day (needs variety binaries)
    group_min_portions: dict[str, float] = field(default_factory=dict)  # food group -> portions per day
    one_meal_per_food: bool = False  # a food is eaten at one meal a day (needs item binaries)
    group_max_per_meal: int | None = None  # distinct foods of one food group per meal
    min_foods_per_meal: dict[str, int] = field(default_factory=dict)  # meal -> distinct foods at least (needs item binaries)
    group_max_exempt: frozenset[str] = frozenset()  # groups the per-meal/day group limits skip (vegetables, fruit)
    fixed_doses: dict[str, int] = field(default_factory=dict)  # daily regimen fixed in advance: product -> units/day
    # a one-day model standing for one of this many interchangeable days of a plan: weekly products count as in that
    # plan (units / max(n, 7) a day) and their objective is shared by its days (the week decomposes into such days)
    day_of_plan: int | None = None
    use_penalty: dict[str, float] = field(default_factory=dict)  # food -> objective per day it is used (column pricing)

    def portion_cap(self, food_id: str) -> int:
        """Most household portions of one food per item and per day: ``max_portions_per_item`` for small portions
        (up to 60 g: slices, ounces, tablespoons), one fewer for larger ones (a cup, a medium potato), at least 1."""
        grams = self.foods[food_id].portion_grams
        return max(1, self.max_portions_per_item - (1 if grams > LARGE_PORTION_GRAMS else 0))

    def day_list(self) -> range:
        return range(1, self.days + 1)

    def weeks(self) -> list[list[int]]:
        """Days of each (possibly partial) week of the plan."""
        return [list(range(s, min(s + 7, self.days + 1))) for s in range(1, self.days + 1, 7)]

    @property
    def plan_days(self) -> int:
        """Days of the plan this model stands for (``days``, or ``day_of_plan`` for a one-day share of a plan)."""
        return self.day_of_plan or self.days

    def plan_weeks(self) -> int:
        """Number of (possibly partial) weeks in the plan this model stands for."""
        return -(-self.plan_days // 7)

    def weekly_products_allowed(self) -> bool:
        return self.vitamin_d_mode == "weekly" or (self.vitamin_d_mode == "choose" and self.plan_days >= 7)

    def with_foods(self, food_ids: list[str]) -> ModelSpec:
        """The same spec restricted to ``food_ids`` (order kept)."""
        keep = [f for f in self.foods if f in set(food_ids)]
        clone = ModelSpec(**{k: getattr(self, k) for k in self.__dataclass_fields__})
        clone.foods = {f: self.foods[f] for f in keep}
        clone.meals_for = {f: self.meals_for[f] for f in keep}
        return clone


@dataclass(frozen=True)
class ItemVar:
    day: int
    meal: str
    food_id: str
    grams_per_unit: float  # portion grams (household) or 1.0 (continuous grams)
    locked: bool = False


@dataclass(frozen=True)
class DoseVar:
    day: int  # the day the dose is taken; 0 = every day (one daily regimen); weekly products: 1 (plan total)
    supplement_id: str
    weekly: bool = False
    locked: bool = False


@dataclass(frozen=True)
class RowInfo:
    """What a constraint stands for. ``rhs`` in the row's own units (daily or summed over the period)."""

    kind: str  # target, rule, ratio, energy_percent, meal_share, max_days, min_foods, must_include, food_min, dose
    priority: Priority
    bound: Literal["min", "max", "eq"]
    rhs: float
    target: str | None = None
    nutrient: str | None = None
    day: int | None = None
    days_in_row: int = 1
    unit_scale: float = 1.0  # row value per nutrient unit (energy % rows: kcal per unit)



@dataclass
class BuiltModel:
    problem: Any  # pulp.LpProblem
    spec: ModelSpec
    items: dict[str, ItemVar]
    doses: dict[str, DoseVar]
    rows: dict[str, RowInfo]
    slacks: dict[str, str] = field(default_factory=dict)  # slack variable name -> row name
    is_mip: bool = False
    variables: dict[str, Any] = field(default_factory=dict)  # name -> pulp.LpVariable
    constraint_names: list[str] = field(default_factory=list)
    used: dict[tuple[int, str], str] = field(default_factory=dict)  # (day, food_id) -> its "used" binary's name

    def keyed_values(self, values: dict[str, float]) -> dict[tuple[Any, ...], float]:
        """Solver values by what they stand for, never by name: ``("item", day, meal, food_id)`` and
        ``("dose", day, supplement_id, weekly)`` (day 0: the shared daily regimen). The inverse of
        :meth:`named_values`; only this class knows how variables are named."""
        out: dict[tuple[Any, ...], float] = {}
        for name, it in self.items.items():
            if name in values:
                out[("item", it.day, it.meal, it.food_id)] = values[name]
        for name, dv in self.doses.items():
            if name in values:
                out[("dose", dv.day, dv.supplement_id, dv.weekly)] = values[name]
        return out

    def named_values(self, keyed: dict[tuple[Any, ...], float]) -> dict[str, float]:
        """Values by this model's variable names from :meth:`keyed_values`-style keys (unknown keys are skipped)."""
        names: dict[tuple[Any, ...], str] = {("item", it.day, it.meal, it.food_id): n for n, it in self.items.items()}
        names.update({("dose", dv.day, dv.supplement_id, dv.weekly): n for n, dv in self.doses.items()})
        return {names[k]: v for k, v in keyed.items() if k in names}

    def set_initial_values(self, values: dict[str, float]) -> int:
        """Warm start: give variables initial values by name (others 0). Returns how many were set."""
        n = 0
        for name, var in self.variables.items():
            v = values.get(name)
            if v is not None:
                var.setInitialValue(v)
                n += 1
        return n



def ascii_id(text: str) -> str:
    """A stable, collision-free ASCII fragment for solver names: letters and digits stay, every other character
    (``_`` included) becomes ``_<hex code>_``, so ``a-b``, ``a_b``, ``a.b`` and ``a b`` get different names and the
    fragment decodes to exactly one id. Only model builders name solver variables and rows with it."""
    text = str(text)
    if text.isascii() and text.isalnum():
        return text
    return _UNSAFE.sub(lambda m: f"_{ord(m.group(0)):x}_", text) or "_"


_UNSAFE = re.compile(r"[^A-Za-z0-9]")



# -- map back ----------------------------------------------------------------------------------------
def map_items(built: Any, values: dict[str, float]) -> list[PlanItem]:
    """Plan items from solver values (by variable name): whole portions in household plans, grams otherwise."""
    out: list[PlanItem] = []
    spec = built.spec
    for name, it in built.items.items():
        v = values.get(name, 0.0)
        if v <= 1e-6:
            continue
        food = spec.foods[it.food_id]
        if spec.household:
            portions = v if it.locked else float(round(v))
            if portions <= 0:
                continue
            grams = portions * it.grams_per_unit
            portion_name: str | None = food.portion_name
        else:
            grams, portions, portion_name = float(v), None, None
        cost = None if food.price_per_100g is None else grams / 100.0 * food.price_per_100g
        out.append(PlanItem(day=it.day, meal=it.meal, food_id=it.food_id, food=food.name, portions=portions,
                            portion_name=portion_name, grams=grams, cost=cost, locked=it.locked))
    meal_order = {m: i for i, m in enumerate(spec.meals)}
    out.sort(key=lambda r: (r.day, meal_order.get(r.meal, 99), -r.grams))
    return out


def map_supplements(built: Any, values: dict[str, float]) -> list[SupplementDose]:
    """Supplement doses per day; a daily regimen repeats on every day; weekly products are taken on the
    first day of successive weeks (at most ``max_units`` per intake)."""
    spec = built.spec
    out: list[SupplementDose] = []
    for name, dv in built.doses.items():
        units = round(values.get(name, 0.0))
        if units <= 0:
            continue
        sup = spec.supplements[dv.supplement_id]
        if dv.weekly:
            starts = [w[0] for w in spec.weeks()]
            per_day: dict[int, int] = {}
            for k in range(units):
                per_day[starts[k % len(starts)]] = per_day.get(starts[k % len(starts)], 0) + 1
            days = sorted(per_day.items())
        else:
            days = [(d, units) for d in spec.day_list()] if dv.day == 0 else [(dv.day, units)]
        for d, u in days:
            out.append(SupplementDose(day=d, supplement_id=sup.supplement_id, supplement=sup.name, units=u,
                                      vitamin_d_ug=u * sup.vitamin_d_ug, magnesium_mg=u * sup.magnesium_mg, locked=dv.locked))
    out.sort(key=lambda r: (r.day, r.supplement_id))
    return out


def slack_values(built: BuiltModel, values: dict[str, float]) -> dict[str, float]:
    """Row name -> slack used (relax models), for slacks above a tiny tolerance."""
    return {row: values.get(sv, 0.0) for sv, row in built.slacks.items() if values.get(sv, 0.0) > 1e-6}
