# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Revisits: daily target, the day's plan (R-RV-4, R-RP-5), re-planning
after a call that did not reach the customer (R-RV-5), customer ownership."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from logistics_followup.core import revisit
from logistics_followup.core.revisit import Due, Owner

D0 = date(2026, 12, 1)  # a Tuesday


def test_daily_target_counts_the_unreachable_rate():
    """R-RV-4: 4 successful a day; with a quarter unreachable, 6 planned."""
    assert revisit.daily_target(4) == 4
    assert revisit.daily_target(4, 0.25) == 6
    assert revisit.daily_target(4, 0.2) == 5
    assert revisit.daily_target(4, 0.99) == 8  # capped at 50 %
    assert revisit.daily_target(0, 0.5) == 0
    assert revisit.unreachable_rate(0, 0) == 0.0
    assert revisit.unreachable_rate(10, 3) == 0.3


def test_next_attempt_skips_weekend_and_stops_after_three():
    """R-RV-5: not reached -> next working day; the third failure closes."""
    friday = date(2026, 12, 4)
    assert revisit.next_attempt(1, friday) == date(2026, 12, 7)
    assert revisit.next_attempt(2, D0) == date(2026, 12, 2)
    assert revisit.next_attempt(3, D0) is None


def test_plan_small_example():
    """Own agent kept, the rest spread, the quota given to everybody."""
    items = [Due(i, owner="a" if i < 6 else None, due=D0) for i in range(10)]
    plan = revisit.plan_day(items, ["a", "b"], target=4, cap=8)
    loads = {a: sum(1 for v in plan.assigned.values() if v == a) for a in "ab"}
    assert loads == {"a": 6, "b": 4}
    assert all(plan.assigned[i] == "a" for i in range(6))
    assert plan.carried == ()


def test_plan_without_agents_carries_everything():
    items = [Due(i, due=D0 + timedelta(days=-i)) for i in range(3)]
    plan = revisit.plan_day(items, [], target=4, cap=8)
    assert plan.assigned == {}
    assert plan.carried == (2, 1, 0)


agents_st = st.lists(st.sampled_from("abcdefgh"), min_size=0, max_size=8, unique=True)


@st.composite
def scenarios(draw):
    staff = draw(st.lists(st.sampled_from("abcdefgh"), min_size=1, unique=True))
    away = draw(st.sets(st.sampled_from(staff)))
    available = [a for a in staff if a not in away]
    n = draw(st.integers(0, 80))
    items = [
        Due(
            key=i,
            owner=draw(st.sampled_from([None, *staff])),
            due=D0 - timedelta(days=draw(st.integers(0, 30))),
            priority=draw(st.integers(0, 3)),
        )
        for i in range(n)
    ]
    target = draw(st.integers(1, 6))
    cap = draw(st.integers(1, 12))
    return items, available, away, target, cap


def _loads(plan, agents):
    loads = dict.fromkeys(agents, 0)
    for agent in plan.assigned.values():
        loads[agent] += 1
    return loads


@given(scenarios())
def test_plan_properties(scenario):
    """R-RV-4 / R-RP-5 as properties: every item planned or carried once;
    away agents get none; the quota (target) met when enough are due;
    balance within one except an agent's own customers; own agent kept
    while he is not over the quota; carried items never older than planned
    ones (carry-over oldest first); the same input gives the same plan."""
    items, available, away, target, cap = scenario
    plan = revisit.plan_day(items, available, target, cap)
    keys = [i.key for i in items]
    assert sorted([*plan.assigned, *plan.carried]) == sorted(keys)
    assert not set(plan.assigned.values()) & set(away)
    if not available:
        assert not plan.assigned
        return
    loads = _loads(plan, available)
    eff_cap = max(cap, target)
    assert max(loads.values()) <= eff_cap
    if len(items) >= len(available) * target:
        assert min(loads.values()) >= target
    by_key = {i.key: i for i in items}
    low = min(loads.values())
    for agent, load in loads.items():
        if load > low + 1:
            mine = [k for k, a in plan.assigned.items() if a == agent]
            assert all(by_key[k].owner == agent for k in mine), (agent, loads)
    floor = min(target, len(plan.assigned) // len(available))
    for agent in available:
        own = [k for k in plan.assigned if by_key[k].owner == agent]
        if len(own) <= floor:
            assert all(plan.assigned[k] == agent for k in own)
    if plan.carried and plan.assigned:
        newest_planned = max(revisit.order_key(by_key[k]) for k in plan.assigned)
        oldest_carried = min(revisit.order_key(by_key[k]) for k in plan.carried)
        assert newest_planned < oldest_carried
    assert revisit.plan_day(list(reversed(items)), available, target, cap) == plan


@given(
    st.lists(st.tuples(st.integers(0, 50), st.floats(0.5, 3)), min_size=1, max_size=6),
    st.integers(0, 60),
)
def test_owner_for_new_customers_weighted(owners, count):
    """R-RP-5: new customers go to the agent with the fewest customers for
    his capacity; nobody ends more than one customer (weighted) above."""
    pool = [Owner(i, c, w) for i, (c, w) in enumerate(owners)]
    picked = revisit.owner_for_new_customers(pool, count)
    assert len(picked) == count
    final = {o.key: o.customers for o in pool}
    for key in picked:
        final[key] += 1
    for o in pool:
        if final[o.key] > o.customers:  # he took some: he was the lightest
            last = final[o.key] - 1
            for other in pool:
                assert last / o.capacity <= final[other.key] / other.capacity + 1e-9


def test_rebalance_fills_an_empty_member_with_one_move():
    """Found by hypothesis: 2 + 2 customers, a third member without any:
    one customer moves to him, nobody else changes."""
    changes = revisit.rebalance_owners(
        list(enumerate(["a", "a", "b", "b"])), [Owner(a) for a in "abc"]
    )
    assert changes == {1: "c"}


def test_owner_none_available():
    assert revisit.owner_for_new_customers([Owner("a", available=False)], 2) == [
        None,
        None,
    ]


@given(
    st.lists(st.sampled_from([None, "a", "b", "c", "z"]), max_size=40),
    st.lists(st.sampled_from("abc"), min_size=1, unique=True),
)
def test_rebalance_within_one(current, agents):
    """A supervisor's rebalance: customers of agents gone (z) or over their
    share move; afterwards loads within one among equal capacities."""
    customers = list(enumerate(current))
    changes = revisit.rebalance_owners(customers, [Owner(a) for a in agents])
    final = {c: changes.get(c, a) for c, a in customers}
    assert set(final.values()) <= set(agents) or not customers
    loads = [sum(1 for a in final.values() if a == x) for x in agents]
    assert max(loads) - min(loads) <= 1
    again = revisit.rebalance_owners(list(final.items()), [Owner(a) for a in agents])
    assert again == {}
