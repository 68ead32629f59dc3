"""Inline SVG charts for the status page: a line chart against a target, and a bar chart against a target.

Plain SVG strings, no script: each chart scales to its container (``viewBox``, width 100 % in the page's CSS),
names itself (``<title>``, ``aria-label``) and gives every point or bar a ``<title>`` with its value, which a
browser shows on hover without JavaScript. Every text that comes from the history is escaped here. The page puts
a data table behind each chart, so the figures never depend on reading the drawing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 320
HEIGHT = 150
_LEFT, _RIGHT, _TOP, _BOTTOM = 40, 8, 10, 22


@dataclass(frozen=True)
class Point:
    """One x position of a chart: its label (a day, an hour) and its value (None: no data there)."""

    label: str
    value: float | None


def _x(index: int, count: int) -> float:
    """The x coordinate of the ``index``-th of ``count`` evenly spaced positions."""
    span = WIDTH - _LEFT - _RIGHT
    return _LEFT + (span * index / (count - 1) if count > 1 else span / 2)


def _y(value: float, low: float, high: float) -> float:
    """The y coordinate of ``value`` on a scale from ``low`` (bottom) to ``high`` (top)."""
    span = HEIGHT - _TOP - _BOTTOM
    share = (value - low) / (high - low) if high > low else 0.0
    return _TOP + span * (1 - min(max(share, 0.0), 1.0))


def _frame(title: str, body: list[str], points: Sequence[Point], scale: tuple[float, float], fmt: str) -> str:
    """Wrap chart marks in an ``<svg>`` with its title, the y scale's ends and the first and last x labels."""
    low, high = scale
    label = escape(title)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{label}</title>",
        f'<line class="axis" x1="{_LEFT}" y1="{HEIGHT - _BOTTOM}" x2="{WIDTH - _RIGHT}" y2="{HEIGHT - _BOTTOM}"/>',
        f'<text class="tick" x="{_LEFT - 4}" y="{_TOP + 4}" text-anchor="end">{fmt.format(high)}</text>',
        f'<text class="tick" x="{_LEFT - 4}" y="{HEIGHT - _BOTTOM}" text-anchor="end">{fmt.format(low)}</text>',
        *body,
    ]
    if points:
        bottom = HEIGHT - 6
        parts.append(f'<text class="tick" x="{_LEFT}" y="{bottom}">{escape(points[0].label)}</text>')
        last = escape(points[-1].label)
        parts.append(f'<text class="tick" x="{WIDTH - _RIGHT}" y="{bottom}" text-anchor="end">{last}</text>')
    return "".join(parts) + "</svg>"


def _target_line(target: float, scale: tuple[float, float], label: str) -> list[str]:
    """A dashed horizontal line at ``target`` with its label."""
    y = _y(target, *scale)
    return [
        f'<line class="target" x1="{_LEFT}" y1="{y:.1f}" x2="{WIDTH - _RIGHT}" y2="{y:.1f}"/>',
        f'<text class="tick target-label" x="{WIDTH - _RIGHT}" y="{y - 3:.1f}" text-anchor="end">'
        f"{escape(label)}</text>",
    ]


def line_chart(points: Sequence[Point], *, target: float, target_label: str, title: str, unit: str) -> str:
    """A line chart of ``points`` (gaps where a value is None) from 0 up, with a dashed ``target`` line.

    Points above the target are drawn with the ``over`` class, so a breach stands out without reading numbers.
    """
    values = [p.value for p in points if p.value is not None]
    scale = (0.0, max([target * 1.25, *(v * 1.1 for v in values)]))
    body = _target_line(target, scale, target_label)
    segment: list[str] = []
    marks: list[str] = []
    for index, point in enumerate(points):
        if point.value is None:
            body += _polyline(segment)
            segment = []
            continue
        x, y = _x(index, len(points)), _y(point.value, *scale)
        segment.append(f"{x:.1f},{y:.1f}")
        over = " over" if point.value > target else ""
        tip = escape(f"{point.label}: {point.value:.0f} {unit}")
        marks.append(f'<circle class="point{over}" cx="{x:.1f}" cy="{y:.1f}" r="2.5"><title>{tip}</title></circle>')
    body += _polyline(segment) + marks
    return _frame(title, body, points, scale, "{:.0f}")


def _polyline(coords: list[str]) -> list[str]:
    """A polyline through ``coords`` (nothing for fewer than two points)."""
    return [f'<polyline class="line" points="{" ".join(coords)}"/>'] if len(coords) > 1 else []


def bar_chart(points: Sequence[Point], *, target: float, target_label: str, title: str) -> str:
    """A bar chart of fractions (0..1) drawn as percentages, from just below the lowest value or target to 100 %.

    Bars under ``target`` get the ``under`` class; a position without a value gets no bar.
    """
    values = [p.value for p in points if p.value is not None]
    low = max(0.0, min([target, *values]) - 0.01)
    scale = (low * 100, 100.0)
    slot = (WIDTH - _LEFT - _RIGHT) / max(len(points), 1)
    body = _target_line(target * 100, scale, target_label)
    for index, point in enumerate(points):
        if point.value is None:
            continue
        top = _y(point.value * 100, *scale)
        x = _LEFT + slot * index + slot * 0.15
        under = " under" if point.value < target else ""
        tip = escape(f"{point.label}: {point.value * 100:.2f} %")
        body.append(
            f'<rect class="bar{under}" x="{x:.1f}" y="{top:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{max(HEIGHT - _BOTTOM - top, 1.0):.1f}"><title>{tip}</title></rect>'
        )
    return _frame(title, body, points, scale, "{:.1f}%")
