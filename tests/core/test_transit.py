# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-WB-4 transit-time norms and the tracking-stop rules."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_followup.core import transit
from logistics_followup.core.transit import TransitNorm

NOW = datetime(2026, 11, 22, 12, 0)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("广东省", "深圳市", "广东省", "深圳市"), "same_city"),
        (("广东省", "深圳市", "广东省", "广州市"), "same_province"),
        (("广东省", "", "广东省", ""), "same_province"),
        (("Guangdong", "Shenzhen ", "guangdong", "shenzhen"), "same_city"),
        (("广东省", "深圳市", "浙江省", "杭州市"), "cross_province"),
        ((None, "深圳市", "广东省", "深圳市"), None),
        (("广东省", "深圳市", False, "深圳市"), None),
    ],
)
def test_route_class(args, expected):
    """R-WB-4: same city, same province, cross-province."""
    assert transit.route_class(*args) == expected


NORMS = [
    TransitNorm("cross_province", 72),
    TransitNorm("cross_province", 48, transport_mode="air"),
    TransitNorm("cross_province", 60, service="standard"),
    TransitNorm("cross_province", 36, courier="SF"),
    TransitNorm("cross_province", 24, courier="SF", transport_mode="air"),
    TransitNorm("same_city", 24),
]


@pytest.mark.parametrize(
    ("parcel", "hours"),
    [
        (("ZTO", None, "land", "cross_province"), 72),
        (("ZTO", None, "air", "cross_province"), 48),
        (("ZTO", "Standard", "air", "cross_province"), 60),
        (("SF", "standard", "land", "cross_province"), 36),
        (("SF", None, "air", "cross_province"), 24),
        (("SF", None, "air", "same_city"), 24),
        (("SF", None, "air", "same_province"), None),
        (("SF", None, "air", None), None),
    ],
)
def test_pick_norm_most_specific(parcel, hours):
    """R-WB-4: configurable per courier / service / route; the most specific
    norm wins."""
    norm = transit.pick_norm(NORMS, *parcel)
    assert (norm.hours if norm else None) == hours


def test_expected_and_overdue():
    """R-WB-4: within the normal time limit, or beyond it."""
    start = datetime(2026, 11, 20, 9, 0)
    expected = start + timedelta(hours=48)  # the recompute's SQL (test_transit)
    assert transit.is_overdue(expected, "in_transit", NOW)
    assert not transit.is_overdue(expected, "in_transit", expected)
    assert not transit.is_overdue(expected, "delivered", NOW)
    assert not transit.is_overdue(None, "in_transit", NOW)
    assert not transit.is_overdue(False, "in_transit", NOW)  # the ORM's empty


@pytest.mark.parametrize(
    ("created_days_ago", "last_event_days_ago", "state", "reason"),
    [
        (4, None, "created", "no_record"),
        (2, None, "created", None),
        (90, 61, "in_transit", "no_change"),
        (90, 59, "in_transit", None),
        (90, 61, "delivered", None),
        (90, None, "lost", None),
    ],
)
def test_tracking_stop_reason(created_days_ago, last_event_days_ago, state, reason):
    """REFERENCE.md 5.1: no record 3 days after creation, no change for 60."""
    created = NOW - timedelta(days=created_days_ago)
    last = (
        None
        if last_event_days_ago is None
        else NOW - timedelta(days=last_event_days_ago)
    )
    assert transit.tracking_stop_reason(created, last, state, NOW) == reason


@given(st.integers(min_value=0, max_value=1000), st.sampled_from(transit.FINAL_STATES))
def test_final_states_never_flagged(hours, state):
    """A delivered, returned or lost parcel is never overdue nor stalled."""
    expected = NOW - timedelta(hours=hours + 1)
    assert not transit.is_overdue(expected, state, NOW)
    assert transit.tracking_stop_reason(expected, None, state, NOW) is None
