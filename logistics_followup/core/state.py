# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The current state of a waybill from its events (R-WB-3).

The state is the last event's by :func:`.events.event_order_key`, so it does
not depend on arrival order; the Odoo layer's recompute
(``logistics.tracking.event._recompute_waybills``) computes the same in SQL,
and a property test with a real database checks both agree.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .events import event_order_key, event_value

__all__ = ["ARRIVED_STATES", "DerivedState", "derive_state"]

#: States that prove a parcel reached its delivering station.
ARRIVED_STATES = ("out_for_delivery", "delivered")


@dataclass(frozen=True)
class DerivedState:
    """Current state of a waybill from its events (:func:`derive_state`)."""

    state: str
    signed_by: str | None
    last_event_time: datetime
    last_event_place: str | None
    first_scan_time: datetime | None
    arrival_time: datetime | None = None


def derive_state(events: Iterable[object]) -> DerivedState | None:
    """Derive the current state of a waybill from its events (R-WB-3).

    Events are ordered by :func:`event_order_key`, i.e. ``(time, state rank,
    dedup_key)``, exactly like the Odoo layer's SQL ``ORDER BY event_time
    DESC, state_rank DESC, dedup_key DESC``. The state is the last event's:
    the result does not depend on arrival order, duplicates change nothing,
    and an older event arriving late never moves the state backwards.

    ``signed_by`` is the last event's if its state is ``delivered``, else
    ``None``. ``first_scan_time`` is the time of the earliest event whose
    state is not ``created`` (``None`` if there is none). ``None`` for no
    events.

    Two events with the same key triple are the same event (the ORM keeps one
    per ``dedup_key``); should they differ anyway, ``signed_by`` then
    ``place`` break the tie so the result stays independent of order.

    ``arrival_time`` (R-WB-6, R-RC-8): the latest arrival at the delivering
    station (``at_station``), so that for a split shipment (分批装运) it is the
    last batch's; without such a scan, the first ``out_for_delivery`` or
    ``delivered`` event stands for the arrival.
    """
    events = list(events)
    if not events:
        return None
    last = max(
        events,
        key=lambda event: (
            event_order_key(event),
            event_value(event, "signed_by") or "",
            event_value(event, "place") or "",
        ),
    )
    state = event_value(last, "state")
    scans = [
        event_value(event, "time")
        for event in events
        if event_value(event, "state") != "created"
    ]
    arrivals = [
        event_value(e, "time")
        for e in events
        if event_value(e, "state") == "at_station"
    ]
    if not arrivals:
        arrivals = [
            min(
                (
                    event_value(e, "time")
                    for e in events
                    if event_value(e, "state") in ARRIVED_STATES
                ),
                default=None,
            )
        ]
    return DerivedState(
        state=state,
        signed_by=event_value(last, "signed_by") if state == "delivered" else None,
        last_event_time=event_value(last, "time"),
        last_event_place=event_value(last, "place"),
        first_scan_time=min(scans) if scans else None,
        arrival_time=max((t for t in arrivals if t is not None), default=None),
    )
