# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customers' parcel pages (R-PT-1) and the public look-up (R-PT-2)."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_followup.core.portal import (
    LOOKUP_FAILURE_LIMIT,
    LOOKUP_WINDOW,
    lookup_last4,
    lookup_retry_after,
    mask_text,
    ticket_kind,
)

FAST = settings(max_examples=300, deadline=None)
NOW = datetime(2026, 11, 11, 10, 0, 0)
CJK = st.text(alphabet="快件派送中已签收网点杭州西湖区联系电话师傅,()。", max_size=12)


# ------------------------------------------------------------- lookup_last4


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("5678", "5678"),
        (" 5678 ", "5678"),
        ("５６７８", "5678"),  # full-width digits
        ("567", None),
        ("56789", None),
        ("56a8", None),
        ("٥٦٧٨", None),  # Arabic-Indic digits are not phone digits here
        ("", None),
        (None, None),
        (5678, None),
    ],
)
def test_lookup_last4(typed, expected):
    """R-PT-2: exactly four digits of a phone, nothing else."""
    assert lookup_last4(typed) == expected


# ------------------------------------------------------- lookup_retry_after


def test_retry_after_below_the_limit():
    """R-PT-2: fewer failures than the limit in the window: allowed."""
    failures = [NOW - timedelta(minutes=1)] * (LOOKUP_FAILURE_LIMIT - 1)
    assert lookup_retry_after(failures, NOW) is None


def test_retry_after_at_the_limit():
    """R-PT-2: at the limit the client waits until its oldest counted
    failure leaves the window."""
    failures = [NOW - timedelta(minutes=m) for m in range(LOOKUP_FAILURE_LIMIT)]
    oldest = NOW - timedelta(minutes=LOOKUP_FAILURE_LIMIT - 1)
    assert lookup_retry_after(failures, NOW) == oldest + LOOKUP_WINDOW - NOW


def test_retry_after_ignores_old_failures():
    """R-PT-2: failures older than the window do not count."""
    old = NOW - LOOKUP_WINDOW - timedelta(seconds=1)
    assert lookup_retry_after([old] * 100, NOW) is None


def test_retry_after_future_failures_count():
    """Clock skew: a failure stamped in the future counts until it is a
    window old."""
    future = NOW + timedelta(minutes=5)
    assert lookup_retry_after([future] * LOOKUP_FAILURE_LIMIT, NOW) == (
        LOOKUP_WINDOW + timedelta(minutes=5)
    )


@FAST
@given(
    st.lists(
        st.integers(min_value=-3600, max_value=0).map(
            lambda s: NOW + timedelta(seconds=s)
        ),
        max_size=40,
    ),
    st.integers(min_value=1, max_value=15),
)
def test_retry_after_property(failures, limit):
    """R-PT-2: refused exactly while ``limit`` failures are in the window;
    the wait is positive, at most the window, and waiting it is enough."""
    wait = lookup_retry_after(failures, NOW, limit=limit)
    in_window = [f for f in failures if NOW - f < LOOKUP_WINDOW]
    if len(in_window) < limit:
        assert wait is None
        return
    assert timedelta(0) < wait <= LOOKUP_WINDOW
    assert lookup_retry_after(failures, NOW + wait, limit=limit) is None
    if wait > timedelta(seconds=1):
        earlier = NOW + wait - timedelta(seconds=1)
        assert lookup_retry_after(failures, earlier, limit=limit) is not None


# ---------------------------------------------------------------- mask_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "快件交给张师傅,正在派送途中(联系电话:13800138000)",
            "快件交给张师傅,正在派送途中(联系电话:138******00)",
        ),
        ("电话 010-12345678 转", "电话 010-******78 转"),
        ("+86 138 0013 8000", "+86 138******00"),
        ("１３８００１３８０００", "138******00"),
        ("身份证11010519491231002X已核验", "身份证110105********002X已核验"),
        ("已签收,签收人是:本人", "已签收,签收人是:本人"),
        # a waybill number is not a phone: kept
        ("转寄新单号SF1234567890123", "转寄新单号SF1234567890123"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_text(text, expected):
    """R-PT-2: phones and ID numbers inside scan texts are masked."""
    assert mask_text(text) == expected


@FAST
@given(CJK, st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), CJK)
def test_mask_text_hides_every_mobile(before, mobile, after):
    """R-PT-2 / GB/T 41833: a mobile number in a scan text never shows
    whole, and at least 6 of its digits are hidden."""
    masked = mask_text(before + mobile + after)
    assert mobile not in masked
    assert masked.count("*") >= 6


@FAST
@given(st.text(alphabet="快件派送中已签收网点杭州西湖区 abcXYZ", max_size=30))
def test_mask_text_keeps_text_without_digits(text):
    """Text without digits is unchanged."""
    assert mask_text(text) == text


# -------------------------------------------------------------- ticket_kind


@pytest.mark.parametrize(
    ("request_kind", "direction", "expected"),
    [
        ("chase", "outbound", "outbound_chase"),
        ("chase", "inbound", "delivery_chase"),
        ("complaint", "outbound", "complaint"),
        ("complaint", "inbound", "complaint"),
        ("compensation", "outbound", None),
        ("", "inbound", None),
    ],
)
def test_ticket_kind(request_kind, direction, expected):
    """R-PT-1: the kind of a ticket a customer opens on a parcel."""
    assert ticket_kind(request_kind, direction) == expected
