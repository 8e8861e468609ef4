"""Writes to the diary. The log form, the API and the import all call these functions."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from diary import hooks, vocab
from diary.clock import Clock, day_range, day_words, instant, local_date
from diary.facts import EpisodeFacts, facts_from_episode
from diary.models import (
    EARLIEST_DAY,
    MAX_DURATION_MINUTES,
    ONGOING,
    CheckIn,
    Episode,
    EpisodeLocation,
    Profile,
    default_emergency_number,
    validate_start_for_patient,
)
from web.http import NotYours
from web.rows import Insert, connection, fetch, saved

NO_SUCH_EPISODE = "No such episode."  # for another patient's episode too: the two answers never differ


@dataclass
class SavedEpisode:
    episode: Episode
    created: bool
    alerts: list[hooks.Alert] = field(default_factory=list)
    taken_back: list[dt.date] = field(default_factory=list)  # days whose "no numbness" the save took back


def profile_of(patient: User) -> Profile:
    """The patient's profile, made with the account (`diary.models.create_profile`); cached on the user."""
    return patient.profile


def clock_of(patient: User) -> Clock:
    """The patient's zone, "now" and local "today": the one clock every page, form, API call and import uses."""
    return profile_of(patient).clock


def _canonical_locations(locations: list[tuple[str, str]]) -> list[vocab.Place]:
    for side, region in locations:
        if side not in vocab.SIDES:
            raise ValidationError({"locations": f"Unknown side {side!r}."})
        if region not in vocab.REGIONS:
            raise ValidationError({"locations": f"Unknown region {region!r}."})
    if not locations:
        raise ValidationError({"locations": "Mark at least one place on the leg."})
    return vocab.places(locations)


# The three inserts of a save, written once (web/rows.py): a save is the request the API serves most.
# A new episode goes in unless its id exists; when another transaction is inserting the same id, the database makes
# this insert wait for it and then reports the conflict, so a double tap replaces rather than fails.
_NEW_EPISODE = Insert(Episode, ignore_conflicts=True)
_LOCATIONS = Insert(EpisodeLocation)
# The implied check-in in one statement (INSERT … ON CONFLICT DO UPDATE), not a locked read and a write.
_CHECKIN = Insert(CheckIn, update_conflicts=(["patient", "date"], ["numbness_today", "updated_at"]))


def _insert_new(episode: Episode, places: list[EpisodeLocation], checkin: CheckIn) -> bool:
    """Insert the episode unless its id exists, and with it its places and the day's check-in. True when the episode
    was new; else nothing was written (the caller replaces the episode of that id, or refuses).

    On PostgreSQL one statement (data-modifying `WITH` clauses): one round trip where three were, on the request
    that the API serves most (docs/benchmarks.md#load). SQLite has no such clauses: three statements there.
    """
    db = connection()
    if db.vendor != "postgresql":
        created = _NEW_EPISODE.run([episode]) == 1
        if created:
            _LOCATIONS.run(places)
            _CHECKIN.run([checkin])
        return created
    quote = db.ops.quote_name
    new_sql, new_params = _NEW_EPISODE.statement(db, [episode])
    day_sql, day_params = _CHECKIN.statement(db, [checkin], each_row_of="new")
    column = {field.name: quote(field.column) for field in EpisodeLocation._meta.concrete_fields}
    table, new_id = quote(EpisodeLocation._meta.db_table), quote(Episode._meta.pk.column)
    values = ", ".join(["(%s, %s)"] * len(places))
    # Names from the models' metadata, quoted by the database's rules; every value is a parameter.
    sql = (
        f"WITH new AS ({new_sql} RETURNING {new_id}), day AS ({day_sql}) "  # noqa: S608
        f"INSERT INTO {table} ({column['episode']}, {column['side']}, {column['region']}) "
        f"SELECT new.{new_id}, place.side, place.region FROM new, (VALUES {values}) AS place(side, region) "
        f"RETURNING {column['id']}, {column['side']}, {column['region']}"
    )
    params = new_params + day_params + [value for place in places for value in (place.side, place.region)]
    numbered = {(row_side, row_region): number for number, row_side, row_region in fetch(db, sql, params)}
    if not numbered:  # every episode has a place: none written means the episode was not new
        return False
    for place in places:
        place.pk = numbered[place.side, place.region]
    saved([episode, *places])  # the check-in's id is not read back: it stays unsaved, as the caller drops it
    return True


def save_episode(
    *,
    patient: User,
    episode_id: uuid.UUID | None,
    started_at: dt.datetime,
    duration_minutes: int | None,
    severity: int,
    locations: list[tuple[str, str]],
    sensations: Sequence[str] = (),
    triggers: Sequence[str] = (),
    symptoms: Sequence[str] = (),
    relieved_by: Sequence[str] = (),
    notes: str = "",
    alarm_answered: bool = False,
    duration_unknown: bool = False,
    announce: bool = True,
    extra: Mapping[str, Any] | None = None,
    from_file: bool = False,
) -> SavedEpisode:
    """Create or replace one episode by its id (idempotent), with its locations and implied check-in.

    A retried save with the same id replaces the row instead of adding one, so a double tap,
    a network retry and the offline queue's replay all leave one episode. `announce=False` leaves
    `diary_changed` to the caller (an import sends it once for the whole file). `alarm_answered`: the patient
    answered the alarm questions (the form and the API: ticked one, or chose "none of these"). `extra`: the log
    form's posted data, handed to `hooks.episode_saved` for the fields of the apps' `log` slot.
    `duration_unknown`: it is over and the patient doesn't know how long it lasted (no minutes then; not ongoing).
    `from_file`: the save comes from an imported file (`Episode.logged_from_file`, `saved_from_file`).
    """
    if duration_unknown and duration_minutes is not None:
        raise ValidationError({"duration_minutes": "Give the minutes or say you are not sure, not both."})
    values: dict[str, Any] = {
        "started_at": started_at.replace(microsecond=0),
        "duration_minutes": duration_minutes,
        "duration_unknown": duration_unknown,
        "severity": severity,
        "notes": notes,
    }
    for name, given in (
        ("sensations", sensations),
        ("triggers", triggers),
        ("symptoms", symptoms),
        ("relieved_by", relieved_by),
    ):
        try:
            values[name] = vocab.canonical(vocab.CODE_SETS[name], given)
        except ValidationError as e:
            raise ValidationError({name: e.messages}) from e
    values["alarm_answered"] = alarm_answered
    pairs = _canonical_locations(list(locations))
    episode_id = episode_id or uuid.uuid4()

    profile = profile_of(patient)
    zone = profile.zone
    validate_start_for_patient(values["started_at"], zone=zone, date_of_birth=profile.date_of_birth)
    episode = Episode(id=episode_id, patient=patient, logged_from_file=from_file, saved_from_file=from_file, **values)
    # No uniqueness check here: a save of an id that exists replaces it below. No constraint check either: the
    # model's one (a duration not known has no minutes) is checked above, by field, and Django would ask the
    # database about it in a query and two savepoints of its own on every save.
    episode.full_clean(exclude=["patient"], validate_unique=False, validate_constraints=False)
    places = [EpisodeLocation(episode=episode, side=place.side, region=place.region) for place in pairs]
    checkin = CheckIn(patient=patient, date=local_date(episode.started_at, zone), numbness_today=True)
    db = connection()
    # A new episode that no app writes for (nothing alarming, no fields of theirs from the form), saved outside any
    # transaction, is one statement on PostgreSQL, committed on its own: no BEGIN and COMMIT around it. Its receivers
    # then run in a transaction of theirs (were they to fail, the episode is kept and the client's retry replaces
    # it). An id that exists is replaced below, locked, in one transaction.
    alone = (
        db.vendor == "postgresql"
        and not db.in_atomic_block
        and not extra
        and not hooks.written_with(facts_from_episode(episode, zone, places))
    )
    if alone and _insert_new(episode, places, checkin):
        with transaction.atomic():
            return _saved(episode, places, True, None, extra, announce)
    with transaction.atomic():
        return _replace_or_insert(episode, values, places, checkin, zone, extra, announce, taken=alone)


def _replace_or_insert(
    episode: Episode,
    values: dict[str, Any],
    places: list[EpisodeLocation],
    checkin: CheckIn,
    zone: dt.tzinfo,
    extra: Mapping[str, Any] | None,
    announce: bool,
    taken: bool,
) -> SavedEpisode:
    """Insert the episode, or replace the patient's episode of that id; `taken`: an insert just found the id taken."""
    patient = episode.patient
    for _ in range(3):
        if not taken and _insert_new(episode, places, checkin):
            return _saved(episode, places, True, None, extra, announce)
        taken = False
        # The id is taken: by an earlier save (a retry, an edit), or by a concurrent one that the insert waited
        # for. Replace that row, locked, if it is the patient's. The day's check-in is written first, before the
        # episode's lock, as every save and an import write them (the other order can deadlock with an import that
        # holds the check-in). A row deleted between the insert's look and this read is gone: insert again (a save
        # never answers "no such episode" for an id nobody holds).
        _CHECKIN.run([checkin])
        existing = next(iter(Episode.objects.select_for_update().filter(id=episode.id)), None)  # by key: no ORDER BY
        if existing is not None:
            break
    else:  # created and deleted under it three times over: give up rather than loop
        raise NotYours(NO_SUCH_EPISODE)
    if existing.patient_id != patient.pk:
        raise NotYours(NO_SUCH_EPISODE)  # the transaction rolls back: the check-in above is not kept
    existing.patient = patient  # the caller's, with its profile: the receivers read the patient's clock
    kept = list(existing.locations.all())
    before = facts_from_episode(existing, zone, kept)
    day_before = local_date(existing.started_at, zone)
    if before.locations == {(p.side, p.region) for p in places} and all(
        getattr(existing, name) == value for name, value in values.items()
    ):
        # A retry, the offline queue's replay or a file imported again, with nothing changed: the row is left as it
        # was saved. Its updated_at is when the server last took a change, which the late-entry rule reads: a stroke
        # sign logged at once, replayed a day later, must not read as entered a day late.
        return _saved(existing, kept, False, before, extra, announce)
    for name, value in values.items():
        setattr(existing, name, value)
    existing.saved_from_file = episode.saved_from_file  # who changed it last; who created it stays
    existing.save()  # the values were validated above, on the new instance
    existing.locations.all().delete()
    for place in places:
        place.episode = existing
    _LOCATIONS.run(places)
    if day_before != checkin.date:  # moved to another day: the day it left may have no episode now
        _unmark_if_no_episode_left(patient, day_before, zone)
    return _saved(existing, places, False, before, extra, announce)


def _saved(
    episode: Episode,
    places: list[EpisodeLocation],
    created: bool,
    before: EpisodeFacts | None,
    extra: Mapping[str, Any] | None,
    announce: bool,
) -> SavedEpisode:
    """Tell the apps (`episode_saved`: their alerts, their rows from the form) and the review (`diary_changed`)."""
    taken_back = _forget_no_numbness_it_lasted_into(episode)
    episode.keep_locations(places)
    alerts = hooks.alerts_for_saved_episode(episode, created, before, extra)
    if announce:
        hooks.diary_changed.send(sender=Episode, patient=episode.patient)
    return SavedEpisode(episode=episode, created=created, alerts=alerts, taken_back=taken_back)


@transaction.atomic
def delete_episode(*, patient: User, episode_id: uuid.UUID) -> bool:
    """Delete the patient's episode. The check-in its save implied goes with the day's last episode: a day is then
    "not logged" again, not "numbness noted" on the word of an episode that is gone (an Undo right after a save
    leaves the day as it was before, or unasked where the patient had said "no numbness" and then logged one; a later
    day whose "no numbness" the save took back, the episode having lasted into it, gets it again from the Undo:
    `give_back_no_numbness`)."""
    started_at = Episode.objects.filter(patient=patient, id=episode_id).values_list("started_at", flat=True).first()
    if started_at is None:
        return False
    Episode.objects.filter(patient=patient, id=episode_id).delete()
    zone = profile_of(patient).zone
    _unmark_if_no_episode_left(patient, local_date(started_at, zone), zone)
    hooks.episode_deleted.send(sender=Episode, patient=patient, episode_id=episode_id)
    hooks.diary_changed.send(sender=Episode, patient=patient)
    return True


@transaction.atomic
def give_back_no_numbness(*, patient: User, days: Sequence[dt.date]) -> list[dt.date]:
    """ "No numbness" noted again, after an Undo, for the days whose note the undone save took back
    (`SavedEpisode.taken_back`): each day that has no check-in by now and that no other episode makes a day with
    numbness. Returns the days given back."""
    given_back = []
    for day in sorted(set(days)):
        if numbness_logged(patient, day):
            continue
        # A day with a check-in by now keeps it, also one written by another request meanwhile.
        _, created = CheckIn.objects.get_or_create(patient=patient, date=day, defaults={"numbness_today": False})
        if created:
            given_back.append(day)
    if given_back:
        hooks.diary_changed.send(sender=CheckIn, patient=patient)
    return given_back


def days_lasted_into(
    episode: Episode, zone: dt.tzinfo, now: dt.datetime, *, longest: int | None = None
) -> tuple[dt.date, dt.date] | None:
    """The first and the last of the days after the one an episode started on that it lasted into, or is still
    going in (until `now`, or `longest` minutes after it started if sooner); None if it was over by the next
    midnight (one ending at midnight is) or has no known end. The rule by which `numbness_logged` refuses "no
    numbness" for a day, seen from the episode. Minutes are added on the UTC clock, not the wall clock: an episode
    of 24 hours from 00:30 on the day the clocks go back ends at 23:30 that day."""
    started = instant(episode.started_at)
    if episode.ongoing:
        end = now if longest is None else min(now, started + dt.timedelta(minutes=longest))
    elif episode.duration_minutes:
        end = started + dt.timedelta(minutes=episode.duration_minutes)
    else:
        return None
    first = local_date(started, zone) + dt.timedelta(days=1)
    last = local_date(end - dt.timedelta(microseconds=1), zone)
    return (first, last) if first <= last else None


def _forget_no_numbness_it_lasted_into(episode: Episode) -> list[dt.date]:
    """A "no numbness" noted for a day this episode lasted into is contradicted by it: the day becomes "not logged"
    (the calendar counts an episode on the day it started), as if the episode had been logged before the check-in,
    which `numbness_logged` would then have refused. The day it started on has the save's own check-in.

    A note is deleted, not refused: so an episode still going counts for the longest an episode lasts (24 hours,
    as ending it caps it), not to today. One left "still going" since March must not wipe every "no numbness" since;
    "no numbness" stays refused for those days while it is still going."""
    zone = profile_of(episode.patient).zone
    days = days_lasted_into(episode, zone, timezone.now(), longest=MAX_DURATION_MINUTES)
    if days is None:
        return []
    notes = episode.patient.checkins.filter(date__range=days, numbness_today=False)
    taken_back = sorted(notes.values_list("date", flat=True))
    if taken_back:
        notes.delete()
    return taken_back


def _unmark_if_no_episode_left(patient: User, day: dt.date, zone: dt.tzinfo) -> None:
    """The check-in that a save implied on `day` goes once no episode starts that day (a delete, or an edit that
    moved the day's last episode to another): the day is then "not logged" again, not "numbness noted"."""
    start, end = day_range(day, day, zone)
    if not patient.episodes.filter(started_at__gte=start, started_at__lt=end).exists():
        patient.checkins.filter(date=day, numbness_today=True).delete()


def end_episode(*, patient: User, episode_id: uuid.UUID, ended_at: dt.datetime) -> SavedEpisode:
    """An episode that was "still going" stopped at `ended_at`: its duration becomes the time since it started.

    Written through `save_episode`, so the locations, the check-in and the review follow as for any edit.
    A duration longer than the longest allowed is cut to it; one that would be negative is refused.
    """
    episode = Episode.objects.filter(patient=patient, id=episode_id).prefetch_related("locations").first()
    if episode is None:
        raise NotYours(NO_SUCH_EPISODE)
    if not episode.ongoing:
        raise ValidationError({"duration_minutes": "This episode already has a duration."})
    minutes = int((ended_at - episode.started_at).total_seconds() // 60)
    if minutes < 0:
        raise ValidationError({"duration_minutes": "It can't stop before it started."})
    return save_episode(
        patient=patient,
        episode_id=episode.id,
        started_at=episode.started_at,
        duration_minutes=min(minutes, MAX_DURATION_MINUTES),
        severity=episode.severity,
        locations=[(loc.side, loc.region) for loc in episode.locations.all()],
        sensations=episode.sensations,
        triggers=episode.triggers,
        symptoms=episode.symptoms,
        relieved_by=episode.relieved_by,
        notes=episode.notes,
        alarm_answered=episode.alarm_answered,
    )


def validate_checkin_date(day: dt.date, today: dt.date) -> None:
    if day > today:
        raise ValidationError({"date": "You can't check in for a day that hasn't come yet."})
    if day < EARLIEST_DAY:
        raise ValidationError({"date": f"The date can't be before {EARLIEST_DAY:%-d %B %Y}."})


@transaction.atomic
def save_checkin(
    *,
    patient: User,
    date: dt.date,
    numbness_today: bool,
    today: dt.date,
    announce: bool = True,
    keep_numbness: bool = False,
    earlier_episodes: bool = True,
) -> tuple[CheckIn, bool]:
    """Record whether the patient had numbness on a local date; one row per day, replaced on retry.

    `keep_numbness`: a "no numbness" answer never replaces numbness already noted that day (Today's button,
    whose tap may arrive late from the phone's queue); the API and History replace it on purpose.
    `earlier_episodes`: "no numbness" is refused too for a day that an episode started before covers (still going,
    or lasting into it); an import passes False, since a file exported before this rule may hold such a day.
    """
    validate_checkin_date(date, today)
    if not numbness_today:
        if why := numbness_logged(patient, date, earlier_episodes=earlier_episodes):
            raise ValidationError({"numbness_today": why})
        if keep_numbness and patient.checkins.filter(date=date, numbness_today=True).exists():
            raise ValidationError(
                {"numbness_today": f"You noted numbness on {date:%-d %b}; change that day in History if it was wrong."}
            )
    checkin, created = CheckIn.objects.update_or_create(
        patient=patient, date=date, defaults={"numbness_today": numbness_today}
    )
    if announce:
        hooks.diary_changed.send(sender=CheckIn, patient=patient)
    return checkin, created


def numbness_logged(patient: User, date: dt.date, *, earlier_episodes: bool = True) -> str:
    """Why the episodes in the diary make `date` a day with numbness, or "" if none does: one logged that day, or
    (`earlier_episodes`) one started before it that is still going (Today shows it, "Still going since …") or that
    lasted into it. "No numbness" is refused for such a day, and Today, the day's page and the shortcut's page
    don't offer it."""
    zone = profile_of(patient).zone
    start, end = day_range(date, date, zone)
    logged = patient.episodes.filter(started_at__gte=start, started_at__lt=end).count()
    if logged:
        return f"{day_words(date)} has {vocab.counted(logged, 'episode')} logged, so it was a day with numbness."
    if not earlier_episodes:
        return ""
    if patient.episodes.filter(ONGOING, started_at__lt=start).exists():
        return (
            f"An episode is still going, so {day_words(date)} can't be noted as a day without numbness. "
            "If it has stopped, tap “It stopped now” on Today, or edit it with its duration."
        )
    earlier = patient.episodes.filter(
        started_at__gte=instant(start) - dt.timedelta(minutes=MAX_DURATION_MINUTES),  # 24 h on the clock, not the wall
        started_at__lt=start,
        duration_minutes__isnull=False,
    ).only("started_at", "duration_minutes", "duration_unknown")
    now = timezone.now()
    if any((days := days_lasted_into(e, zone, now)) and days[0] <= date <= days[1] for e in earlier):
        # Not "a day with numbness": the calendar counts an episode on the day it started, and shows this one as not
        # logged; it only can't be a day without numbness.
        return (
            f"An episode that started the day before lasted into {day_words(date)}, so it can't be noted as a day "
            "without numbness."
        )
    return ""


@transaction.atomic
def delete_checkin(*, patient: User, date: dt.date) -> bool:
    """Forget whether the patient had numbness on a local date (the day becomes "not logged")."""
    deleted, _ = CheckIn.objects.filter(patient=patient, date=date).delete()
    if deleted:
        hooks.diary_changed.send(sender=CheckIn, patient=patient)
    return bool(deleted)


@transaction.atomic
def update_profile(*, patient: User, **values: Any) -> Profile:
    """Write the profile's fields as given (sign-up, an import, and `change_settings` after its own decisions)."""
    profile = profile_of(patient)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.full_clean(exclude=["user"])
    # Only these fields: a reminder sent meanwhile (`reminder_sent_on`, claimed by Beat) is not written back as unsent.
    profile.save(update_fields=list(values) or None)
    return profile


def change_settings(*, patient: User, **values: Any) -> Profile:
    """The patient's own change of their profile (Settings, the API). A move to another time zone brings that zone's
    usual emergency number, unless the number was one of the patient's own (not the old zone's usual one, or a new
    one given with the move); and it asks for a review, whose flags then say their days and times in the new zone.
    A reminder time chosen, or a move, after that time of day has passed comes first the next day."""
    profile = profile_of(patient)
    # As stored: a ModelForm of the profile (Settings) has already written the new values on this instance.
    old_zone, old_number, old_reminder = Profile.objects.values_list(
        "timezone", "emergency_number", "reminder_time"
    ).get(pk=profile.pk)
    moved = values.get("timezone", old_zone) != old_zone
    if moved and old_number == default_emergency_number(old_zone) == values.get("emergency_number", old_number):
        values["emergency_number"] = default_emergency_number(values["timezone"])
    reminder = values.get("reminder_time", old_reminder)
    if reminder is not None and (moved or reminder != old_reminder):
        # A reminder time that has passed today where the patient now is starts tomorrow: the next check would
        # otherwise send it at once, at an hour they did not choose. One still ahead comes today, unless one came today.
        now = Profile(timezone=values.get("timezone", old_zone)).clock.now()
        values["reminder_starts_on"] = now.date() + dt.timedelta(days=1) if now.time() >= reminder else None
    profile = update_profile(patient=patient, **values)
    if moved:
        hooks.diary_changed.send(sender=Profile, patient=patient)
    return profile


def end_sessions(patient: User) -> int:
    """Delete every stored session signed in as the patient (every device); returns how many."""
    user_id = str(patient.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500)
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


@transaction.atomic
def delete_account(*, patient: User) -> None:
    """Remove the patient and every row of theirs (cascade: diary, flags, links, API token) and end their sessions."""
    end_sessions(patient)
    patient.delete()


def update_email(*, patient: User, email: str) -> bool:
    """The account's email (password reset, reminders, warning emails); True when it changed."""
    if patient.email == email:
        return False
    patient.email = email
    patient.full_clean(exclude=["password", "username", "first_name", "last_name"])
    patient.save(update_fields=["email"])
    return True
