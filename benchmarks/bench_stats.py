"""Small statistics helpers shared by the benchmark scripts (no third-party imports)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence

Figures = dict[str, float | int | None]


def quantile(sorted_values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile of already sorted values (nearest rank, never interpolated)."""
    if not sorted_values:
        return math.nan
    rank = math.ceil(fraction * len(sorted_values))
    return float(sorted_values[min(max(rank, 1), len(sorted_values)) - 1])


def summary(values: Iterable[float], prefix: str, digits: int = 3) -> Figures:
    """``{prefix}.p50``, ``.p95``, ``.p99``, ``.max`` and ``.n`` of ``values``."""
    ordered = sorted(values)
    figures: Figures = {f"{prefix}.n": len(ordered)}
    if not ordered:
        return figures | {f"{prefix}.{name}": None for name in ("p50", "p95", "p99", "max")}
    for name, fraction in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99), ("max", 1.0)):
        figures[f"{prefix}.{name}"] = round(quantile(ordered, fraction), digits)
    return figures


def median_figures(runs: Sequence[Mapping[str, float | int | None]]) -> Figures:
    """The median of every figure over the runs that have a number for it."""
    keys: dict[str, None] = {}
    for run in runs:
        keys.update(dict.fromkeys(run))
    merged: Figures = {}
    for key in keys:
        values = [run[key] for run in runs if isinstance(run.get(key), int | float)]
        finite = [float(v) for v in values if v is not None and math.isfinite(v)]
        merged[key] = _middle(finite, all(isinstance(v, int) for v in values))
    return merged


def _middle(values: list[float], whole: bool) -> float | int | None:
    """The median, as an int if the values were ints and it is whole; None without values."""
    if not values:
        return None
    middle = statistics.median(values)
    return int(middle) if whole and middle.is_integer() else round(middle, 3)


def per_minute(amount: float, seconds: float) -> float:
    """``amount`` measured over ``seconds``, scaled to 60 s."""
    return amount * 60.0 / seconds if seconds > 0 else math.nan
