# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Proactive customer notifications (R-PT-1, R-RP-1, R-WB-5): the rules.

A customer is told once per *change* of his parcel, never per scan, whatever
the feed the events came through, their order, or how often they arrive:

- :func:`milestone` maps a waybill's state to the milestone it notifies (out
  for delivery, delivered, ready for pickup in a locker or station, exception,
  returning, returned);
- :func:`ledger_key` is the key of the notification ledger: one notification
  per waybill, milestone, key and partner, so a replay adds nothing and a
  state that goes back and forth notifies the change, never the same
  milestone twice; the expected date's milestones carry the date as key (a
  revision to another day is another change);
- :func:`due` decides, for one waybill, which milestones are due now: none for
  a parcel that was already delivered when first seen, none for events older
  than the configured age;
- :func:`expected_revised` (R-WB-5): the expected delivery moved by a day or
  more; :func:`expected_missed`: the day passed, the parcel still travelling;
- :func:`in_quiet_hours` / :func:`release_time`: no SMS between 21:00 and
  08:00 local time, held until the morning;
- :func:`digest_order`: the daily arrival feedback lists the parcels in
  trouble first (R-RP-1).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .transit import FINAL_STATES

#: Milestones, in the order settings list them.
MILESTONES = (
    "out_for_delivery",
    "delivered",
    "ready_for_pickup",
    "exception",
    "returning",
    "returned",
    "expected_revised",
    "expected_missed",
)

#: Milestones decided by the state alone.
STATE_MILESTONES = {
    "out_for_delivery": "out_for_delivery",
    "delivered": "delivered",
    "exception": "exception",
    "returning": "returning",
    "returned": "returned",
}


#: Who is told of a milestone.
AUDIENCES = ("none", "sender", "receiver", "both")

DEFAULT_MAX_AGE_DAYS = 7
QUIET_START = time(21, 0)
QUIET_END = time(8, 0)
#: A revision of the expected date by less than this is no change (R-WB-5).
REVISION_THRESHOLD = timedelta(days=1)


def milestone(state: str | None, signed_by: str | None = None) -> str | None:
    """The milestone a waybill's state notifies, if any: a delivery into a
    locker or pickup station is "ready for pickup"."""
    if state == "delivered" and signed_by == "locker":
        return "ready_for_pickup"
    return STATE_MILESTONES.get(state or "")


def ledger_key(name: str, expected: datetime | None = None) -> str:
    """The ledger key of a milestone: the expected date for its milestones
    (each revision to another day is a change of its own), else the
    milestone alone (told once per waybill)."""
    if name in ("expected_revised", "expected_missed") and expected:
        return f"{name}:{expected.date().isoformat()}"
    return name


def audience_sides(audience: str) -> tuple:
    """The sides of the parcel an audience setting names."""
    return {
        "sender": ("sender",),
        "receiver": ("receiver",),
        "both": ("sender", "receiver"),
    }.get(audience, ())


@dataclass(frozen=True)
class Parcel:
    """What the dispatch knows of one waybill."""

    state: str | None
    signed_by: str | None = None
    last_event_time: datetime | None = None
    expected: datetime | None = None
    #: the expected date customers were last told of (or first seen)
    told_expected: datetime | None = None
    #: the parcel had been scanned before the events that flagged it (a
    #: parcel first seen already delivered tells nothing)
    seen: bool = False


def expected_revised(told: datetime | None, expected: datetime | None) -> bool:
    """R-WB-5: the expected delivery moved by a day or more from the one the
    customer knows (none known yet: no revision)."""
    return bool(told and expected) and abs(expected - told) >= REVISION_THRESHOLD


def expected_missed(parcel: Parcel, now: datetime) -> bool:
    """The expected delivery passed and the parcel still travels."""
    return (
        parcel.expected is not None
        and parcel.state not in FINAL_STATES
        and parcel.expected < now
    )


def due(
    parcel: Parcel, now: datetime, max_age: timedelta = timedelta(days=7)
) -> list[str]:
    """The ledger keys due for one waybill now (before the ledger filters
    those already sent). Nothing for a parcel already delivered (or
    otherwise final) when first seen, nothing for events older than
    ``max_age``."""
    if not parcel.seen and parcel.state in FINAL_STATES:
        return []
    keys = []
    fresh = parcel.last_event_time is not None and parcel.last_event_time >= (
        now - max_age
    )
    name = milestone(parcel.state, parcel.signed_by)
    if name and fresh:
        keys.append(ledger_key(name))
    if fresh and expected_revised(parcel.told_expected, parcel.expected):
        keys.append(ledger_key("expected_revised", parcel.expected))
    if expected_missed(parcel, now):
        keys.append(ledger_key("expected_missed", parcel.expected))
    return keys


def key_milestone(key: str) -> str:
    """The milestone of a ledger key."""
    return key.split(":", 1)[0]


def in_quiet_hours(local: datetime) -> bool:
    """No SMS between 21:00 and 08:00 local time."""
    return local.time() >= QUIET_START or local.time() < QUIET_END


def release_time(local: datetime) -> datetime:
    """When an SMS written at ``local`` (naive local time) may go: now, or
    08:00 of the morning after the quiet hours."""
    if not in_quiet_hours(local):
        return local
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(1)
    return datetime.combine(day, QUIET_END)


#: The order of the daily digest (R-RP-1): trouble first.
DIGEST_RANK = {
    "exception": 0,
    "lost": 0,
    "returning": 1,
    "returned": 1,
    "at_station": 2,
    "out_for_delivery": 2,
    "delivered": 3,
}


def digest_order(rows: Iterable[tuple]) -> list[tuple]:
    """Rows ``(state, number, ...)`` of a digest, parcels in trouble first,
    then by number."""
    return sorted(rows, key=lambda r: (DIGEST_RANK.get(r[0], 2), r[1]))


def digest_day(now_local: datetime) -> date:
    """The day a digest written at ``now_local`` reports on: the day before."""
    return now_local.date() - timedelta(days=1)
