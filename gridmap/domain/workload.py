"""The workload of a unit grid, as the plan's balance sees it: its cases, components and area, weighed.

Each fact is taken relative to its mean per unit grid, so weights compare like with like (cases,
components, m²) and a unit grid of average everything weighs 1 whatever the weights. The default
weighs cases only: the workload the grid editor has always shown (incidents of the last 90 days).
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

    components: float = 0.0
    incidents: float = 1.0
    area: float = 0.0

    @classmethod
    def parse(cls, text: str) -> Weights:
        """``components=1,incidents=2,area=0.5`` (factors not named weigh 0); raises BalanceError."""
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
