# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A parcel's journey as steps: the progress line of the waybill form
(issue 15, item 9; R-WB-3).

Picked up -> hubs (in transit) -> delivering station -> out for delivery ->
delivered, built from the states of :mod:`.status` (``STATES``,
:func:`~.tracking.derive_state`): the waybill's current state decides the
current step, its events give each step its time and places. An exception,
a return or a loss is a marker on the step the parcel had reached.

Like :func:`~.tracking.derive_state`, the result does not depend on the
order in which the events are given.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .events import event_order_key, event_value

__all__ = ["MARKERS", "STEPS", "Journey", "Step", "journey"]

#: The steps of the progress line, in order (states of :data:`STATES`).
STEPS = ("picked_up", "in_transit", "at_station", "out_for_delivery", "delivered")

#: States shown as a marker on the step reached, not as a step.
MARKERS = ("exception", "returning", "returned", "lost")

#: Values of :attr:`Step.status`.
STATUSES = ("done", "current", "todo")


@dataclass(frozen=True)
class Step:
    """One step of the line. ``time``: the first event of the step;
    ``place``: the latest event's place; ``places``: how many distinct places
    (the hubs of ``in_transit``). All three are empty for a step not
    reached."""

    key: str
    status: str
    time: datetime | None = None
    place: str | None = None
    places: int = 0


@dataclass(frozen=True)
class Journey:
    """The steps of :data:`STEPS`; ``current`` is the key of the step
    reached (``None`` before the pickup); ``marker`` one of :data:`MARKERS`
    or ``None``."""

    steps: tuple[Step, ...]
    current: str | None
    marker: str | None


def journey(state: str, events: Iterable[object]) -> Journey:
    """The journey of a waybill in ``state`` with ``events`` (mappings or
    objects with ``time``, ``state``, ``place`` and ``dedup_key``, as for
    :func:`~.tracking.event_order_key`).

    * ``state`` in :data:`STEPS`: that step is current, those before it
      done (a parcel delivered without a station scan went through the
      station all the same), those after it to do;
    * ``state`` in :data:`MARKERS`: the current step is the state of the
      latest event that is a step (an exception while out for delivery
      marks "out for delivery"), none before the pickup;
    * ``created`` (or an unknown state): nothing reached yet.
    """
    ordered = sorted(events, key=event_order_key)
    marker = state if state in MARKERS else None
    if state in STEPS:
        position = STEPS.index(state)
    elif marker:
        reached = [
            event_value(e, "state") for e in ordered if event_value(e, "state") in STEPS
        ]
        position = STEPS.index(reached[-1]) if reached else -1
    else:
        position = -1
    steps = []
    for index, key in enumerate(STEPS):
        if index > position:
            steps.append(Step(key, "todo"))
            continue
        mine = [e for e in ordered if event_value(e, "state") == key]
        places = {event_value(e, "place") for e in mine if event_value(e, "place")}
        steps.append(
            Step(
                key,
                "current" if index == position else "done",
                time=event_value(mine[0], "time") if mine else None,
                place=next(
                    (
                        event_value(e, "place")
                        for e in reversed(mine)
                        if event_value(e, "place")
                    ),
                    None,
                ),
                places=len(places),
            )
        )
    return Journey(
        steps=tuple(steps),
        current=STEPS[position] if position >= 0 else None,
        marker=marker,
    )
