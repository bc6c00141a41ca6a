"""Meal templates and variety rules as data: what a breakfast, lunch, dinner or snack is made of.

``optimizer/data/meal_templates.json`` (the default, :func:`default_meal_templates`) is validated into
:class:`MealTemplates` (pydantic, ``extra="forbid"``); a request may carry an edited copy later
(``default_meal_templates().model_copy(update=...)`` or :meth:`MealTemplates.model_validate` on edited JSON).

A meal template has one or more *options* (lunch: "a mixed dish" or "a main, a starch and a vegetable"); an option
has *slots*; a slot ``accepts`` tokens matched against a food's role (:mod:`foods.roles`): ``"vegetable"`` (the
role), ``"breakfast/cold_cereal"`` (role and kind), ``"main/mixed_dish"`` (a mixed dish) or ``"main/single"`` (a main
that is not a mixed dish). Add-ons (oils, dressings, sauces, spreads, sugars) never fill a slot: at most
``addons.per_dish`` per dish, each within ``addons.max_grams`` of its kind. Docs: ``docs/meal-model.md``.
"""

from __future__ import annotations

import functools
import importlib.resources
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from foods.roles import PROTEIN_SOURCES, ROLES, SR24_FILE, WWEIA_FILE, role_rules

TEMPLATES_FILE = "meal_templates.json"
SPECIAL_KINDS = ("mixed_dish", "single")
PositiveGrams = Annotated[float, Field(gt=0, le=2000)]


@functools.cache
def known_kinds() -> frozenset[str]:
    """Every ``role/kind`` pair the shipped role rules can give, plus ``main/mixed_dish`` and ``main/single``."""
    pairs = {f"main/{kind}" for kind in SPECIAL_KINDS}
    for name in (WWEIA_FILE, SR24_FILE):
        rules = role_rules(name)
        pairs |= {f"{role}/{kind}" for role, kind in zip(rules["role"], rules["kind"])}
    pairs |= {"vegetable/soup"}  # an "auto" soup without a protein source becomes a side vegetable
    return frozenset(pairs)


def food_labels(role: str, kind: str, mixed_dish: bool) -> frozenset[str]:
    """The tokens a food with this role matches: its role, ``role/kind`` and ``main/mixed_dish``/``main/single``."""
    labels = {role, f"{role}/{kind}"}
    if role == "main":
        labels.add("main/mixed_dish" if mixed_dish else "main/single")
    return frozenset(labels)


class Slot(BaseModel):
    """One place in a meal: ``accepts`` tokens, required unless ``optional``, holding 1..``max_foods`` foods."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    accepts: list[str] = Field(min_length=1)
    optional: bool = False
    max_foods: int = Field(default=1, ge=1, le=10)

    @model_validator(mode="after")
    def _known_tokens(self) -> Slot:
        for token in self.accepts:
            role = token.split("/", 1)[0]
            if role not in ROLES or ("/" in token and token not in known_kinds()):
                raise ValueError(f"slot '{self.name}': '{token}' is not a role ({', '.join(ROLES)}) or a role/kind "
                                 "the role rules give (foods/data/roles_*.csv)")
        return self


class Option(BaseModel):
    """One way to make the meal: its slots."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    slots: list[Slot] = Field(min_length=1)


class Pairing(BaseModel):
    """A food matching ``when`` needs a food matching ``needs`` in the same meal (cereal comes with milk)."""

    model_config = ConfigDict(extra="forbid")

    when: list[str] = Field(min_length=1)
    needs: list[str] = Field(min_length=1)
    text: str = Field(min_length=1)


class MealTemplate(BaseModel):
    """The options of one meal, or ``same_as`` another meal's template."""

    model_config = ConfigDict(extra="forbid")

    same_as: str | None = None
    options: list[Option] = Field(default_factory=list)
    pairings: list[Pairing] = Field(default_factory=list)

    @model_validator(mode="after")
    def _options_or_same_as(self) -> MealTemplate:
        if (self.same_as is None) == (not self.options):
            raise ValueError("a meal template has either options or same_as (not both, not neither)")
        return self


class AddonRules(BaseModel):
    """Add-ons: at most ``per_dish`` per dish in a meal, each at most ``max_grams[kind]`` g (else the default)."""

    model_config = ConfigDict(extra="forbid")

    per_dish: int = Field(default=1, ge=0, le=5)
    max_grams: dict[str, PositiveGrams] = Field(default_factory=dict)
    default_max_grams: PositiveGrams = 30.0

    def limit(self, kind: str) -> float:
        """Most grams of one add-on of this kind in one meal."""
        return float(self.max_grams.get(kind, self.default_max_grams))


class VarietyRules(BaseModel):
    """Variety over a week (7 days; days 8-14 are a second week)."""

    model_config = ConfigDict(extra="forbid")

    distinct_days: int = Field(default=7, ge=1, le=7, description="different day menus wanted per week")
    no_repeat_meals: list[str] = Field(default_factory=lambda: ["lunch", "dinner"])
    no_consecutive_main_protein: bool = True
    rotating_protein_sources: list[str] = Field(default_factory=lambda: ["meat", "poultry", "seafood", "eggs"])
    main_protein_meals: list[str] = Field(default_factory=lambda: ["lunch", "dinner"])
    max_days_per_food: int = Field(default=3, ge=1, le=14)
    max_days_exempt_roles: list[str] = Field(default_factory=lambda: ["drink"])
    seafood_meals_per_week: int = Field(default=2, ge=0, le=21)
    seafood_diets: list[str] = Field(default_factory=lambda: ["omnivore", "pescatarian"])
    leftovers: bool = Field(default=False, description="dinner may come back as the next day's lunch")

    @model_validator(mode="after")
    def _known_names(self) -> VarietyRules:
        bad = [s for s in self.rotating_protein_sources if s not in PROTEIN_SOURCES]
        bad += [r for r in self.max_days_exempt_roles if r not in ROLES or r == "addon"]
        if bad:
            raise ValueError(f"unknown protein sources or roles {bad}: protein sources are "
                             f"{', '.join(PROTEIN_SOURCES)}; roles {', '.join(ROLES)} (add-ons are always exempt)")
        return self


class MealTemplates(BaseModel):
    """All meal templates, add-on rules and variety rules."""

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    source: str = ""
    meals: dict[str, MealTemplate] = Field(min_length=1)
    addons: AddonRules = Field(default_factory=AddonRules)
    variety: VarietyRules = Field(default_factory=VarietyRules)

    @model_validator(mode="after")
    def _same_as_resolves(self) -> MealTemplates:
        for meal, template in self.meals.items():
            target = template.same_as
            if target is not None and (target not in self.meals or self.meals[target].same_as is not None):
                raise ValueError(f"meal '{meal}': same_as '{target}' must name a meal with its own options")
        return self

    def template(self, meal: str) -> MealTemplate | None:
        """The template of ``meal`` with ``same_as`` followed; None when the meal has no template."""
        template = self.meals.get(meal)
        if template is not None and template.same_as is not None:
            return self.meals[template.same_as]
        return template


@functools.cache
def default_meal_templates() -> MealTemplates:
    """The shipped templates (``optimizer/data/meal_templates.json``), validated once."""
    text = importlib.resources.files("optimizer").joinpath("data", TEMPLATES_FILE).read_text(encoding="utf-8")
    return MealTemplates.model_validate_json(text)
