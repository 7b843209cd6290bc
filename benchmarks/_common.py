"""Helpers the benchmarks share: timing, percentiles, the report format, and a generated
journal."""

from __future__ import annotations

import datetime as dt
import json
import random
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
    ratio_target: float | None = None

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
        if self.ratio_target is not None:
            verdict += f"  target ≤ {self.ratio_target:g}x: " + (
                "met" if self.ratio <= self.ratio_target else "MISSED"
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


WORDS = (
    *"텐서 그래프 자동미분 브로드캐스팅 차원 행렬 곱셈 손실함수 데이터 모델 학습 강의 과제".split(),
    *"tensor view reshape squeeze unsqueeze matmul backward gradient optimizer".split(),
    *"dataset loader module parameter linear softmax".split(),
)


def _paragraphs(rng: random.Random, count: int) -> str:
    return "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))) for _ in range(count)
    )


def write_entries(
    folder: Path, count: int, seed: int = 7, start: dt.date = dt.date(2016, 1, 1)
) -> None:
    """`count` consecutive days of entries in the user's template, from `start`."""
    from journal import Lecture, PlanItem
    from journal.template import Outline, render

    rng = random.Random(seed)
    for n in range(count):
        day = start + dt.timedelta(days=n)
        lectures = tuple(
            Lecture(3 * n + k, f"강의 {3 * n + k} {rng.choice(WORDS)}") for k in range(3)
        )
        outline = Outline(
            date=day,
            category="Pytorch",
            lectures=lectures,
            review=_paragraphs(rng, 3) + ("\n\n파이토치 최고" if n % 50 == 0 else ""),
            notes=tuple(_paragraphs(rng, 5) for _ in lectures),
            afterword=_paragraphs(rng, 2),
            plans=(
                PlanItem(f"과제 {n}"),
                PlanItem(f"{rng.choice(WORDS)} 복습", rng.random() < 0.5),
            ),
        )
        (folder / f"{day.isoformat()}-pytorch.md").write_text(render(outline), encoding="utf-8")
