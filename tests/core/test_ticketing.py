# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Ticket requests: slots, de-duplication, balanced assignment, event rules."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_followup.core import ticketing
from logistics_followup.core.ticketing import Member

T0 = datetime(2026, 12, 1, 8, 0)


def test_slot_by_type_then_kind():
    """One open ticket per waybill and kind for chases and complaints, per
    problem type for the others; other requests are not de-duplicated."""
    assert ticketing.slot(7, "problem") == "type:7"
    assert ticketing.slot(7, "compensation") == "type:7"
    assert ticketing.slot(7, "delivery_chase") == "kind:delivery_chase"
    assert ticketing.slot(None, "inquiry") is None
    assert ticketing.slot(None, "delivery_chase") == "kind:delivery_chase"
    assert ticketing.slot(None, "complaint") == "kind:complaint"
    assert ticketing.slot(None, "inquiry") is None
    assert ticketing.slot(None, None) is None


def test_plan_appends_to_open_ticket_and_to_new_one():
    slot = ("type", 3)
    plan = ticketing.plan_requests(
        [(1, slot), (2, slot), (1, slot), (3, None), (3, None)],
        {(2, slot): "T2"},
    )
    assert plan.create == (0, 3, 4)
    assert plan.append == {1: "T2", 2: ("new", 0)}


# any interleaving of requests of a few waybills and slots
REQUESTS = st.lists(
    st.tuples(
        st.integers(1, 3),
        st.sampled_from([("type", 1), ("type", 2), ("kind", "complaint")]),
    ),
    max_size=30,
)


@given(REQUESTS, st.sets(st.integers(0, 8)))
def test_plan_one_open_ticket_per_slot_holding_every_request(requests, opened):
    """Property: whatever the order, each (waybill, slot) ends with exactly one
    open ticket, and every request lands on it (created or appended)."""
    keys = sorted({(w, s) for w in (1, 2, 3) for s in (("type", 1), ("type", 2))})
    open_tickets = {k: f"T{i}" for i, k in enumerate(keys) if i in opened}
    plan = ticketing.plan_requests(requests, open_tickets)
    tickets = dict(open_tickets)
    for index in plan.create:
        key = requests[index]
        assert key not in tickets  # never a second open ticket
        tickets[key] = ("new", index)
    held = {}
    for index, key in enumerate(requests):
        target = ("new", index) if index in plan.create else plan.append[index]
        assert tickets[key] == target
        held.setdefault(target, []).append(index)
    assert sum(map(len, held.values())) == len(requests)


def test_assign_fewest_open_then_longest_waiting():
    members = [
        Member("a", open_count=2, last_assigned=T0),
        Member("b", open_count=1, last_assigned=T0 + timedelta(hours=1)),
        Member("c", open_count=1, last_assigned=T0),
        Member("d", open_count=0, available=False),
    ]
    # c and b have one each; c has waited longer; then b; then all three tie
    assert ticketing.assign_balanced(members, 4) == ["c", "b", "a", "c"]


def test_assign_never_assigned_first_and_nobody_available():
    members = [Member(1, last_assigned=T0), Member(2)]
    assert ticketing.assign_balanced(members, 1) == [2]
    assert ticketing.assign_balanced([Member(1, available=False)], 2) == [None, None]
    assert ticketing.assign_balanced([], 1) == [None]


@given(
    st.integers(1, 8),
    st.integers(0, 60),
    st.lists(st.integers(0, 5), min_size=8, max_size=8),
)
def test_assign_balance_property(k, n, waits):
    """Property: N tickets over k equally loaded available members leave
    max - min open tickets <= 1, whatever their last assignments."""
    members = [
        Member(i, open_count=3, last_assigned=T0 - timedelta(hours=waits[i]))
        for i in range(k)
    ]
    picked = ticketing.assign_balanced(members, n)
    loads = [3 + picked.count(i) for i in range(k)]
    assert max(loads) - min(loads) <= 1
    assert len(picked) == n


@given(st.lists(st.integers(0, 10), min_size=1, max_size=6), st.integers(0, 40))
def test_assign_evens_out_unequal_loads(loads, n):
    """Property: each pick goes to a least-loaded member."""
    members = [Member(i, open_count=c) for i, c in enumerate(loads)]
    current = list(loads)
    for key in ticketing.assign_balanced(members, n):
        assert current[key] == min(current)
        current[key] += 1


@pytest.mark.parametrize(
    ("state", "signed_by", "chase", "expected"),
    [
        ("exception", None, False, "exception_scan"),
        ("returning", None, False, "returned"),
        ("returned", None, False, "returned"),
        ("lost", None, False, "lost"),
        ("delivered", "proxy", True, "signed_other"),
        ("delivered", "locker", True, "signed_other"),
        ("delivered", "proxy", False, None),
        ("delivered", "addressee", True, None),
        ("in_transit", None, True, None),
        (None, None, False, None),
    ],
)
def test_event_detection(state, signed_by, chase, expected):
    assert ticketing.event_detection(state, signed_by, chase) == expected
