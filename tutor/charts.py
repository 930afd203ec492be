"""Geometry for the server-rendered SVG charts: numbers in, shapes out.

Framework-free on purpose: the template draws the shapes and writes the (translated)
words, so the chart reads the same with or without JavaScript."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

# Scale tops whose halves are whole minutes, so gridline labels stay round.
_NICE_TOPS = (10, 20, 30, 40, 60, 90, 120, 180, 240)
# The drawing's own units (the viewBox); CSS scales it to the width available.
WIDTH, HEIGHT = 640, 230
LEFT, RIGHT, TOP, BOTTOM = 52, 632, 14, 190
_BAR_SHARE = 0.7  # of each day's slot; the rest is the gap between bars
_STUB = 2  # a day without practice still shows as a sliver on the baseline
_LABEL_EVERY = 7  # x-axis labels: today, then every week back


@dataclass(frozen=True)
class Bar:
    day: date
    minutes: int
    x: float
    y: float
    width: float
    height: float
    center: float
    practised: bool
    is_today: bool
    labelled: bool


@dataclass(frozen=True)
class Gridline:
    minutes: int
    y: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    gridlines: list[Gridline]
    scale_top: int
    total_minutes: int
    practice_days: int
    busiest: Bar | None
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = RIGHT
    top: int = TOP
    bottom: int = BOTTOM

    @property
    def label_y(self) -> int:
        return self.bottom + 24

    @property
    def middle_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def middle_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def is_empty(self) -> bool:
        return self.total_minutes == 0


def nice_top(largest: int) -> int:
    """The top of the scale: the smallest round number at or above the largest value."""
    for top in _NICE_TOPS:
        if largest <= top:
            return top
    return math.ceil(largest / 60) * 60


def daily_bar_chart(days: Sequence[dict]) -> BarChart:
    """Bars for `days` ([{"date": date, "minutes": int}], oldest first, today last:
    `practice_progress()["daily_minutes"]`)."""
    largest = max((day["minutes"] for day in days), default=0)
    top = nice_top(largest)
    plot_height = BOTTOM - TOP
    slot = (RIGHT - LEFT) / max(len(days), 1)
    width = round(slot * _BAR_SHARE, 1)
    last = len(days) - 1
    bars = []
    for index, day in enumerate(days):
        minutes = day["minutes"]
        height = max(minutes / top * plot_height, _STUB)
        x = LEFT + index * slot + (slot - width) / 2
        bars.append(
            Bar(
                day=day["date"],
                minutes=minutes,
                x=round(x, 1),
                y=round(BOTTOM - height, 1),
                width=width,
                height=round(height, 1),
                center=round(x + width / 2, 1),
                practised=minutes > 0,
                is_today=index == last,
                labelled=(last - index) % _LABEL_EVERY == 0,
            )
        )
    gridlines = [
        Gridline(minutes=value, y=round(BOTTOM - value / top * plot_height, 1))
        for value in (0, top // 2, top)
    ]
    practised = [bar for bar in bars if bar.practised]
    busiest = max(practised, key=lambda bar: (bar.minutes, bar.day), default=None)
    return BarChart(
        bars=bars,
        gridlines=gridlines,
        scale_top=top,
        total_minutes=sum(bar.minutes for bar in bars),
        practice_days=len(practised),
        busiest=busiest,
    )
