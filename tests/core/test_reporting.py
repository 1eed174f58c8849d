# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-RP-2/3, R-CP-4: report periods and schedule; R-CP-6 station; per 10,000."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_followup.core import reporting
from logistics_followup.core.reporting import Schedule

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 1))
MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 1))


@given(DAYS, st.sampled_from(reporting.PERIODS))
def test_period_holds_its_day_and_follows_the_previous_one(day, period):
    start, end = reporting.period_bounds(period, day)
    assert start <= day < end
    prev_start, prev_end = reporting.previous_period(period, start)
    assert prev_end == start and prev_start < start
    if period == "week":
        assert start.weekday() == 0 and (end - start).days == 7
    else:
        assert start.day == 1 and end.day == 1 and 28 <= (end - start).days <= 31


def test_utc_bounds_in_shanghai():
    """Local midnight in Shanghai is 16:00 UTC the day before."""
    start, end = reporting.utc_bounds(
        date(2026, 11, 23), date(2026, 11, 30), "Asia/Shanghai"
    )
    assert start == datetime(2026, 11, 22, 16, 0)
    assert end == datetime(2026, 11, 29, 16, 0)
    assert reporting.local_now(
        datetime(2026, 11, 30, 3, 0), "Asia/Shanghai"
    ) == datetime(2026, 11, 30, 11, 0)


def test_weekly_due_on_monday_morning():
    """R-CP-4: on Monday 11:00 the week that just ended is due, on time."""
    run = reporting.due_run("week", datetime(2026, 11, 30, 11, 0), Schedule())
    assert (run.start, run.end, run.late) == (
        date(2026, 11, 23),
        date(2026, 11, 30),
        False,
    )
    # caught up on Tuesday (server down on Monday): the same week, late
    run = reporting.due_run("week", datetime(2026, 12, 1, 9, 0), Schedule())
    assert (run.start, run.late) == (date(2026, 11, 23), True)
    # Monday 12:00 is past the deadline
    assert reporting.due_run("week", datetime(2026, 11, 30, 12, 0), Schedule()).late
    # before the send hour, last week is not due yet: the one before is
    run = reporting.due_run("week", datetime(2026, 11, 30, 7, 0), Schedule())
    assert run.start == date(2026, 11, 16) and run.late


def test_monthly_due_before_the_third():
    """R-CP-4 / R-RP-3: on the 2nd the month that just ended is due, on time;
    on the 3rd it is late."""
    run = reporting.due_run("month", datetime(2026, 12, 2, 9, 0), Schedule())
    assert (run.start, run.end, run.late) == (
        date(2026, 11, 1),
        date(2026, 12, 1),
        False,
    )
    assert reporting.due_run("month", datetime(2026, 12, 3, 0, 0), Schedule()).late
    run = reporting.due_run("month", datetime(2027, 1, 1, 8, 0), Schedule())
    assert (run.start, run.late) == (date(2026, 12, 1), False)


@given(
    MOMENTS, st.sampled_from(reporting.PERIODS), st.integers(0, 6), st.integers(0, 23)
)
def test_due_run_is_the_latest_period_sent_by_now(now, period, weekday, hour):
    schedule = Schedule(weekday=weekday, hour=hour, deadline_hour=max(hour, 12))
    run = reporting.due_run(period, now, schedule)
    assert run.end <= now.date() + timedelta(days=1)
    # the next period is not due yet
    nxt = reporting.period_bounds(period, run.end)
    later = reporting.due_run(period, now, schedule)
    assert later == run
    assert nxt[0] == run.end


@given(st.integers(0, 10**6), st.integers(1, 10**8))
def test_per_10k(complaints, parcels):
    value = reporting.per_10k(complaints, parcels)
    exact = Decimal(complaints) * 10000 / Decimal(parcels)
    assert abs(value - exact) <= Decimal("0.005")


def test_per_10k_without_parcels_and_by_hand():
    assert reporting.per_10k(3, 0) is None
    assert reporting.per_10k(3, 20000) == Decimal("1.50")
    assert reporting.per_10k(1, 30000) == Decimal("0.33")


def test_compare():
    assert reporting.compare(12, 8) == {
        "current": 12,
        "previous": 8,
        "delta": 4,
        "pct": 50.0,
    }
    assert reporting.compare(5, 0)["pct"] is None
    assert reporting.compare(None, None)["delta"] == 0


@pytest.mark.parametrize(
    ("chased", "origin", "destination", "expected"),
    [
        ("深圳南山网点", "上海", "北京朝阳", "深圳南山网点"),
        (None, "上海", "北京朝阳", "北京朝阳"),
        ("  ", "上海", "", "上海"),
        (None, None, None, None),
    ],
)
def test_responsible_station(chased, origin, destination, expected):
    """R-CP-6: station chased, else delivering, else origin."""
    assert reporting.responsible_station(chased, origin, destination) == expected


@given(st.one_of(st.none(), st.floats(min_value=0, max_value=10**5)))
def test_resolution_bucket_is_monotonic(hours):
    order = ["day", "three_days", "week", "longer"]
    bucket = reporting.resolution_bucket(hours)
    if hours is None:
        assert bucket == "open"
        return
    assert bucket in order
    assert order.index(reporting.resolution_bucket(hours + 1)) >= order.index(bucket)


def test_resolution_bucket_bounds():
    assert reporting.resolution_bucket(24) == "day"
    assert reporting.resolution_bucket(24.01) == "three_days"
    assert reporting.resolution_bucket(168) == "week"
    assert reporting.resolution_bucket(169) == "longer"
