"""The demo report's loss chart, read back as SVG: each check is a point placed linearly
in the plot area (first step at the left axis, last at the right edge, highest loss at
the top, lowest at the bottom), the line goes through the points, a dashed marker stands
halfway between the checks where the stage changes, and the axis title is centred."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from catauto.demo import _loss_curve

SVG = "{http://www.w3.org/2000/svg}"


def history(steps, losses, stages):
    return [
        {"step": s, "loss": [loss, loss], "phase": ph, "population": pop}
        for s, loss, (ph, pop) in zip(steps, losses, stages)
    ]


@pytest.mark.parametrize("width, height", [(520, 220), (300, 150)])
def test_loss_chart_places_the_checks_linearly(width: int, height: int) -> None:
    steps = [10, 40, 50, 110]
    losses = [2.0, 1.5, 3.0, 0.5]
    stages = [("train", 8), ("train", 8), ("shrink", 8), ("train", 4)]
    root = ET.fromstring(_loss_curve(history(steps, losses, stages), width, height))
    left, right, top, bottom = 62, width - 12, 12, height - 42
    pts = [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(f"{SVG}circle")]
    assert len(pts) == 4
    for (x, y), s, loss in zip(pts, steps, losses):
        assert x == pytest.approx(left + (s - 10) / 100 * (right - left), abs=0.06)
        assert y == pytest.approx(top + (3.0 - loss) / 2.5 * (bottom - top), abs=0.06)
    line = next(root.iter(f"{SVG}polyline")).get("points").split()
    assert [tuple(map(float, p.split(","))) for p in line] == pts
    dashed = [e for e in root.iter(f"{SVG}line") if e.get("stroke-dasharray")]
    mids = [(pts[i - 1][0] + pts[i][0]) / 2 for i in (2, 3)]
    assert [float(e.get("x1")) for e in dashed] == pytest.approx(mids, abs=0.06)
    ends = {t.text: t for t in root.iter(f"{SVG}text") if t.text in ("10", "110")}
    assert [(float(ends[s].get("x")), float(ends[s].get("y"))) for s in ("10", "110")] == [
        (left, bottom + 14),
        (right, bottom + 14),
    ]  # the first and last step under the ends of the x axis
    at = {
        t.text: (float(t.get("x", "nan")), float(t.get("y", "nan")))
        for t in root.iter(f"{SVG}text")
    }
    assert at["3"] == (left - 4, top + 9) and at["0.5"] == (left - 4, bottom)  # loss range
    assert at["training step"] == (round((left + right) / 2), height - 8)
    assert at["shrinking"] == pytest.approx((mids[0] + 3, top + 10), abs=0.06)
    assert at["fresh restarts"] == pytest.approx((mids[1] + 3, top + 10), abs=0.06)
    names = [t.text for t in root.iter(f"{SVG}text")]
    assert "shrinking" in names and "fresh restarts" in names
    (title,) = [t for t in root.iter(f"{SVG}text") if "rotate" in (t.get("transform") or "")]
    centre = re.match(r"translate\(14 (\d+)\) rotate\(-90\)", title.get("transform"))
    assert centre and int(centre.group(1)) == round((top + bottom) / 2)
