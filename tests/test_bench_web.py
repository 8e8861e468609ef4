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
    cpu = {"script": 10.0, "style": 20.0, "parse": 5.0, "paint": 5.0, "other": 60.0}  # ms, from the trace
    return {"categories": categories, "audits": audits, "main_thread_cpu": cpu}


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
    assert row["cpu"] == 4 * 100  # the trace's processor time, with Lighthouse's 4x slowdown


def test_each_figure_is_the_median_of_its_runs_on_its_own():
    runs = [
        report(0.90, 300, {"styleLayout": 500, "other": 700}),
        report(1.00, 20, {"styleLayout": 100, "other": 900}),
        report(0.98, 90, {"styleLayout": 300, "other": 800}),
    ]
    row = web.median_figures(runs)
    assert (row["performance"], row["tbt"], row["style"], row["other"], row["main"]) == (98, 90, 300, 800, 1100)


def test_a_multiple_of_login_is_taken_round_by_round():
    """Load that slowed Log in round 2 and both pages in round 3: round by round Log is 1.2x Login twice and 1.9x
    once, median 1.2; the ratio of the two medians (1,900 over 1,000) would say 1.9."""
    login = [report(1, 0, {"other": ms}) for ms in (1000, 1000, 1600)]
    log = [report(1, 0, {"other": ms}) for ms in (1200, 1900, 1920)]
    log[1]["main_thread_cpu"] = {"other": 150.0}  # the trace's processor time, 1.5x Login's in that round only
    assert web.paired_ratios(log, login, "main") == [1.2, 1.9, 1.2]
    assert web.paired_ratios(log, login, "cpu") == [1.0, 1.5, 1.0]
    assert web.median_figures(log)["main"] / web.median_figures(login)["main"] == 1.9


def test_the_targets_a_page_misses_are_named():
    fine = web.figures(report(0.99, 120, {"other": 1000}))
    assert web.missed("Log", fine, 1.2) == []
    assert web.missed("Log", fine, 1.4) == ["main thread > 1.3x Login"]
    assert web.missed("History", fine, 1.4) == []  # the ratio is a target for Log and Trends only
    slow = web.figures(report(0.97, 151, {"other": 1000}))
    assert web.missed("Today", slow, 1.0) == ["performance", "TBT"]


def span(name: str, start: float, wall: float, cpu: float, tid: int = 1) -> dict[str, Any]:
    """A complete trace event: `wall` and `cpu` ms from `start` ms, on thread `tid` of process 7."""
    return {"ph": "X", "name": name, "pid": 7, "tid": tid, "ts": start * 1000, "dur": wall * 1000, "tdur": cpu * 1000}


def test_the_processor_time_is_the_page_main_threads_grouped_as_lighthouse_groups_it():
    url = "http://127.0.0.1:8765/log/"
    events = [
        {"ph": "M", "name": "thread_name", "pid": 7, "tid": 1, "args": {"name": "CrRendererMain"}},
        {"ph": "M", "name": "thread_name", "pid": 7, "tid": 2, "args": {"name": "Compositor"}},
        {
            "ph": "R",
            "name": "navigationStart",
            "pid": 7,
            "tid": 1,
            "ts": 0,
            "args": {"data": {"documentLoaderURL": url}},
        },
        # A task that waited for the processor: 30 ms on the clock, 10 ms of it running.
        span("RunTask", 0, 30, 10),
        span("ParseHTML", 1, 12, 4),
        span("EvaluateScript", 2, 6, 2),  # inside the parse: counted as script, not as parsing
        span("RunTask", 40, 20, 8),
        span("Layout", 41, 15, 6),
        span("FontCache::GetFontPlatformData", 42, 10, 1),  # not one of Lighthouse's: counted where its parent is
        span("RunTask", 40, 50, 50, tid=2),  # another thread: not the page's main thread
    ]
    cpu = web.main_thread_cpu(events, url)
    assert cpu == {"script": 2, "style": 6, "parse": 2, "paint": 0, "other": 6 + 2}
    assert sum(cpu.values()) == 10 + 8  # every task's processor time, once
