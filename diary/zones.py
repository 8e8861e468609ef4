"""Time zones as a patient meets them: the list to pick from (one zone per place, grouped by region), the
country a zone is in, and what that country's habits decide here: the paper the report is printed on.

The list and the countries come from the IANA tz database's own tables (`zone.tab`, `iso3166.tab`), read
from the `tzdata` package: every zone in it names a place and a country, so none of the database's old
aliases ("W-SU", "US/Eastern") or technical zones ("Factory", "Etc/GMT+5") is offered. A profile that
already holds one keeps it: `validate_timezone` accepts every name the database knows.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from functools import cache
from importlib import resources

from django.utils.translation.trans_real import parse_accept_lang_header

UTC = "UTC"
OTHER = "Other"
# Where US Letter is the usual paper (Unicode CLDR, supplementalData.xml, paperSize); A4 everywhere else.
LETTER_COUNTRIES = frozenset({"BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"})
A4, LETTER = "a4", "letter"


@dataclass(frozen=True)
class Zone:
    name: str  # the IANA name, "America/Chicago"
    country: str  # ISO 3166 code, "US"
    label: str  # "Chicago, United States – Central (most areas)"

    @property
    def region(self) -> str:
        return self.name.split("/", 1)[0]


def _table(name: str) -> list[list[str]]:
    text = resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def zones() -> tuple[Zone, ...]:
    """Every zone of `zone.tab` that this Python knows, by region, then by label."""
    countries = {row[0]: row[1] for row in _table("iso3166.tab")}
    known = zoneinfo.available_timezones()
    found = []
    for row in _table("zone.tab"):
        code, name = row[0], row[2]
        if name not in known:
            continue
        place = name.rsplit("/", 1)[-1].replace("_", " ")
        # The database's own note on the zone after a dash, not in brackets: its notes have brackets of their own.
        label = f"{place}, {countries.get(code, code)}" + (f" – {row[3]}" if len(row) > 3 and row[3] else "")
        found.append(Zone(name, code, label))
    return tuple(sorted(found, key=lambda z: (z.region, z.label)))


@cache
def _by_name() -> dict[str, Zone]:
    return {z.name: z for z in zones()}


def zone_choices(keep: str | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The time-zone picker's choices, grouped by region, UTC last. `keep`, a zone a profile already has that
    the list leaves out (an old alias), is offered first so that the profile keeps working unchanged."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for zone in zones():
        groups.setdefault(zone.region, []).append((zone.name, zone.label))
    choices = list(groups.items()) + [(OTHER, [(UTC, "UTC (Coordinated Universal Time)")])]
    if keep and keep not in _by_name() and keep != UTC:
        choices.insert(0, ("Your current zone", [(keep, keep.replace("_", " "))]))
    return choices


def country_of(zone_name: str) -> str | None:
    """The ISO 3166 country a zone is in ("America/Chicago" → "US"), or None (UTC, an alias, a typo)."""
    zone = _by_name().get(zone_name)
    return zone.country if zone else None


def browser_country(accept_language: str) -> str | None:
    """The country of the browser's first language that names one ("en-US,en;q=0.9" → "US")."""
    for language, _ in parse_accept_lang_header(accept_language or ""):
        parts = language.replace("_", "-").split("-")
        if len(parts) > 1 and len(parts[-1]) == 2 and parts[-1].isalpha():
            return parts[-1].upper()
    return None


def paper_for(zone_name: str, accept_language: str = "") -> str:
    """The report's usual paper: US Letter where the patient's country uses it (from their time zone, else from
    the browser's language), A4 elsewhere."""
    country = country_of(zone_name) or browser_country(accept_language)
    return LETTER if country in LETTER_COUNTRIES else A4
