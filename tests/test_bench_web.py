"""bench/web.py's arithmetic on Lighthouse reports: the main-thread breakdown, the medians and the targets missed.

Lighthouse itself runs only in `make bench-web`; these reports are cut down to the fields the benchmark reads.
"""

from collections.abc import Mapping
from typing import Any

from bench import web


def report(performance: float, tbt: float, groups: Mapping[str, float], dom: int = 100) -> dict[str, Any]:
    """A Lighthouse report with the fields bench web reads."""
    categories = {
        "performance": {"score": performance, "auditRefs": []},
        "accessibility": {"score": 1, "auditRefs": [{"id": "color-contrast", "weight": 7}]},
        "best-practices": {"score": 1, "auditRefs": [{"id": "errors-in-console", "weight": 1}]},
    }
    audits = {
        "total-byte-weight": {"numericValue": 20 * 1024},
        "largest-contentful-paint": {"numericValue": 1200},
        "total-blocking-time": {"numericValue": tbt},
        "mainthread-work-breakdown": {
            "numericValue": sum(groups.values()),
            "details": {"items": [{"group": group, "duration": ms} for group, ms in groups.items()]},
        },
        "dom-size": {"numericValue": dom},
        "color-contrast": {"score": 1},
        "errors-in-console": {"score": 1},
    }
    return {"categories": categories, "audits": audits}


def test_the_breakdown_puts_every_lighthouse_group_in_one_column():
    groups = {
        "scriptEvaluation": 200,
        "scriptParseCompile": 10,
        "styleLayout": 300,
        "parseHTML": 50,
        "paintCompositeRender": 40,
        "garbageCollection": 5,
        "other": 600,
    }
    row = web.figures(report(0.99, 80, groups, dom=626))
    assert {column: row[column] for column in web.BREAKDOWN} == {
        "script": 210,
        "style": 300,
        "parse": 50,
        "paint": 40,
        "other": 605,
    }
    assert row["main"] == sum(groups.values()) == sum(row[column] for column in web.BREAKDOWN)
    assert (row["performance"], row["tbt"], row["dom"]) == (99, 80, 626)


def test_each_figure_is_the_median_of_its_runs_on_its_own():
    runs = [
        report(0.90, 300, {"styleLayout": 500, "other": 700}),
        report(1.00, 20, {"styleLayout": 100, "other": 900}),
        report(0.98, 90, {"styleLayout": 300, "other": 800}),
    ]
    row = web.median_figures(runs)
    assert (row["performance"], row["tbt"], row["style"], row["other"], row["main"]) == (98, 90, 300, 800, 1100)


def test_the_targets_a_page_misses_are_named():
    fine = web.figures(report(0.99, 120, {"other": 1000}))
    assert web.missed("Log", fine, 1.2) == []
    assert web.missed("Log", fine, 1.4) == ["main thread > 1.3x Login"]
    assert web.missed("History", fine, 1.4) == []  # the ratio is a target for Log and Trends only
    slow = web.figures(report(0.97, 151, {"other": 1000}))
    assert web.missed("Today", slow, 1.0) == ["performance", "TBT"]
