# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Supervisor reports: periods, schedule, ratios and comparisons, without the ORM.

- R-RP-2 / R-CP-4: weekly reports (exceptions, complaints) every Monday before
  12:00, about the week that just ended (Monday to Sunday, company time zone)
  (:func:`period_bounds`, :func:`due_run`).
- R-RP-3 / R-CP-4 / R-RC-9: monthly reports before the 3rd, about the month
  that just ended.
- R-CP-6: the station responsible for a complaint or a problem parcel is the
  station chased when there is one, else the delivering station, else the
  origin station (:func:`responsible_station`).
- Complaints per 10,000 parcels, the ratio the postal regulator publishes
  (:func:`per_10k`).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

#: Report periods.
PERIODS = ("week", "month")


@dataclass(frozen=True)
class Schedule:
    """When a period's report is sent, in the company's time zone.

    Weekly: on ``weekday`` (0 = Monday) at ``hour``, late after
    ``deadline_hour`` that day. Monthly: on day ``day`` at ``hour``, late from
    day ``deadline_day`` (0:00) on.
    """

    weekday: int = 0
    hour: int = 8
    deadline_hour: int = 12
    day: int = 1
    deadline_day: int = 3


@dataclass(frozen=True)
class DueRun:
    """A report to send now: the period it covers [start, end) and whether
    sending it now is past its deadline."""

    start: date
    end: date
    late: bool


def period_bounds(period: str, day: date) -> tuple[date, date]:
    """The week (Monday to Sunday) or calendar month holding ``day``, as
    [start, end)."""
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=7)
    if period == "month":
        start = day.replace(day=1)
        return start, _add_months(start, 1)
    raise ValueError(f"unknown period {period!r}")


def previous_period(period: str, start: date) -> tuple[date, date]:
    """The period just before the one starting on ``start``."""
    return period_bounds(period, start - timedelta(days=1))


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def utc_bounds(start: date, end: date, tz: str | None) -> tuple[datetime, datetime]:
    """Local midnights of ``start`` and ``end`` in ``tz`` as naive UTC
    datetimes (how Odoo stores datetimes)."""
    zone = ZoneInfo(tz or "UTC")
    utc = ZoneInfo("UTC")

    def conv(day):
        local = datetime.combine(day, time.min, tzinfo=zone)
        return local.astimezone(utc).replace(tzinfo=None)

    return conv(start), conv(end)


def local_now(now_utc: datetime, tz: str | None) -> datetime:
    """A naive UTC datetime as naive local time in ``tz``."""
    aware = now_utc.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(tz or "UTC"))
    return aware.replace(tzinfo=None)


def _send_moment(
    period: str, end: date, schedule: Schedule
) -> tuple[datetime, datetime]:
    """When the report of the period ending on ``end`` is sent, and its
    deadline (local times)."""
    if period == "week":
        # the first ``weekday`` on or after the end of the week
        send_day = end + timedelta(days=(schedule.weekday - end.weekday()) % 7)
        return (
            datetime.combine(send_day, time(schedule.hour)),
            datetime.combine(send_day, time(schedule.deadline_hour)),
        )
    send_day = end.replace(day=min(schedule.day, 28))
    deadline = end.replace(day=min(max(schedule.deadline_day, schedule.day), 28))
    if schedule.deadline_day <= schedule.day:
        deadline += timedelta(days=1)
    return datetime.combine(send_day, time(schedule.hour)), datetime.combine(
        deadline, time.min
    )


def due_run(period: str, now: datetime, schedule: Schedule) -> DueRun:
    """The period whose report is due at local time ``now``: the latest
    period whose send moment has passed. A run after its deadline (server
    down on Monday morning, say) still sends it, marked late."""
    start, end = period_bounds(period, now.date())
    while True:
        send, deadline = _send_moment(period, end, schedule)
        if send <= now:
            return DueRun(start, end, now >= deadline)
        start, end = previous_period(period, start)


def per_10k(complaints: int, parcels: int) -> Decimal | None:
    """Complaints per 10,000 parcels, rounded half up to 2 decimals; None
    without parcels (no ratio rather than a division by zero)."""
    if not parcels:
        return None
    value = Decimal(complaints) * 10000 / Decimal(parcels)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def compare(current: float | int | None, previous: float | int | None) -> dict:
    """A figure against the previous period: the difference and the change
    in percent (None when the previous period had nothing to compare with)."""
    current = current or 0
    previous = previous or 0
    delta = current - previous
    pct = None if not previous else round(delta * 100.0 / previous, 1)
    return {"current": current, "previous": previous, "delta": delta, "pct": pct}


def responsible_station(
    chased: str | None, origin: str | None, destination: str | None
) -> str | None:
    """R-CP-6: the station a complaint or problem parcel is counted against:
    the station chased, else the delivering station, else the origin."""
    for name in (chased, destination, origin):
        if name and name.strip():
            return name.strip()
    return None


#: Resolution-time classes of the complaint analysis: (code, upper bound in
#: hours, inclusive); beyond the last bound: "longer"; not closed: "open".
RESOLUTION_BUCKETS = (("day", 24), ("three_days", 72), ("week", 168))


def resolution_bucket(hours: float | None) -> str:
    """The resolution-time class of a ticket closed ``hours`` after it was
    opened (None: still open)."""
    if hours is None:
        return "open"
    for code, bound in RESOLUTION_BUCKETS:
        if hours <= bound:
            return code
    return "longer"
