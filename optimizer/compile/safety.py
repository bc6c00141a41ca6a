"""Life-stage food safety: hard exclusions applied by default, as data (``optimizer/data/life_stage_safety.csv``).

Each row of the table belongs to a rule (``rule_id``; several rows may share one) and says for whom it holds
(``life_stages``: ``;``-joined tokens ``all``, ``pregnancy``, ``lactation``, ``age<N``, ``age>=N``; any token
matching is enough) and which foods it excludes:

* ``group``: a regular expression on the food group (SR24 ``group``; FNDDS ``wweia_category``); empty = any;
* ``name``: a regular expression on the food name; ``nutrient``: ``column>value`` (e.g. ``alcohol_g>0``);
  a food matches when its group matches and its name **or** its nutrient does (with neither, the group alone);
* ``except``: a regular expression on the name that keeps a name (or group-only) match after all (e.g.
  ``heated`` for hot dogs); it never overrides a nutrient match (decaf coffee with 2 mg caffeine stays out at 1–3 y).

Matching is case-insensitive and uses only ``name``, the group column and nutrient columns, so the same rules
run on SR24 (``foods.load_foods()``) and on FNDDS tables. Every rule cites a source key of
``optimizer/data/dri_sources.csv``. Only an explicit ``ClinicianOverride.food_safety_rules`` lifts a rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from foods.errors import DataError
from optimizer.domain.errors import RequestError
from optimizer.domain.profile import Profile
from optimizer.domain.request import PlanRequest
from optimizer.domain.targets import dri_sources

SAFETY_PATH = Path(__file__).parents[1] / "data" / "life_stage_safety.csv"
SAFETY_COLUMNS = ["rule_id", "life_stages", "group", "name", "except", "nutrient", "source", "description"]
GROUP_COLUMNS = ("group", "wweia_category")  # SR24 food group, FNDDS WWEIA category
_STAGE = re.compile(r"^(all|pregnancy|lactation|age(<|>=)(\d+(\.\d+)?))$")
_NUTRIENT = re.compile(r"^([a-z0-9_]+)>(\d+(\.\d+)?)$")


@dataclass(frozen=True)
class SafetyRow:
    """One row of the safety table (see the module docstring)."""

    rule_id: str
    life_stages: tuple[str, ...]
    group: re.Pattern[str] | None
    name: re.Pattern[str] | None
    except_: re.Pattern[str] | None
    nutrient: tuple[str, float] | None
    source: str
    description: str

    def applies_to(self, profile: Profile | None) -> bool:
        """True when the rule holds for ``profile`` (without a profile only ``all`` rules hold)."""
        for token in self.life_stages:
            if token == "all":
                return True
            if profile is None:
                continue
            if token == "pregnancy" and profile.pregnant or token == "lactation" and profile.lactating:
                return True
            m = _STAGE.match(token)
            if m and m.group(2):
                limit = float(m.group(3))
                if (profile.age < limit) if m.group(2) == "<" else (profile.age >= limit):
                    return True
        return False

    def matches(self, frame: pd.DataFrame) -> pd.Series:
        """Boolean Series over ``frame`` (a food table): the foods this row excludes."""
        names = tuple(frame["name"].astype(str).tolist()) if "name" in frame.columns else ("",) * len(frame)
        hit = pd.Series(True, index=frame.index)
        if self.group is not None:
            col = next((c for c in GROUP_COLUMNS if c in frame.columns), None)
            groups = tuple(frame[col].fillna("").astype(str).tolist()) if col else ("",) * len(frame)
            hit &= pd.Series(search_all(self.group, groups), index=frame.index)
        if self.name is not None:
            by_name = pd.Series(search_all(self.name, names), index=frame.index)
        else:
            by_name = pd.Series(self.nutrient is None, index=frame.index)
        if self.except_ is not None:
            by_name &= ~pd.Series(search_all(self.except_, names), index=frame.index)
        by_nutrient = pd.Series(False, index=frame.index)
        if self.nutrient is not None and self.nutrient[0] in frame.columns:
            column, above = self.nutrient
            by_nutrient = pd.to_numeric(frame[column], errors="coerce").fillna(0.0) > above
        return hit & (by_name | by_nutrient)


@lru_cache(maxsize=128)
def search_all(pattern: re.Pattern[str], texts: tuple[str, ...]) -> np.ndarray:
    """Whether ``pattern`` matches each of ``texts`` (cached: the same catalogue is screened for every plan)."""
    found: np.ndarray = np.fromiter((pattern.search(t) is not None for t in texts), dtype=bool, count=len(texts))
    found.setflags(write=False)
    return found


def _regex(text: str, row: int, column: str) -> re.Pattern[str] | None:
    if not text:
        return None
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        raise DataError(f"not a regular expression: {exc}", source=str(SAFETY_PATH), row=row, column=column,
                        fix="write a Python regular expression") from exc


@lru_cache(maxsize=1)
def load_safety_rules() -> tuple[SafetyRow, ...]:
    """Read and check ``life_stage_safety.csv``: columns, life-stage tokens, regular expressions, nutrient
    conditions and source keys. Raises :class:`foods.errors.DataError` naming the row and column."""
    frame = pd.read_csv(SAFETY_PATH, dtype=str, keep_default_na=False)
    missing = [c for c in SAFETY_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(f"missing columns {missing}", source=str(SAFETY_PATH), fix=f"header: {','.join(SAFETY_COLUMNS)}")
    known = set(dri_sources().index)
    rows = []
    for i, rec in enumerate(frame.to_dict("records"), start=2):
        stages = tuple(s.strip() for s in rec["life_stages"].split(";") if s.strip())
        bad = [s for s in stages if not _STAGE.match(s)]
        if bad or not stages:
            raise DataError(f"unknown life stage {bad or '(empty)'}", source=str(SAFETY_PATH), row=i,
                            column="life_stages", fix="use all, pregnancy, lactation, age<N or age>=N")
        nutrient = None
        if rec["nutrient"]:
            m = _NUTRIENT.match(rec["nutrient"].replace(" ", ""))
            if not m:
                raise DataError(f"nutrient condition '{rec['nutrient']}' is not column>number", source=str(SAFETY_PATH),
                                row=i, column="nutrient", fix="e.g. alcohol_g>0")
            nutrient = (m.group(1), float(m.group(2)))
        if rec["source"] not in known:
            raise DataError(f"source key '{rec['source']}' is not in dri_sources.csv", source=str(SAFETY_PATH), row=i,
                            column="source")
        if not (rec["rule_id"] and rec["description"]):
            raise DataError("rule_id and description are required", source=str(SAFETY_PATH), row=i)
        rows.append(SafetyRow(rec["rule_id"], stages, _regex(rec["group"], i, "group"), _regex(rec["name"], i, "name"),
                              _regex(rec["except"], i, "except"), nutrient, rec["source"], rec["description"]))
    return tuple(rows)


def safety_rule_ids() -> list[str]:
    """Every rule id of the safety table, in table order."""
    return list(dict.fromkeys(r.rule_id for r in load_safety_rules()))


def rule_label(rule_id: str) -> str:
    """``"food safety rule <id>: <description> (<source>)"`` for plan notes."""
    rows = [r for r in load_safety_rules() if r.rule_id == rule_id]
    sources = ", ".join(dict.fromkeys(r.source for r in rows))
    return f"food safety rule {rule_id}: {rows[0].description} ({sources})"


def lifted_rules(request: PlanRequest) -> list[str]:
    """Rule ids the request's clinician override lifts (checked: unknown ids raise :class:`RequestError`)."""
    override = request.clinician_override
    lifted = list(getattr(override, "food_safety_rules", ()) or ()) if override is not None else []
    known = safety_rule_ids()
    for rule_id in lifted:
        if rule_id not in known:
            raise RequestError(f"clinician_override.food_safety_rules names '{rule_id}', which is not a food safety "
                               f"rule. Fix: use one of {', '.join(known)}.")
    return lifted


def excluded_by_safety(request: PlanRequest, frame: pd.DataFrame) -> dict[str, pd.Series]:
    """For each safety rule that holds for the request's profile and is not lifted: a boolean Series over
    ``frame`` marking the foods it excludes (rules that exclude nothing are left out)."""
    lifted = set(lifted_rules(request))
    out: dict[str, pd.Series] = {}
    for row in load_safety_rules():
        if row.rule_id in lifted or not row.applies_to(request.profile):
            continue
        hit = row.matches(frame)
        out[row.rule_id] = out[row.rule_id] | hit if row.rule_id in out else hit
    return {k: v for k, v in out.items() if v.any()}


def screen_food_safety(request: PlanRequest, frame: pd.DataFrame) -> tuple[pd.Series, dict[str, int]]:
    """Apply the life-stage safety rules to candidate foods ``frame``: returns (keep mask, foods excluded per rule,
    keyed by :func:`rule_label`). A food the request locks or must include that a rule excludes raises
    :class:`RequestError` naming the rule and the way to lift it (a clinician override)."""
    keep = pd.Series(True, index=frame.index)
    removed: dict[str, int] = {}
    named = {i.food_id: "locked" for i in request.locked} | {i.food_id: "must_include" for i in request.must_include}
    for rule_id, hit in excluded_by_safety(request, frame).items():
        for fid, where in named.items():
            if fid in hit.index and bool(hit.loc[fid]):
                raise RequestError(
                    f"Food '{fid}' in {where} is excluded by {rule_label(rule_id)}. Fix: remove it, or have a "
                    f"clinician lift the rule with clinician_override.food_safety_rules=['{rule_id}'].")
        removed[rule_label(rule_id)] = int((hit & keep).sum())
        keep &= ~hit
    return keep, removed


def safety_violations(request: PlanRequest, frame: pd.DataFrame, food_ids: list[str]) -> list[str]:
    """One line per planned food (``food_ids`` of ``frame``) that a safety rule in force excludes: for verifying
    a plan independently of how it was made (a saved plan may have been edited)."""
    ids = [f for f in dict.fromkeys(food_ids) if f in frame.index]
    if not ids:
        return []
    sub = frame.loc[ids]
    out = []
    for rule_id, hit in excluded_by_safety(request, sub).items():
        for fid in sub.index[hit.to_numpy()]:
            name = sub.at[fid, "name"] if "name" in sub.columns else fid
            out.append(f"food {fid} ({name}) is excluded by {rule_label(rule_id)}")
    return out
