# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Revisits (回访): who calls which customer today, and what a failed call
means. Pure Python, no Odoo.

- :func:`daily_target`: how many revisits an agent is given so that, at the
  expected unreachable rate, he completes his quota of successful ones
  (R-RV-4: at least 4 a day).
- :func:`plan_day`: the day's plan. The oldest revisits first (carry-over:
  what is left undone stays open and is older than anything new), at most
  ``cap`` per available agent; a customer's own agent first (R-RP-5); the
  others spread so that loads stay within one of each other; every available
  agent then given at least the target when enough are due; agents who are
  away get none.
- :func:`next_attempt`: not reached -> the next working day, at most
  :data:`MAX_ATTEMPTS` attempts, then closed as unreachable (R-RV-5).
- :func:`owner_for_new_customers`: the agents of new customers, the one with
  the fewest customers for his capacity first (R-RP-5).
"""

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

#: Attempts of a revisit before it is closed as unreachable.
MAX_ATTEMPTS = 3
#: The expected unreachable rate is capped so that a bad month does not
#: multiply the load without bound.
MAX_UNREACHABLE_RATE = 0.5
#: Saturday and Sunday.
WEEKEND = (5, 6)


def daily_target(quota: int, unreachable_rate: float = 0.0) -> int:
    """Revisits to give an agent so that ``quota`` of them succeed when
    ``unreachable_rate`` (0..1, capped at :data:`MAX_UNREACHABLE_RATE`) of
    the calls fail."""
    if quota <= 0:
        return 0
    rate = min(max(unreachable_rate or 0.0, 0.0), MAX_UNREACHABLE_RATE)
    return math.ceil(quota / (1.0 - rate) - 1e-9)


def unreachable_rate(attempts: int, failed: int) -> float:
    """Share of failed calls among ``attempts`` (0 without any)."""
    return failed / attempts if attempts > 0 else 0.0


@dataclass(frozen=True)
class Due:
    """An open revisit to plan: ``key`` (the revisit or its customer),
    ``owner`` the customer's agent (or None), ``due`` its due date,
    ``priority`` (higher first on the same day)."""

    key: Hashable
    owner: Hashable | None = None
    due: date | None = None
    priority: int = 0


def order_key(item: Due):
    """Oldest first, then higher priority, then key (the order the SQL
    selection of the planner uses too: ``due_date, priority DESC, id``)."""
    return (item.due or date.min, -item.priority, item.key)


@dataclass(frozen=True)
class Plan:
    """``assigned``: ``{key: agent}`` for today; ``carried``: the keys left
    for a later day, oldest first."""

    assigned: dict
    carried: tuple


def plan_day(
    items: Iterable[Due],
    agents: Sequence[Hashable],
    target: int,
    cap: int,
) -> Plan:
    """Today's plan of the open revisits ``items`` among the available
    ``agents`` (agents who are away are simply not given).

    1. At most ``cap`` per agent are planned, the oldest first; the rest is
       carried over.
    2. A revisit goes to its customer's agent when available (at most ``cap``
       of his own).
    3. The others go one by one, oldest first, to the least loaded agent
       (then the smallest key): loads stay within one, except an agent whose
       own customers need more.
    4. While an agent has fewer than ``min(target, planned // agents)`` and
       another has more, the most loaded gives his newest revisit (not his
       own customer's first): everybody gets the target when enough are due.
    """
    pool = sorted(set(agents))
    ordered = sorted(items, key=order_key)
    if not pool or cap <= 0:
        return Plan(assigned={}, carried=tuple(i.key for i in ordered))
    cap = max(cap, target)
    capacity = len(pool) * cap
    today, carried = ordered[:capacity], ordered[capacity:]
    members = set(pool)
    lists = {agent: [] for agent in pool}
    others = []
    for item in today:
        owner = item.owner
        if owner in members and len(lists[owner]) < cap:
            lists[owner].append(item)
        else:
            others.append(item)
    for item in others:
        agent = min(pool, key=lambda a: (len(lists[a]), a))
        lists[agent].append(item)
    floor = min(target, len(today) // len(pool))
    while True:
        light = min(pool, key=lambda a: (len(lists[a]), a))
        heavy = max(pool, key=lambda a: (len(lists[a]), a))
        if len(lists[light]) >= floor or len(lists[heavy]) <= floor:
            break
        given = lists[heavy]
        foreign = [i for i in given if i.owner != heavy]
        item = max(foreign or given, key=order_key)
        given.remove(item)
        lists[light].append(item)
    assigned = {item.key: agent for agent in pool for item in lists[agent]}
    return Plan(assigned=assigned, carried=tuple(i.key for i in carried))


def next_working_day(day: date, weekend: Iterable[int] = WEEKEND) -> date:
    """The first day after ``day`` that is not a weekend day."""
    weekend = set(weekend)
    nxt = day + timedelta(days=1)
    while nxt.weekday() in weekend and len(weekend) < 7:
        nxt += timedelta(days=1)
    return nxt


def next_attempt(attempts: int, day: date, weekend: Iterable[int] = WEEKEND):
    """After a call that did not reach the customer (``attempts`` counting
    it): the date of the next attempt, or None when the revisit is to be
    closed as unreachable."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return next_working_day(day, weekend)


@dataclass(frozen=True)
class Owner:
    """An agent who can own customers: ``customers`` he owns, ``capacity``
    his weight (2 takes twice as many as 1)."""

    key: Hashable
    customers: int = 0
    capacity: float = 1.0
    available: bool = True


def owner_for_new_customers(owners: Iterable[Owner], count: int) -> list:
    """The agents of ``count`` new customers, in order: each the available
    agent with the fewest customers for his capacity (then the smallest key),
    his count going up for the next one; none available: ``[None] * count``."""
    pool = [o for o in owners if o.available and o.capacity > 0]
    if not pool:
        return [None] * count
    loads = {o.key: o.customers for o in pool}
    weight = {o.key: o.capacity for o in pool}
    picked = []
    for _i in range(count):
        key = min(loads, key=lambda k: (loads[k] / weight[k], k))
        picked.append(key)
        loads[key] += 1
    return picked


def rebalance_owners(customers: Sequence[tuple], owners: Iterable[Owner]) -> dict:
    """A team's customers spread again (the supervisor's rebalance):
    ``customers`` ``(customer, agent or None)``; returns ``{customer: agent}``
    for the customers that change agent. Each agent keeps his customers up to
    his share (weighted by capacity, rounded down); the others go one by one
    to the agent with the fewest for his capacity, their own agent first
    among equals (then the smallest key): as few moves as balance allows, and
    a rebalanced team stays as it is."""
    pool = [o for o in owners if o.available and o.capacity > 0]
    if not pool:
        return {}
    total_weight = sum(o.capacity for o in pool)
    share = {
        o.key: math.floor(len(customers) * o.capacity / total_weight) for o in pool
    }
    weight = {o.key: o.capacity for o in pool}
    loads = {o.key: 0 for o in pool}
    moving = []
    for customer, agent in sorted(customers, key=lambda c: c[0]):
        if agent in loads and loads[agent] < share[agent]:
            loads[agent] += 1
        else:
            moving.append((customer, agent))
    changes = {}
    for customer, current in moving:
        agent = min(loads, key=lambda k: (loads[k] / weight[k], k != current, k))
        loads[agent] += 1
        if agent != current:
            changes[customer] = agent
    return changes
