"""The diary's hook points: signals sent when a patient's diary changes, and slots in its pages.

The diary never imports triage, and its templates name nothing of triage; triage connects receivers
here and fills the slots.

- `episode_saved(sender=Episode, episode=…, created=…, before=…, extra=…)` is sent inside the saving
  transaction (on PostgreSQL, for a new episode saved outside a transaction, with no `extra`, that no app
  writes for, see `writes_with`, the episode's row is committed first, on its own, and the receivers run in a
  transaction of theirs); `before` is the episode as it was (`EpisodeFacts`), or None for a new one. A
  receiver may return a list of `Alert`s that the patient must see at once; the saving view shows them before
  anything else. `extra` is the log form's whole posted data (a QueryDict) when the save came from the form,
  else None (API, import): the fields an app's `log_form` slot added to the form (treatments: "took something
  for it") are read there, and a receiver that writes rows from them does so in the same transaction; a
  `ValidationError` it raises (naming its field) undoes the whole save and is shown on the form.
- `episode_deleted(sender=Episode, patient=…, episode_id=…)` is sent inside the deleting transaction,
  once the row is gone (triage withdraws at once the warning signs that rested on it alone).
- `diary_changed(sender=…, patient=…)` is sent after any episode or check-in is saved or
  deleted, and when the patient's time zone changes (their days move), inside the transaction (the receivers'
  one, after a new episode's own commit); receivers defer their work with `transaction.on_commit`.
- `alert_page(sender=None, episode_id=…, codes=…)`: a receiver returns the address of the page
  that shows the alerts with these codes for the episode just saved (the saving view goes there).
- `period_marks(sender=User, patient=…, first=…, last=…)`: receivers return `Mark`s, dated events
  that the Trends charts draw as dashed lines (triage: open warning signs first seen in the period).
- `period_bands(sender=User, patient=…, first=…, last=…)`: receivers return `Band`s, rows drawn under the
  Trends frequency chart (treatments: a treatment's courses as spans, its as-needed uses as marks).
- `tell_patient(sender=None, patient_id=…, notice=…)`: a receiver returns True when it told the patient
  on a device of theirs (pwa: a push notification); `tell` sends the email otherwise. `devices(sender=None,
  patient_id=…)`: a receiver returns True when the patient has such a device (`has_devices`);
  `devices_offered(sender=None)`: True when this server can reach a phone at all (`can_offer_devices`).
- `password_changed(sender=User, patient=…)` is sent whenever an account's password is set anew, on every path
  (the change form, the reset link, the admin, `set_password` and save anywhere, `manage.py changepassword`):
  the diary ends the patient's API tokens on it (`diary/accounts.py`); another app may end what it keeps too.
- `signed_out_everywhere(sender=User, patient=…)` is sent when the patient signs out everywhere (Settings), once their
  sessions and API tokens are ended: an app ends what a signed-in device of theirs keeps (pwa: its notifications).
- Interchange sections: an app that keeps rows of its own in the patient's diary (treatments, doses,
  questionnaire responses) registers a `Section` (`add_section`, from its `ready()`): the interchange
  format's export writes its keys, and the import validates them with the rest of the file and writes
  them in the same transaction, after the episodes and check-ins, or nothing at all.
- Offline pages: `keep_offline(url_name, *args)` (from an app's `ready()`) has the installed app keep that page as
  the patient last saw it, like Today and Log, so that it opens with no connection (pwa reads `OFFLINE_PAGES`).
- Slots: a page includes, in order, the templates that apps put in `slots.<name>` (`fill_slot`, called
  from an app's `ready()`): `today` (Today, below the still-going episodes), `log` (the log form's page,
  after the form: triage puts its offline warning screen there), `log_form` (inside the log form, after
  "What helped?"; it may read `form` and `editing`, and its fields reach `episode_saved` as `extra`),
  `trends` (Trends, above the charts; it may read the page's `trends`, `period`, `marks` and `bands`) and
  `settings` (Settings, under the title). The scripts a slot's template needs (`fill_slot(..., scripts=)`:
  triage's js/instant.js for its warning screen) run in the page's own file, after the page's scripts.
  `diary.context_processors.slots` gives the pages `slots`; an app that needs more in a slot's context adds a
  context processor or a template tag of its own.
- Offline data: an app that the phone needs with no connection registers an `OfflineDocument`
  (`keep_with_shell`, from its `ready()`): the service worker keeps it with the app shell, and the shell's
  version follows the document's (triage: the instant warning signs, `/app/signs.json`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from django.core.mail import send_mail
from django.dispatch import Signal

from web import scripts as web_scripts

episode_saved = Signal()
episode_deleted = Signal()
diary_changed = Signal()
alert_page = Signal()
period_marks = Signal()
password_changed = Signal()
signed_out_everywhere = Signal()


@dataclass(frozen=True)
class ImportContext:
    """What a section's validation may rely on: the importing patient (a User), the clock that reads times without
    an offset, and the episodes the file holds (their ids, as UUIDs)."""

    patient: Any
    clock: Any  # diary.clock.Clock
    episode_ids: frozenset[Any]


@dataclass(frozen=True)
class Section:
    """Keys of the interchange document that an app owns.

    `export(patient)` gives the records of each key; `validate(records_by_key, context)` returns the problems (each
    naming its record and field, as "doses[2] (id …): amount: …") and the validated data, which `write(patient,
    data)` then saves inside the import's transaction. A key missing from a file is an empty list.
    """

    keys: tuple[str, ...]
    export: Callable[[Any], Mapping[str, list[dict[str, Any]]]]
    validate: Callable[[Mapping[str, Sequence[Any]], ImportContext], tuple[list[str], Any]]
    write: Callable[[Any, Any], None]


SECTIONS: list[Section] = []


def add_section(section: Section) -> None:
    if all(section.keys != known.keys for known in SECTIONS):
        SECTIONS.append(section)


@dataclass(frozen=True)
class OfflineDocument:
    """A document the service worker keeps with the app shell: its URL name, and a version that changes
    whenever its content does (so the worker fetches it again)."""

    url_name: str
    version: Callable[[], str]


OFFLINE_DOCUMENTS: list[OfflineDocument] = []


def keep_with_shell(document: OfflineDocument) -> None:
    if all(document.url_name != known.url_name for known in OFFLINE_DOCUMENTS):
        OFFLINE_DOCUMENTS.append(document)


# Slot name → the templates that fill it, in the order the apps were loaded.
SLOTS: dict[str, list[str]] = {}


def fill_slot(name: str, template: str, scripts: Sequence[str] = ()) -> None:
    """Have the diary's pages include `template` in their slot `name` (once, however often it is called), and run
    the `scripts` of static/js/ it needs, joined into the page's own file (web/scripts.py)."""
    templates = SLOTS.setdefault(name, [])
    if template not in templates:
        templates.append(template)
    web_scripts.add_to_slot(name, scripts)


# Whether saving a new episode with these facts (`diary.facts.EpisodeFacts`) makes an app write beside it.
SAVE_WRITERS: list[Callable[[Any], bool]] = []


def writes_with(check: Callable[[Any], bool]) -> None:
    """Say when a receiver of `episode_saved` writes for a new episode with no `extra` (triage: when it matches an
    emergency or urgent sign, whose flag opens with it). On PostgreSQL, a new episode saved outside a transaction
    that no app writes for is committed by its own statement before `episode_saved` is sent (one round trip where a
    transaction takes three); any other save holds the episode and what the receivers write in one transaction."""
    if check not in SAVE_WRITERS:
        SAVE_WRITERS.append(check)


def written_with(facts: Any) -> bool:
    return any(check(facts) for check in SAVE_WRITERS)


# Pages of the apps that the installed app keeps for use offline: (URL name, its arguments).
OFFLINE_PAGES: list[tuple[str, tuple[str, ...]]] = []


def keep_offline(url_name: str, *args: str) -> None:
    """Have the service worker keep this page (network first) beside the diary's own (once, however often called)."""
    if (url_name, args) not in OFFLINE_PAGES:
        OFFLINE_PAGES.append((url_name, args))


tell_patient = Signal()
devices = Signal()
devices_offered = Signal()  # answered True by an app that this server lets reach a phone (pwa: push, with its keys)


class AlertSource(TypedDict):
    id: str
    title: str
    publisher: str
    url: str  # empty for the seed articles, which are cited by title
    background: bool  # a seed article: background reading, listed after the public pages


class Alert(TypedDict):
    """What the patient must be told at once about the episode just saved (filled in by triage)."""

    code: str
    level: str
    title: str
    message: str
    matched: list[str]
    late_entry: bool  # stroke signs logged over 24 h after they started: the urgent screen
    emergency_number: str
    sources: list[AlertSource]


def alerts_for_saved_episode(
    episode: Any, created: bool, before: Any = None, extra: Mapping[str, Any] | None = None
) -> list[Alert]:
    return _joined(episode_saved, type(episode), episode=episode, created=created, before=before, extra=extra)


def _joined(signal: Signal, sender: Any, **arguments: Any) -> list[Any]:
    """What the receivers of `signal` answered, joined into one list (a receiver may answer None: nothing to add)."""
    found: list[Any] = []
    for _receiver, response in signal.send(sender=sender, **arguments):
        if isinstance(response, list):
            found.extend(response)
    return found


def alert_page_for(episode_id: uuid.UUID, codes: list[str]) -> str | None:
    """Where the patient sees the alerts that saving this episode raised, if an app shows them."""
    for _receiver, response in alert_page.send(sender=None, episode_id=episode_id, codes=codes):
        if isinstance(response, str):
            return response
    return None


class Mark(TypedDict):
    """A dated event drawn on the Trends charts (filled in by triage: an open warning sign)."""

    date: dt.date
    title: str
    level: str  # for the slot's styling: emergency, urgent, see_doctor
    url: str  # where the patient reads about it


def marks_for(patient: Any, first: dt.date, last: dt.date) -> list[Mark]:
    marks: list[Mark] = _joined(period_marks, type(patient), patient=patient, first=first, last=last)
    return sorted(marks, key=lambda m: (m["date"], m["title"]))


period_bands = Signal()


class BandSpan(TypedDict):
    """A stretch of days of a band (treatments: one course at one dose)."""

    first: dt.date  # may be before the period
    last: dt.date | None  # the last day; None while it goes on (drawn to the period's right edge)
    label: str  # what it was: "75 mg twice a day"
    starts: bool  # it begins inside the period (its start is marked)
    stops: bool  # it ends inside the period (its end is marked)


class Band(TypedDict):
    """A row under the Trends frequency chart (filled in by treatments: one treatment)."""

    title: str
    spans: list[BandSpan]
    days: list[dt.date]  # single days marked on the row (as-needed uses)
    as_needed: bool
    url: str  # where the patient reads about it


def bands_for(patient: Any, first: dt.date, last: dt.date) -> list[Band]:
    return _joined(period_bands, type(patient), patient=patient, first=first, last=last)


# What a message to a patient is about: its notifier words the lock screen for each, saying nothing of health.
REMINDER, SOMETHING_TO_READ, ENTRY_TO_FINISH = "reminder", "something-to-read", "entry-to-finish"


@dataclass(frozen=True)
class Notice:
    """A message for the patient's devices: what it is about (REMINDER …) and the page it opens."""

    topic: str
    url: str


@dataclass(frozen=True)
class Email:
    """The email sent when no device took the notice; it may say more than a lock screen may."""

    to: str
    subject: str
    body: str


def has_devices(patient_id: int) -> bool:
    """Whether the patient can be told something without an email (pwa: a device with notifications on)."""
    return any(bool(answer) for _receiver, answer in devices.send(sender=None, patient_id=patient_id))


def can_offer_devices() -> bool:
    """Whether this server can tell a patient something on their phone at all (pwa: push is configured)."""
    return any(bool(answer) for _receiver, answer in devices_offered.send(sender=None))


def tell(patient_id: int, notice: Notice, email: Email | None) -> bool:
    """One message to a patient: on their devices where an app answers `tell_patient` (push), else by email
    when there is one to send. False when neither went. A failing mail server raises (`OSError`)."""
    for _receiver, reached in tell_patient.send(sender=None, patient_id=patient_id, notice=notice):
        if reached:
            return True
    if email is None or not email.to:
        return False
    send_mail(email.subject, email.body, None, [email.to])
    return True
