# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Transit-time norms (时效), expected delivery and tracking-stop rules.

R-WB-4: whether a parcel is within its normal time limit (正常时效) decides the
reply: explain, or apologise and escalate. Normal transit time is data per
courier, service, transport mode and route class (same city, same province,
cross-province). REFERENCE.md 6.2: the commonly quoted figures (same city
24 h, same province 48 h, cross-province 72 h) could NOT be verified against
GB/T 27917, so they are shipped as editable defaults, nothing more.

Tracking stops by rule, as aggregators do (REFERENCE.md 5.1: Kuaidi100 gives
up after "3天查询无记录" and "60天无变化"): a waybill with no event N days
after its creation, or with no new event for N days, is flagged for the
problem-parcel detection.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

ROUTE_CLASSES = ("same_city", "same_province", "cross_province")

#: States in which a parcel is no longer travelling: never overdue, never
#: stalled.
FINAL_STATES = ("delivered", "returned", "lost")

#: Unverified defaults (see module docstring), hours per route class.
DEFAULT_HOURS = {"same_city": 24, "same_province": 48, "cross_province": 72}

#: Tracking-stop defaults, in days (Kuaidi100's own rules).
DEFAULT_NO_RECORD_DAYS = 3
DEFAULT_NO_CHANGE_DAYS = 60


def _key(value: object) -> str:
    return str(value).strip().casefold() if value else ""


def route_class(
    origin_province: object,
    origin_city: object,
    destination_province: object,
    destination_city: object,
) -> str | None:
    """The route class of a parcel, or ``None`` when the provinces are not
    both known. Cities compare case- and space-insensitively; a known
    province pair with an unknown city is at best ``same_province``."""
    origin, destination = _key(origin_province), _key(destination_province)
    if not origin or not destination:
        return None
    if origin != destination:
        return "cross_province"
    city_a, city_b = _key(origin_city), _key(destination_city)
    if city_a and city_a == city_b:
        return "same_city"
    return "same_province"


@dataclass(frozen=True)
class TransitNorm:
    """Normal transit time for the parcels it matches; ``None`` in
    ``courier``, ``service`` or ``transport_mode`` matches any value."""

    route_class: str
    hours: float
    courier: str | None = None
    service: str | None = None
    transport_mode: str | None = None

    def matches(self, courier, service, transport_mode, route) -> bool:
        return (
            self.route_class == route
            and (self.courier is None or self.courier == courier)
            and (self.service is None or _key(self.service) == _key(service))
            and (self.transport_mode is None or self.transport_mode == transport_mode)
        )

    def specificity(self) -> tuple[bool, bool, bool]:
        # a courier's own norm beats a service norm, which beats a mode norm
        return (
            self.courier is not None,
            self.service is not None,
            self.transport_mode is not None,
        )


def pick_norm(
    norms: Iterable[TransitNorm],
    courier: str | None,
    service: str | None,
    transport_mode: str | None,
    route: str | None,
) -> TransitNorm | None:
    """The most specific norm matching the parcel; ties keep the first."""
    if route is None:
        return None
    best = None
    for norm in norms:
        if norm.matches(courier, service, transport_mode, route) and (
            best is None or norm.specificity() > best.specificity()
        ):
            best = norm
    return best


def is_overdue(expected: datetime | None, state: str, now: datetime) -> bool:
    """R-WB-4: beyond its normal time limit and not delivered yet; no
    expected date (None, or the ORM's False) is never overdue."""
    return bool(expected) and state not in FINAL_STATES and now > expected


def tracking_stop_reason(
    created: datetime,
    last_event_time: datetime | None,
    state: str,
    now: datetime,
    no_record_days: int = DEFAULT_NO_RECORD_DAYS,
    no_change_days: int = DEFAULT_NO_CHANGE_DAYS,
) -> str | None:
    """``no_record`` (no event ``no_record_days`` after creation),
    ``no_change`` (no new event for ``no_change_days``) or ``None``. Parcels
    in a final state are never flagged."""
    if state in FINAL_STATES:
        return None
    if last_event_time is None:
        return "no_record" if now - created > timedelta(days=no_record_days) else None
    if now - last_event_time > timedelta(days=no_change_days):
        return "no_change"
    return None
