"""Helpers the benchmarks share: timing, percentiles, and the report format."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    """One measured figure beside its baseline from the same run."""

    name: str
    value: float
    baseline: float
    baseline_name: str
    unit: str
    target: float | None = None

    @property
    def ratio(self) -> float:
        """value / baseline (below 1 means faster than the baseline)."""
        return self.value / self.baseline if self.baseline else float("inf")

    def line(self) -> str:
        """A printable row: figure, baseline, ratio, and target verdict."""
        verdict = ""
        if self.target is not None:
            verdict = f"  target ≤ {self.target:g} {self.unit}: " + (
                "met" if self.value <= self.target else "MISSED"
            )
        return (
            f"{self.name:<34} {self.value:10.3f} {self.unit:<3} | {self.baseline_name:<30} "
            f"{self.baseline:10.3f} {self.unit:<3} | ratio {self.ratio:7.3f}{verdict}"
        )


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of `fn` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_ms(samples: list[float]) -> float:
    """Median of samples given in seconds, in milliseconds."""
    return statistics.median(samples) * 1000


def p95_ms(samples: list[float]) -> float:
    """95th percentile of samples given in seconds, in milliseconds."""
    return statistics.quantiles(samples, n=20)[-1] * 1000


def report(title: str, figures: list[Figure], out: str | None) -> None:
    """Print the figures and, with --json OUT, write them as JSON."""
    print(f"== {title}")
    for figure in figures:
        print(figure.line())
    if out:
        Path(out).write_text(
            json.dumps([{**asdict(f), "ratio": f.ratio} for f in figures], indent=2)
        )
