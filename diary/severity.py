"""The severity colour scale (vocab.SEVERITY_SCALE), light and dark: one fill and one text colour per step.

The stylesheet exposes it as --sev-0 … --sev-10 and --sev-0-fg … --sev-10-fg (the form, History,
Today, the charts); the PDF report and anything else drawn on the server read it from here.
tests/diary/test_severity.py keeps static/css/app.css equal to these values and checks every text
colour against its fill (WCAG AA, 4.5:1).
"""

from __future__ import annotations

from dataclasses import dataclass

from diary import vocab

LEVELS = vocab.SEVERITY_SCALE


@dataclass(frozen=True)
class Step:
    fill: str
    text: str


INK, PAPER = "#1b1f23", "#ffffff"
DARK_INK, DARK_PAPER = "#e8ecef", "#111417"

# Pale to deep red on a light page; dim to bright on a dark one, so "worse" always stands out more.
LIGHT: tuple[Step, ...] = (
    Step("#f3f6f8", INK),
    Step("#fdf3c0", INK),
    Step("#fde68a", INK),
    Step("#fcd34d", INK),
    Step("#fbbf24", INK),
    Step("#f59e0b", INK),
    Step("#f97316", INK),
    Step("#dc2626", PAPER),
    Step("#b91c1c", PAPER),
    Step("#8b1538", PAPER),
    Step("#5b0a30", PAPER),
)
DARK: tuple[Step, ...] = (
    Step("#27313a", DARK_INK),
    Step("#3d3a1c", DARK_INK),
    Step("#544812", DARK_INK),
    Step("#6a520c", DARK_INK),
    Step("#845606", DARK_INK),
    Step("#9c5208", DARK_INK),
    Step("#e2681c", DARK_PAPER),
    Step("#f45f48", DARK_PAPER),
    Step("#f7706a", DARK_PAPER),
    Step("#ff8f86", DARK_PAPER),
    Step("#ffb8b2", DARK_PAPER),
)
WORDS = {0: "none", 1: "barely", 3: "mild", 5: "moderate", 7: "severe", 10: "worst imaginable"}


def _clamped(severity: int) -> int:
    return max(vocab.SEVERITY_MIN, min(vocab.SEVERITY_MAX, severity))


def step(severity: int, *, dark: bool = False) -> Step:
    """The colours of a severity from 0 to 10 (clamped, so a bad value never breaks a page)."""
    return (DARK if dark else LIGHT)[_clamped(int(severity))]


def word(severity: int) -> str:
    """A plain word for a severity: the nearest named step at or below it."""
    return WORDS[max(k for k in WORDS if k <= _clamped(severity))]


def relative_luminance(colour: str) -> float:
    red, green, blue = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours, from 1 to 21."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def css_variables(*, dark: bool = False) -> str:
    """The custom properties as the stylesheet declares them."""
    return " ".join(
        f"--sev-{n}: {s.fill}; --sev-{n}-fg: {s.text};" for n, s in zip(LEVELS, DARK if dark else LIGHT, strict=True)
    )
