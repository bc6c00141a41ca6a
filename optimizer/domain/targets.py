"""Nutrient targets: what a plan must supply per day (or as a weekly average).

Target *types* live here; the DRI tables they are filled from live in ``optimizer/data/dri.csv``
(one cited row per value) and are read by :func:`targets_for`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from foods.errors import DataError
from optimizer.domain.errors import RequestError
from optimizer.domain.profile import Profile

Period = Literal["daily", "weekly"]


class TargetOverride(BaseModel):
    """A user's change to one target. Unset fields keep the base value; ``min``/``max`` set to None via
    ``clear_min``/``clear_max`` remove that side. Passing ``None`` instead of an override removes the target."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: float | None = Field(default=None, ge=0)
    max: float | None = Field(default=None, ge=0)
    period: Period | None = None
    clear_min: bool = False
    clear_max: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> "TargetOverride":
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        return self


class Target(BaseModel):
    """One constraint on a nutrient.

    * ``kind="amount"``: ``min <= total nutrient <= max`` in the nutrient's own unit (the unit is in the key).
    * ``kind="energy_percent"``: ``min``/``max`` are percent of energy; ``kcal_per_unit`` converts the
      nutrient to kcal (fat 9, protein 4, carbohydrate 4, saturated fat 9).
    * ``applies_to="supplements"``: the bound counts supplements only (the magnesium UL is supplemental-only).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    nutrient: str
    min: float | None = Field(default=None, ge=0)
    max: float | None = Field(default=None, ge=0)
    period: Period = "daily"
    kind: Literal["amount", "energy_percent"] = "amount"
    kcal_per_unit: float | None = None
    applies_to: Literal["total", "supplements"] = "total"
    is_upper_limit: bool = Field(default=False, description="max is a safety UL (hard, clinician override only)")
    source: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _valid(self) -> "Target":
        if self.min is not None and self.max is not None and self.min > self.max + 1e-9:
            raise ValueError(f"target {self.key}: min ({self.min}) is above max ({self.max})")
        if self.kind == "energy_percent" and not self.kcal_per_unit:
            raise ValueError(f"target {self.key}: energy_percent targets need kcal_per_unit")
        return self

    def apply(self, override: TargetOverride) -> "Target":
        lo = None if override.clear_min else (override.min if override.min is not None else self.min)
        hi = None if override.clear_max else (override.max if override.max is not None else self.max)
        if lo is not None and hi is not None and lo > hi:
            raise RequestError(
                f"Target '{self.key}': the override gives min {lo} above max {hi}. Fix: lower the min or raise the max."
            )
        source = self.source + (" (overridden)" if "(overridden)" not in self.source else "")
        return self.model_copy(update={"min": lo, "max": hi, "period": override.period or self.period, "source": source})


class Targets(BaseModel):
    """An ordered set of targets keyed by ``Target.key``; ``energy_kcal`` is the energy estimate used."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rows: tuple[Target, ...] = ()
    energy_kcal: float | None = None
    basis: str = ""

    @model_validator(mode="after")
    def _unique(self) -> "Targets":
        keys = [t.key for t in self.rows]
        dupes = {k for k in keys if keys.count(k) > 1}
        if dupes:
            raise ValueError(f"duplicate target keys: {sorted(dupes)}")
        return self

    def __getitem__(self, key: str) -> Target:
        for t in self.rows:
            if t.key == key:
                return t
        raise KeyError(f"No target '{key}'. Known: {', '.join(self.keys())}")

    def __contains__(self, key: object) -> bool:
        return any(t.key == key for t in self.rows)

    def __iter__(self) -> Iterator[Target]:  # type: ignore[override]
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def keys(self) -> list[str]:
        return [t.key for t in self.rows]

    def with_overrides(self, overrides: Mapping[str, TargetOverride | Mapping[str, Any] | None]) -> "Targets":
        """Return new targets with ``overrides`` applied: None removes a target, a new key adds an amount target."""
        rows = {t.key: t for t in self.rows}
        for key, ov in overrides.items():
            if ov is None or (isinstance(ov, str) and ov.lower() == "none"):
                rows.pop(key, None)
                continue
            ov = ov if isinstance(ov, TargetOverride) else TargetOverride.model_validate(ov)
            if key in rows:
                rows[key] = rows[key].apply(ov)
            else:
                rows[key] = Target(key=key, nutrient=key, min=ov.min, max=ov.max, period=ov.period or "daily",
                                   source="user")
        return self.model_copy(update={"rows": tuple(rows.values())})

    def to_frame(self) -> pd.DataFrame:
        """One row per target: key, nutrient, min, max, period, kind, applies_to, is_upper_limit, source, note."""
        cols = ["key", "nutrient", "min", "max", "period", "kind", "applies_to", "is_upper_limit", "source", "note"]
        return pd.DataFrame([t.model_dump(include=set(cols)) for t in self.rows], columns=cols)


# ----------------------------------------------------------------------------------------------
# DRI tables -> Targets
# ----------------------------------------------------------------------------------------------

DRI_PATH = Path(__file__).parents[1] / "data" / "dri.csv"
DRI_SOURCES_PATH = Path(__file__).parents[1] / "data" / "dri_sources.csv"
DRI_COLUMNS = ["target_key", "nutrient_key", "kind", "bound", "life_stage", "age_min", "age_max", "value",
               "value_iu", "unit", "applies_to", "source", "note"]
LIFE_STAGES = ("female", "male", "both", "all", "pregnancy", "lactation")
KIND_BOUND = {"rda": "min", "ai": "min", "rda_per_kg": "min", "amdr_low": "min",
              "ul": "max", "cdrr": "max", "amdr_high": "max", "limit": "max", "safety": "max", "safety_per_kg": "max"}
KIND_LABEL = {"rda": "RDA", "ai": "AI", "rda_per_kg": "RDA per kg", "amdr_low": "AMDR", "amdr_high": "AMDR",
              "ul": "UL", "cdrr": "CDRR", "limit": "limit", "safety": "safety limit",
              "safety_per_kg": "safety limit per kg"}
# Kinds whose maximum is a hard safety limit (``Target.is_upper_limit``: lifted only by a clinician override).
SAFETY_KINDS = frozenset({"ul", "safety", "safety_per_kg"})
PER_KG_KINDS = frozenset({"rda_per_kg", "safety_per_kg"})
INFANT_AGE = 1.0  # years: infants (< 1 y) are out of scope
# General Atwater factors (kcal per g) used to turn grams into percent of energy.
KCAL_PER_GRAM = {"protein_g": 4.0, "carbohydrate_g": 4.0, "fat_g": 9.0, "saturated_fat_g": 9.0}
# Every target key targets_for can produce (CONTRACTS.md), in display order.
TARGET_KEYS = (
    "energy_kcal", "protein_g", "carbohydrate_g", "fiber_g", "protein_energy_pct", "fat_energy_pct",
    "carbohydrate_energy_pct", "saturated_fat_energy_pct", "calcium_mg", "phosphorus_mg", "potassium_mg",
    "sodium_mg", "iron_mg", "zinc_mg", "vitamin_c_mg", "vitamin_a_rae_ug", "retinol_ug", "folate_ug",
    "vitamin_b12_ug", "folic_acid_ug", "selenium_ug", "choline_mg", "caffeine_mg", "magnesium_mg",
    "supplemental_magnesium_mg", "vitamin_d_ug",
)
_AGE_GROUPS = ((0, 0.5, "0–6 mo"), (0.5, 1, "7–12 mo"), (1, 4, "1–3 y"), (4, 9, "4–8 y"), (9, 14, "9–13 y"),
               (14, 19, "14–18 y"), (19, 31, "19–30 y"), (31, 51, "31–50 y"), (51, 71, "51–70 y"),
               (71, float("inf"), ">70 y"))


def _fail(reason: str, row: int | None = None, column: str | None = None, fix: str | None = None,
          source: Path = DRI_PATH) -> None:
    raise DataError(reason, source=str(source), row=row, column=column, fix=fix)


@lru_cache(maxsize=1)
def dri_sources() -> pd.DataFrame:
    """The citations behind the source keys of ``dri.csv``: index ``key``, columns ``citation, where_read``."""
    return pd.read_csv(DRI_SOURCES_PATH, dtype=str, keep_default_na=False).set_index("key")


@lru_cache(maxsize=4)
def load_dri_table(path: Path = DRI_PATH) -> pd.DataFrame:
    """Read and validate ``optimizer/data/dri.csv`` (one cited row per DRI value).

    Ages are years; ``age_min`` is inclusive and ``age_max`` exclusive (empty = no upper end), so "19–30 y"
    is ``19, 31``. ``value`` is in ``unit`` (``pct`` = percent of energy; ``ND`` = not determinable);
    ``value_iu`` keeps the IU printed in the table for vitamin D. Raises :class:`foods.errors.DataError`.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in DRI_COLUMNS if c not in frame.columns]
    if missing:
        _fail(f"missing columns {missing}", fix=f"the header must be {','.join(DRI_COLUMNS)}", source=path)
    known_sources = set(dri_sources().index)

    def bad(reason: str, row: int, column: str | None = None, fix: str | None = None) -> None:
        _fail(reason, row, column, fix, source=path)

    rows = []
    for i, rec in enumerate(frame.to_dict("records"), start=2):
        if rec["kind"] not in KIND_BOUND:
            bad(f"unknown kind '{rec['kind']}'", i, "kind", f"use one of {sorted(KIND_BOUND)}")
        if rec["bound"] != KIND_BOUND[rec["kind"]]:
            bad(f"kind '{rec['kind']}' must have bound '{KIND_BOUND[rec['kind']]}'", i, "bound")
        if rec["life_stage"] not in LIFE_STAGES:
            bad(f"unknown life_stage '{rec['life_stage']}'", i, "life_stage", f"use one of {list(LIFE_STAGES)}")
        if rec["applies_to"] not in ("total", "supplements"):
            bad(f"applies_to must be total or supplements (got '{rec['applies_to']}')", i, "applies_to")
        for src in rec["source"].split(";"):
            if src.strip() not in known_sources:
                bad(f"source key '{src}' is not in {DRI_SOURCES_PATH.name}", i, "source")
        unit = rec["unit"]
        if unit not in ("pct", "g/kg", "mg/kg") and not rec["target_key"].endswith("_" + unit):
            bad(f"unit '{unit}' does not match the key '{rec['target_key']}'", i, "unit")
        try:
            age_min = float(rec["age_min"])
            age_max = float(rec["age_max"]) if rec["age_max"] else float("inf")
            value = None if rec["value"] == "ND" else float(rec["value"])
            value_iu = float(rec["value_iu"]) if rec["value_iu"] else None
        except ValueError as exc:
            bad(f"not a number: {exc}", i, fix="write plain numbers (or ND for not determinable)")
        if not age_min < age_max:
            bad(f"age_min {age_min} is not below age_max {age_max}", i, "age_max")
        if value is not None and value < 0:
            bad(f"negative value {value}", i, "value")
        rows.append({**rec, "age_min": age_min, "age_max": age_max, "value": value, "value_iu": value_iu, "row": i})
    return pd.DataFrame(rows)


def dri_rows_for(profile: Profile) -> pd.DataFrame:
    """The ``dri.csv`` rows that apply to a profile (by life stage and age)."""
    table = load_dri_table()
    stage = table["life_stage"]
    stage_ok = (stage == "all") | (stage == profile.life_stage)
    if profile.life_stage in ("female", "male"):
        stage_ok |= stage == "both"
    return table[stage_ok & (table["age_min"] <= profile.age) & (profile.age < table["age_max"])]


def life_stage_label(profile: Profile) -> str:
    """E.g. ``"female 31–50 y"``, ``"pregnancy 19–30 y"``, ``"male >70 y"``."""
    group = next(label for lo, hi, label in _AGE_GROUPS if lo <= profile.age < hi)
    return f"{profile.life_stage} {group}"


def _fmt(value: float) -> str:
    return f"{value:,.4g}" if value < 1000 else f"{value:,.0f}"


def _side(rows: list[dict[str, Any]], bound: str, key: str, profile: Profile) -> list[dict[str, Any]]:
    side = [dict(r) for r in rows if r["bound"] == bound]
    for r in side:  # ND values come back from the frame as NaN
        if r["value"] is not None and pd.isna(r["value"]):
            r["value"] = None
    plain = [r for r in side if r["kind"] not in PER_KG_KINDS]
    if len(plain) > 1:
        _fail(f"{len(plain)} rows give the {bound} of '{key}' for {life_stage_label(profile)} "
              f"(rows {[r['row'] for r in plain]})", fix="make the age ranges of these rows not overlap")
    return side


def _target_from_rows(key: str, rows: list[dict[str, Any]], profile: Profile) -> Target | None:
    """One Target from the rows (records) of one target key (None when no usable value remains)."""
    first = next((r for r in rows if r["kind"] not in PER_KG_KINDS), rows[0])
    nutrient, applies_to, unit = first["nutrient_key"], first["applies_to"], first["unit"]
    lo = hi = None
    upper_is_ul = False
    notes, sources = [], []
    for r in _side(rows, "min", key, profile):
        if r["kind"] == "rda_per_kg":
            if profile.weight_kg is None or r["value"] is None:
                continue
            per_kg = r["value"] * profile.weight_kg
            notes.append(f"{r['value']:g} g/kg × {profile.weight_kg:g} kg = {per_kg:.1f} g ({r['source']})")
            if lo is None or per_kg > lo:
                lo = per_kg
            sources.append(r["source"])
            continue
        if r["value"] is None:
            notes.append(f"{KIND_LABEL[r['kind']]} not determinable ({r['source']})")
            continue
        lo = r["value"] if lo is None else max(lo, r["value"])
        suffix = "%" if unit == "pct" else f" {unit.replace('ug', 'µg')}"
        notes.append(f"{KIND_LABEL[r['kind']]} {_fmt(r['value'])}{suffix} ({r['source']})")
        sources.append(r["source"])
        if r["note"]:
            notes.append(r["note"])
    for r in sorted(_side(rows, "max", key, profile), key=lambda r: r["kind"] in PER_KG_KINDS):
        value = r["value"]
        if r["kind"] == "safety_per_kg" and value is not None:
            weight = _body_weight(profile)
            notes.append(f"{value:g} mg/kg × {weight:g} kg = {value * weight:.1f} mg ({r['source']})")
            sources.append(r["source"])
            if hi is None or value * weight < hi:
                hi, upper_is_ul = value * weight, True
            continue
        if value is None and r["kind"] == "ul" and r["applies_to"] == "supplements":
            value = 0.0  # ND for supplements: "food/formula only" (IOM), i.e. no supplemental intake
        if value is None:
            notes.append(f"{KIND_LABEL[r['kind']]} not determinable ({r['source']})")
            continue
        hi = value
        upper_is_ul = r["kind"] in SAFETY_KINDS
        suffix = "%" if unit == "pct" else f" {unit.replace('ug', 'µg')}"
        notes.append(f"{KIND_LABEL[r['kind']]} {_fmt(value)}{suffix} ({r['source']})")
        sources.append(r["source"])
        if r["note"]:
            notes.append(r["note"])
    if lo is None and hi is None:
        return None
    energy_percent = unit == "pct"
    return Target(
        key=key, nutrient=nutrient, min=lo, max=hi, period="daily",
        kind="energy_percent" if energy_percent else "amount",
        kcal_per_unit=KCAL_PER_GRAM[nutrient] if energy_percent else None,
        applies_to=applies_to, is_upper_limit=upper_is_ul,
        source="; ".join(dict.fromkeys(sources)), note="; ".join(dict.fromkeys(notes)),
    )


def _body_weight(profile: Profile) -> float:
    """The profile's weight (kg), or the IOM reference weight for its sex and age."""
    from optimizer.domain.energy import reference_body_size  # local: energy imports profile only

    return profile.weight_kg if profile.weight_kg is not None else reference_body_size(profile.sex, profile.age)[0]


def targets_for(profile: Profile) -> Targets:
    """Daily nutrient targets for a person from the DRI tables (``optimizer/data/dri.csv``, every row cited).

    Amounts are in the unit in each key (``magnesium_mg``: mg/day, ``vitamin_d_ug``: µg/day); ``*_energy_pct``
    targets are percent of energy. ``energy_kcal`` is the IOM 2005 EER (or ``profile.energy_kcal``) ± 10 %.
    ``supplemental_magnesium_mg`` bounds magnesium from supplements only (the UL); ``magnesium_mg`` bounds the
    total. A target whose life stage has no value in the reference is left out and named in ``basis``.
    Edit the result with :meth:`Targets.with_overrides`. Raises :class:`RequestError` for an infant (age < 1 y):
    infant feeding is out of scope.
    """
    if profile.age < INFANT_AGE:
        raise RequestError(
            f"Cofactor does not plan for infants (age {profile.age:g} y is under 1 year): infant feeding (breast milk "
            "or formula, then first foods) needs a paediatrician, not an optimizer. Fix: use a profile aged 1 year or older."
        )
    from optimizer.domain.energy import ENERGY_BAND_FRACTION, estimate_energy  # local: energy imports profile only

    energy = estimate_energy(profile)
    band = ENERGY_BAND_FRACTION * 100
    targets: list[Target] = [
        Target(
            key="energy_kcal", nutrient="energy_kcal", min=energy.band_kcal[0], max=energy.band_kcal[1],
            source=energy.source, note=f"{energy.kcal:.0f} kcal/day ± {band:g} % ({energy.method})",
        )
    ]
    by_key: dict[str, list[dict[str, Any]]] = {}
    for rec in dri_rows_for(profile).to_dict("records"):
        by_key.setdefault(rec["target_key"], []).append(rec)
    for key, rows in by_key.items():
        target = _target_from_rows(key, rows, profile)
        if target is not None:
            targets.append(target)
    order = {k: i for i, k in enumerate(TARGET_KEYS)}
    targets.sort(key=lambda t: order.get(t.key, len(order)))
    produced = {t.key for t in targets}
    omitted = [k for k in TARGET_KEYS if k not in produced]
    basis = f"DRI: {life_stage_label(profile)}; energy {energy.kcal:.0f} kcal/day ({energy.method})"
    if omitted:
        basis += f"; no reference value for this life stage (left out): {', '.join(omitted)}"
    return Targets(rows=tuple(targets), energy_kcal=energy.kcal, basis=basis)
