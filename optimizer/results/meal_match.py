"""Does one meal match its template? The best way to seat a meal's foods in a template's slots.

Independent of the solver: it reads the foods' roles (:mod:`foods.roles`) and the template
(:mod:`optimizer.domain.meal_templates`). For each option of the template, every food (add-ons aside) is seated
in a slot that accepts it (up to the slot's ``max_foods``) or left unplaced; the option with the fewest unplaced
foods plus empty required slots wins (ties: fewer unplaced foods, then the first option). Add-ons are checked
apart: at most ``per_dish`` per dish, each within its realistic amount.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from optimizer.domain.meal_templates import AddonRules, MealTemplate, Option, food_labels


@dataclass(frozen=True)
class MealFood:
    """One food of a meal as the checker sees it (grams summed over the meal's rows of that food)."""

    food_id: str
    name: str
    role: str
    kind: str
    mixed_dish: bool
    grams: float

    @property
    def labels(self) -> frozenset[str]:
        """The template tokens this food matches."""
        return food_labels(self.role, self.kind, self.mixed_dish)


class MealMatch(BaseModel):
    """How a meal fits its template: the option used, required slots left empty, foods that fit no slot,
    pairings not met and add-on problems (plain words)."""

    model_config = ConfigDict(extra="forbid")

    option: str = ""
    missing: list[str] = Field(default_factory=list, description="names of required slots left empty")
    unplaced: list[str] = Field(default_factory=list, description="names of foods that fit no slot")
    pairings: list[str] = Field(default_factory=list, description="pairing texts not met")
    addons: list[str] = Field(default_factory=list, description="add-on problems")

    @property
    def matched(self) -> bool:
        """True when the meal fits its template with nothing missing, nothing extra and add-ons within limits."""
        return not (self.missing or self.unplaced or self.pairings or self.addons)


def match_meal(foods: list[MealFood], template: MealTemplate, addons: AddonRules) -> MealMatch:
    """Match the foods of one meal (add-ons included, role ``addon``) against ``template``."""
    dishes = [f for f in foods if f.role != "addon"]
    best: tuple[tuple[int, int, int], Option, list[int], list[int]] | None = None
    for position, option in enumerate(template.options):
        unplaced, missing = _seat(dishes, option)
        score = (len(unplaced) + len(missing), len(unplaced), position)
        if best is None or score < best[0]:
            best = (score, option, unplaced, missing)
    assert best is not None  # a validated template has at least one option
    _, option, unplaced, missing = best
    labels = [f.labels for f in dishes]
    pairings = [p.text for p in template.pairings
                if any(lab & set(p.when) for lab in labels) and not any(lab & set(p.needs) for lab in labels)]
    return MealMatch(option=option.name, missing=[option.slots[i].name for i in missing],
                     unplaced=[dishes[i].name for i in unplaced], pairings=pairings,
                     addons=addon_problems(foods, addons))


def addon_problems(foods: list[MealFood], rules: AddonRules) -> list[str]:
    """Add-ons beyond ``per_dish`` per dish, and add-ons above their realistic amount (plain words)."""
    extras = [f for f in foods if f.role == "addon"]
    dish_count = sum(1 for f in foods if f.role != "addon")
    problems = []
    if len(extras) > rules.per_dish * dish_count:
        allowed = rules.per_dish * dish_count
        problems.append(f"{len(extras)} add-on{'s' if len(extras) != 1 else ''} for {dish_count} "
                        f"dish{'es' if dish_count != 1 else ''} (at most {allowed})")
    for food in extras:
        limit = rules.limit(food.kind)
        if food.grams > limit + 1e-6:
            problems.append(f"{food.grams:.0f} g of {food.name} (at most {limit:g} g of {food.kind.replace('_', ' ')})")
    return problems


def _seat(dishes: list[MealFood], option: Option) -> tuple[list[int], list[int]]:
    """The seating of ``dishes`` in ``option`` with the fewest unplaced foods + empty required slots:
    (indices of unplaced foods, indices of empty required slots)."""
    slots = option.slots
    accepts = [[j for j, slot in enumerate(slots) if f.labels & set(slot.accepts)] for f in dishes]
    counts = [0] * len(slots)
    seat: list[int | None] = [None] * len(dishes)
    required = [j for j, slot in enumerate(slots) if not slot.optional]
    best: list[tuple[int, int] | list[int] | None] = [None, None, None]

    def empty_required() -> list[int]:
        return [j for j in required if counts[j] == 0]

    def visit(i: int, unplaced: int) -> None:
        if best[0] is not None and unplaced >= best[0][0]:
            return
        if i == len(dishes):
            missing = empty_required()
            score = (unplaced + len(missing), unplaced)
            if best[0] is None or score < best[0]:  # type: ignore[operator]
                best[0] = score
                best[1] = [k for k, s in enumerate(seat) if s is None]
                best[2] = missing
            return
        for j in accepts[i]:
            if counts[j] < slots[j].max_foods:
                counts[j] += 1
                seat[i] = j
                visit(i + 1, unplaced)
                counts[j] -= 1
                seat[i] = None
        visit(i + 1, unplaced + 1)

    visit(0, 0)
    return list(best[1]), list(best[2])  # type: ignore[arg-type]
