# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer notifications (R-PT-1, R-RP-1, R-WB-5): milestones, the ledger's
once-per-change rule, quiet hours, the digest order."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_followup.core import notify
from logistics_followup.core.notify import Parcel
from logistics_followup.core.state import (
    derive_state,
)

NOW = datetime(2026, 12, 1, 4, 0)  # 12:00 in Shanghai


@pytest.mark.parametrize(
    ("state", "signed_by", "expected"),
    [
        ("out_for_delivery", None, "out_for_delivery"),
        ("delivered", "addressee", "delivered"),
        ("delivered", "proxy", "delivered"),
        ("delivered", "locker", "ready_for_pickup"),
        ("exception", None, "exception"),
        ("returning", None, "returning"),
        ("returned", None, "returned"),
        ("in_transit", None, None),
        ("at_station", None, None),
        ("created", None, None),
        (None, None, None),
    ],
)
def test_milestone(state, signed_by, expected):
    assert notify.milestone(state, signed_by) == expected


def test_first_seen_final_parcel_is_not_told():
    """A parcel already delivered when first seen tells nothing."""
    parcel = Parcel("delivered", last_event_time=NOW, seen=False)
    assert notify.due(parcel, NOW) == []
    assert notify.due(Parcel("delivered", last_event_time=NOW, seen=True), NOW) == [
        "delivered"
    ]
    # first seen on its way: told
    assert notify.due(Parcel("out_for_delivery", last_event_time=NOW), NOW) == [
        "out_for_delivery"
    ]


def test_old_events_are_not_told():
    old = Parcel("exception", last_event_time=NOW - timedelta(days=8), seen=True)
    assert notify.due(old, NOW) == []
    assert notify.due(old, NOW, max_age=timedelta(days=10)) == ["exception"]


def test_expected_date_revised_by_a_day_or_more():
    """R-WB-5: revised by >= 1 day is a change (its date the key); less is
    none; none known yet is no revision."""
    told = NOW + timedelta(days=1)
    later = Parcel("in_transit", last_event_time=NOW, expected=told + timedelta(days=1),
                   told_expected=told, seen=True)  # fmt: skip
    assert notify.due(later, NOW) == [f"expected_revised:{later.expected.date()}"]
    hours = Parcel("in_transit", last_event_time=NOW,
                   expected=told + timedelta(hours=5), told_expected=told,
                   seen=True)  # fmt: skip
    assert notify.due(hours, NOW) == []
    unknown = Parcel("in_transit", last_event_time=NOW, expected=told, seen=True)
    assert notify.due(unknown, NOW) == []


def test_expected_date_missed():
    late = Parcel("in_transit", last_event_time=NOW - timedelta(days=9),
                  expected=NOW - timedelta(hours=2), seen=True)  # fmt: skip
    assert notify.due(late, NOW) == [f"expected_missed:{late.expected.date()}"]
    delivered = Parcel("delivered", last_event_time=NOW - timedelta(days=9),
                       expected=NOW - timedelta(hours=2), seen=True)  # fmt: skip
    assert notify.due(delivered, NOW) == []


@pytest.mark.parametrize(
    ("local", "release"),
    [
        (datetime(2026, 12, 1, 12, 0), datetime(2026, 12, 1, 12, 0)),
        (datetime(2026, 12, 1, 20, 59), datetime(2026, 12, 1, 20, 59)),
        (datetime(2026, 12, 1, 21, 0), datetime(2026, 12, 2, 8, 0)),
        (datetime(2026, 12, 1, 23, 30), datetime(2026, 12, 2, 8, 0)),
        (datetime(2026, 12, 2, 3, 0), datetime(2026, 12, 2, 8, 0)),
        (datetime(2026, 12, 2, 8, 0), datetime(2026, 12, 2, 8, 0)),
    ],
)
def test_quiet_hours(local, release):
    """No SMS between 21:00 and 08:00 local time: held until 08:00."""
    assert notify.release_time(local) == release


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)))
def test_release_never_in_quiet_hours_property(local):
    release = notify.release_time(local)
    assert release >= local
    assert not notify.in_quiet_hours(release)
    assert release - local < timedelta(hours=11, minutes=1)


def test_digest_lists_trouble_first():
    """R-RP-1: parcels in trouble first, then by number."""
    rows = [("delivered", "B"), ("exception", "Z"), ("delivered", "A"),
            ("returning", "C")]  # fmt: skip
    assert [r[1] for r in notify.digest_order(rows)] == ["Z", "C", "A", "B"]
    assert notify.digest_day(datetime(2026, 12, 1, 8, 0)).isoformat() == "2026-11-30"


# -- the ledger over random event streams -------------------------------------

STATES = ["picked_up", "in_transit", "at_station", "out_for_delivery",
          "delivered", "exception", "returning", "returned"]  # fmt: skip


@st.composite
def event_streams(draw):
    """Events of one parcel, delivered in batches of any size and order, some
    batches replayed (another feed, a resend)."""
    count = draw(st.integers(1, 8))
    events = [
        {
            "time": NOW - timedelta(hours=count - i),
            "state": draw(st.sampled_from(STATES)),
            "signed_by": None,
            "dedup_key": f"{i:040x}",
        }
        for i in range(count)
    ]
    order = draw(st.permutations(events))
    cuts = sorted(draw(st.sets(st.integers(1, count), max_size=count)))
    batches = [order[a:b] for a, b in zip([0, *cuts], [*cuts, count], strict=True)]
    batches = [b for b in batches if b]
    replays = draw(st.lists(st.sampled_from(batches), max_size=3))
    return events, batches + replays


def run_ledger(batches):
    """Dispatch after each batch that changed the parcel's state, as the
    ingestion flags it (its recompute statement: the state changed to a
    milestone) and the triggered job runs; the ledger a set of keys.
    Returns (ledger, keys told in order)."""
    known = []
    ledger = set()
    told = []
    seen = False
    state = None
    for batch in batches:
        for event in batch:
            if event not in known:
                known.append(event)
        derived = derive_state(known)
        if derived.state == state:
            continue
        # seen: scanned before this batch (the recompute statement's rule)
        seen = seen or state not in (None, "created")
        state = derived.state
        parcel = Parcel(derived.state, derived.signed_by, derived.last_event_time,
                        seen=seen)  # fmt: skip
        for key in notify.due(parcel, NOW):
            if key not in ledger:
                ledger.add(key)
                told.append(key)
    return ledger, told


@given(event_streams())
def test_told_once_per_change_whatever_the_feeds(stream):
    """Property: every milestone is told at most once, only milestones the
    parcel really was in are told, the last state's milestone is told
    (unless the parcel was final when first seen), and replaying any batch
    afterwards tells nothing more."""
    events, batches = stream
    ledger, told = run_ledger(batches)
    assert len(told) == len(set(told))
    reached = {notify.milestone(e["state"]) for e in events} - {None}
    assert set(told) <= reached
    final = derive_state(events)
    first = derive_state(batches[0])
    last = notify.milestone(final.state)
    if last and first.state not in notify.FINAL_STATES:
        assert last in ledger
    again, more = run_ledger([*batches, *batches])
    assert again == ledger
    assert more == told
