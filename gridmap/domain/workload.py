"""The workload of a unit grid, as the plan's balance sees it: its cases, components and area, weighed.

Each fact is taken relative to its mean per unit grid, so weights compare like with like (cases,
components, m²) and a unit grid of average everything weighs 1 whatever the weights. The default
weighs the three alike: a supervisor walks the area, inspects the components in it and reports and
checks its cases, so a grid with twice the cases but half the area and components is not twice the
work. Cases alone (``incidents=1``) concentrate in the centre: balancing them moves far more unit
grids (27.6% of the demo's against 4.0%, README) and leaves the centre's grids tiny.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gridmap.domain.errors import GridmapError

FACTORS = ("components", "incidents", "area")


class BalanceError(GridmapError):
    """The weights or the tolerance cannot be used; the message says which."""


@dataclass(frozen=True)
class Weights:
    """How much each fact of a unit grid counts in its workload. Each fact is taken relative to its
    mean per unit grid, so the weights compare like with like (cases, components, m²)."""

    components: float = 1.0
    incidents: float = 1.0
    area: float = 1.0

    @classmethod
    def parse(cls, text: str) -> Weights:
        """``components=1,incidents=2,area=0.5`` (factors not named weigh 0, so ``incidents=1`` is cases
        alone); raises BalanceError."""
        values = dict.fromkeys(FACTORS, 0.0)
        for part in filter(None, (p.strip() for p in text.split(","))):
            key, _, value = part.partition("=")
            key = key.strip()
            if key not in values:
                raise BalanceError(f"unknown weight {key!r}: use {', '.join(FACTORS)}")
            try:
                values[key] = float(value)
            except ValueError:
                raise BalanceError(f"weight {key}={value!r} is not a number") from None
            if values[key] < 0 or not math.isfinite(values[key]):
                raise BalanceError(f"weight {key}={value} must be zero or more")
        if not any(values.values()):
            raise BalanceError(f"weights {text!r}: at least one of {', '.join(FACTORS)} must weigh more than 0")
        return cls(**values)

    def __str__(self) -> str:
        return ",".join(f"{k}={getattr(self, k):g}" for k in FACTORS if getattr(self, k))


CASES_ONLY = Weights(components=0.0, incidents=1.0, area=0.0)


def grid_workloads(totals: dict, weights: Weights | None = None) -> dict[str, float]:
    """Each grid's workload from its totals (domain.plan.GridTotals): the sum of its unit grids'
    ``unit_workloads``, computed from the grid totals (the weighing is linear), so a paint step
    costs one pass over the grids, not over the unit grids."""
    weights = weights or Weights()
    units = sum(t.units for t in totals.values())
    out = dict.fromkeys(totals, 0.0)
    weighed = 0.0
    for key, attribute in (("components", "components"), ("incidents", "incidents"), ("area", "area_m2")):
        weight = getattr(weights, key)
        total = sum(getattr(t, attribute) for t in totals.values())
        if weight and total > 0:
            mean = total / units
            for grid, t in totals.items():
                out[grid] += weight * getattr(t, attribute) / mean
            weighed += weight
    return {grid: value / weighed for grid, value in out.items()} if weighed else out


def unit_workloads(plan, weights: Weights | None = None) -> dict[str, float]:
    """Each current unit grid of ``plan`` (a domain.plan.Plan) with its workload: its facts weighted,
    each relative to its mean per unit grid."""
    weights = weights or Weights()
    units = list(plan.assignment)
    columns = {"components": [plan.facts[u].components for u in units],
               "incidents": [plan.facts[u].incidents for u in units],
               "area": [plan.facts[u].area_m2 for u in units]}
    total, weighed = np.zeros(len(units)), 0.0
    for key in FACTORS:
        values = np.asarray(columns[key], dtype=float)
        weight = getattr(weights, key)
        if weight and values.sum() > 0:
            total += weight * values / values.mean()
            weighed += weight
    return dict(zip(units, (total / weighed if weighed else total).tolist(), strict=True))
