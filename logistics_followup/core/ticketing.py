# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Ticket requests: which ticket takes a request, and who gets a new one.

Every ticket the addon opens (the ticket form, a waybill's "New Ticket", a
customer's chase or complaint from the portal, the problem detection, a
revisit's follow-up) is a *request* on a waybill. These rules decide, without
the ORM:

- the *slot* of a request (:func:`slot`): at most one open ticket per waybill
  and kind for chases and complaints, per waybill and problem type for the
  other problem parcels;
- which requests open a ticket and which are added to an open one
  (:func:`plan_requests`): the first request of a free slot opens it, every
  other request of the slot - earlier open ticket or same batch - goes to it;
- who is assigned (:func:`assign_balanced`): among the team's available
  members, the one with the fewest open tickets, ties broken by the longest
  since the last assignment, then the lowest id; each assignment counts for
  the next one of the same batch.
- the event-driven detection rules (:func:`event_detection`): the detection a
  waybill's new state decides at once, without waiting for time to pass.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

#: Kinds de-duplicated per kind, whatever their problem type.
SLOT_KINDS = ("delivery_chase", "outbound_chase", "complaint")

#: Detections decided by an event as soon as it arrives (issue: event-driven
#: detection); the time-based ones (no_first_scan, stalled, at_station,
#: station_message) keep their periodic pass.
EVENT_DETECTIONS = ("exception_scan", "returned", "lost", "signed_other")

#: States that decide an event-driven rule by themselves.
EVENT_STATES = ("exception", "returning", "returned", "lost")

#: How a delivered parcel signed by someone else (R-PP-8) is recorded.
SIGNED_BY_OTHERS = ("proxy", "locker")


def slot(problem_type: Hashable | None, kind: str | None) -> str | None:
    """The de-duplication slot of a request on a waybill: its kind for chases
    and complaints (whatever their type: one open chase per parcel), else its
    problem type; ``None``: not de-duplicated (an inquiry or a claim without
    type). A short text, stored on the ticket under a unique index of the
    open tickets."""
    if kind in SLOT_KINDS:
        return f"kind:{kind}"
    if problem_type:
        return f"type:{problem_type}"
    return None


@dataclass(frozen=True)
class Plan:
    """What to do with a batch of requests (indexes into the batch).

    ``create``: the requests that open a ticket; ``append``: ``{index: target}``
    where ``target`` is an open ticket's key, or ``("new", i)`` for the ticket
    that request ``i`` of the same batch opens."""

    create: tuple
    append: dict


def plan_requests(
    requests: Sequence[tuple[Hashable, Hashable | None]],
    open_tickets: dict,
) -> Plan:
    """``requests``: ``(waybill, slot)`` per request, in arrival order;
    ``open_tickets``: ``{(waybill, slot): ticket}`` of the open tickets.
    Requests without a slot always open a ticket."""
    create = []
    append = {}
    taken = dict(open_tickets)
    for index, (waybill, request_slot) in enumerate(requests):
        if request_slot is None:
            create.append(index)
            continue
        key = (waybill, request_slot)
        if key in taken:
            append[index] = taken[key]
        else:
            create.append(index)
            taken[key] = ("new", index)
    return Plan(create=tuple(create), append=append)


@dataclass(frozen=True)
class Member:
    """A team member who can take tickets: ``open_count`` open logistics
    tickets, ``last_assigned`` the time of his last assignment (or None)."""

    key: Hashable
    open_count: int = 0
    last_assigned: datetime | None = None
    available: bool = True


def assign_balanced(members: Iterable[Member], count: int) -> list:
    """The keys of the members who take ``count`` new tickets, in order.

    Only available members take tickets; none available: ``[None] * count``.
    Each pick is the member with the fewest open tickets, then the longest
    since his last assignment (never assigned first), then the smallest key;
    the picked member's count goes up by one and his last assignment becomes
    the most recent, so a batch spreads like the same tickets one by one."""
    pool = [m for m in members if m.available]
    if not pool:
        return [None] * count
    # rank of the last assignment: never < oldest < ... < newest
    order = sorted(
        pool, key=lambda m: (m.last_assigned is not None, m.last_assigned or 0)
    )
    rank = {m.key: i for i, m in enumerate(order)}
    loads = {m.key: m.open_count for m in pool}
    tick = len(pool)
    picked = []
    for _i in range(count):
        key = min(loads, key=lambda k: (loads[k], rank[k], k))
        picked.append(key)
        loads[key] += 1
        rank[key] = tick
        tick += 1
    return picked


def event_detection(
    state: str | None,
    signed_by: str | None = None,
    open_chase: bool = False,
) -> str | None:
    """The event-driven detection a waybill's state decides, if any: an
    exception scan, a return (returning / returned, refusals included), a
    loss, or (R-PP-8) a delivery signed by someone else while the customer
    chases it."""
    if state == "exception":
        return "exception_scan"
    if state in ("returning", "returned"):
        return "returned"
    if state == "lost":
        return "lost"
    if state == "delivered" and signed_by in SIGNED_BY_OTHERS and open_chase:
        return "signed_other"
    return None
