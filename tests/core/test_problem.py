# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-WB-1 facts, R-PP-4..7 detection rules, R-CP-3 targets, compensation."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_followup.core import problem
from logistics_followup.core.problem import PeakPeriod, ResponseTarget

NOW = datetime(2026, 11, 22, 12, 0)
FULL = {
    "waybill_number": "SF1234567890123",
    "sender_address": "上海市浦东新区张江路1号",
    "receiver_address": "北京市海淀区中关村大街1号",
    "sender_phone": "13800138000",
    "receiver_phone": "13900139000",
}


def test_missing_facts_none_when_all_known():
    """R-WB-1: nothing missing, the ticket may move on."""
    assert problem.missing_ticket_facts(FULL) == []


@pytest.mark.parametrize("blank", [None, False, "", "   "])
def test_missing_facts_lists_each_blank(blank):
    """R-WB-1: every unknown fact is listed, in the documented order."""
    for name in problem.REQUIRED_FACTS:
        facts = dict(FULL, **{name: blank})
        assert problem.missing_ticket_facts(facts) == [name]
    assert problem.missing_ticket_facts({}) == list(problem.REQUIRED_FACTS)


@given(st.sets(st.sampled_from(problem.REQUIRED_FACTS)))
def test_missing_facts_property(removed):
    """R-WB-1: exactly the removed facts are reported, in order."""
    facts = {k: v for k, v in FULL.items() if k not in removed}
    assert problem.missing_ticket_facts(facts) == [
        n for n in problem.REQUIRED_FACTS if n in removed
    ]


def test_deadline_state():
    """R-PP-4: ok, warning before the deadline, overdue at it, none if done."""
    deadline = NOW + timedelta(hours=10)
    assert problem.deadline_state(None, NOW) == "none"
    assert problem.deadline_state(deadline, NOW, 4) == "ok"
    assert problem.deadline_state(deadline, NOW + timedelta(hours=6), 4) == "warning"
    assert problem.deadline_state(deadline, deadline, 4) == "overdue"
    assert problem.deadline_state(deadline, deadline, 4, done=True) == "none"
    assert problem.deadline_state(deadline, NOW + timedelta(hours=9), 0) == "ok"


@given(st.integers(-10_000, 10_000), st.floats(0, 100))
def test_deadline_state_monotonic(minutes, warning):
    """R-PP-4: the later it is, the worse the state, never the other way."""
    order = {"ok": 0, "warning": 1, "overdue": 2}
    deadline = NOW
    a = problem.deadline_state(deadline, NOW + timedelta(minutes=minutes), warning)
    b = problem.deadline_state(deadline, NOW + timedelta(minutes=minutes + 1), warning)
    assert order[a] <= order[b]


DOUBLE11 = PeakPeriod(date(2026, 11, 1), date(2026, 11, 20), 7, yearly=True)
DOUBLE12 = PeakPeriod(date(2026, 12, 8), date(2026, 12, 20), 5, yearly=True)
SPRING = PeakPeriod(date(2027, 1, 25), date(2027, 2, 15), 10)
NEW_YEAR = PeakPeriod(date(2026, 12, 28), date(2027, 1, 3), 4, yearly=True)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 11), 7),  # 双十一
        (date(2031, 11, 11), 7),  # yearly: every year
        (date(2026, 11, 21), 3),  # the day after: back to normal
        (date(2026, 12, 12), 5),  # 双十二
        (date(2026, 10, 1), 3),
        (date(2027, 2, 1), 10),  # a one-off period
        (date(2028, 2, 1), 3),  # ... which does not repeat
        (date(2027, 1, 2), 4),  # yearly range across the new year
        (date(2026, 12, 30), 4),
    ],
)
def test_stall_threshold_peak_periods(day, expected):
    """R-PP-6 / R-PP-10: peak periods relax the 3-day stall rule."""
    periods = [DOUBLE11, DOUBLE12, SPRING, NEW_YEAR]
    assert problem.stall_threshold_days(day, periods) == expected


def test_stall_threshold_never_stricter_in_peak():
    """R-PP-6: "购物高峰期例外" relaxes, a shorter peak value does not tighten."""
    strict = PeakPeriod(date(2026, 11, 1), date(2026, 11, 30), 1)
    assert problem.stall_threshold_days(date(2026, 11, 5), [strict]) == 3
    both = [strict, DOUBLE11]
    assert problem.stall_threshold_days(date(2026, 11, 5), both) == 7


def test_detection_rules():
    """R-PP-5 / R-PP-6 / R-PP-7 on their cutoffs."""
    c = problem.detection_cutoffs(NOW, today=date(2026, 10, 1))
    old = NOW - timedelta(days=4)
    recent = NOW - timedelta(hours=2)
    assert problem.is_stalled("in_transit", old, c)
    assert problem.is_stalled("picked_up", old, c)
    assert not problem.is_stalled("in_transit", recent, c)
    assert not problem.is_stalled("delivered", old, c)
    assert not problem.is_stalled("in_transit", None, c)
    # tracking stopped: no change, or aborted after a first scan (R-PP-6)
    assert problem.is_stalled("in_transit", recent, c, "no_change")
    assert problem.is_stalled("at_station", None, c, "aborted", old)
    assert not problem.is_stalled("at_station", None, c, "aborted", None)
    assert not problem.is_stalled("delivered", None, c, "no_change")
    # tracking stopped before any scan: no record, or aborted (R-PP-5)
    assert problem.has_no_first_scan("created", None, recent, c, "no_record")
    assert problem.has_no_first_scan("in_transit", None, None, c, "aborted")
    assert not problem.has_no_first_scan("created", old, old, c, "aborted")
    assert problem.has_no_first_scan("created", None, old, c)
    assert not problem.has_no_first_scan("created", None, recent, c)
    assert not problem.has_no_first_scan("created", recent, old, c)
    assert problem.is_stuck_at_station("at_station", old, c)
    assert problem.is_stuck_at_station("out_for_delivery", old, c)
    assert not problem.is_stuck_at_station("at_station", recent, c)
    assert not problem.is_stuck_at_station("delivered", old, c)
    # during 双十一 four days in one place is still normal
    peak = problem.detection_cutoffs(NOW, periods=[DOUBLE11], today=date(2026, 11, 11))
    assert peak.stall_days == 7
    assert not problem.is_stalled("in_transit", old, peak)
    assert problem.is_stalled("in_transit", NOW - timedelta(days=8), peak)


@given(st.floats(0, 30), st.floats(0, 30))
def test_stalled_property(days_ago, threshold):
    """R-PP-6: stalled exactly when the last scan is older than the threshold."""
    c = problem.detection_cutoffs(NOW, stall_days=threshold, today=date(2026, 10, 1))
    last = NOW - timedelta(days=days_ago)
    assert problem.is_stalled("in_transit", last, c) == (
        last < NOW - timedelta(days=threshold)
    )


PHONE, EMAIL = 1, 2
TARGETS = [
    ResponseTarget("phone", 5, channel=PHONE),
    ResponseTarget("price", 480, category=7),
    ResponseTarget("phone_price", 30, channel=PHONE, category=7),
    ResponseTarget("complaint", 60, kind="complaint"),
]


def test_response_target_most_specific():
    """R-CP-3: phone 5 minutes, price inquiry 8 hours, most specific wins."""
    pick = problem.pick_response_target
    assert pick(TARGETS, channel=PHONE).key == "phone"
    assert pick(TARGETS, channel=EMAIL, category=7).key == "price"
    assert pick(TARGETS, channel=PHONE, category=7).key == "phone_price"
    assert pick(TARGETS, channel=EMAIL, kind="complaint").key == "complaint"
    assert pick(TARGETS, channel=EMAIL) is None
    # equal specificity: the shorter time wins
    assert pick(TARGETS, channel=PHONE, kind="complaint").key == "phone"
    deadline = problem.response_deadline(NOW, pick(TARGETS, channel=PHONE))
    assert deadline == NOW + timedelta(minutes=5)
    assert problem.response_deadline(NOW, None) is None


@given(st.permutations(TARGETS))
def test_response_target_order_independent(targets):
    """R-CP-3: the pick does not depend on the order targets are listed."""
    for args in ({"channel": PHONE}, {"channel": PHONE, "category": 7}):
        assert problem.pick_response_target(targets, **args).key == (
            problem.pick_response_target(TARGETS, **args).key
        )


def test_compensation_rules():
    """REFERENCE.md 6.3: insured total / partial, uninsured capped at 3x."""
    prop = problem.propose_compensation
    assert prop(insured=True, insured_amount=1000) == (
        Decimal("1000.00"),
        "insured_total",
    )
    # insured 1000 of a 2000 item, 500 lost: 1000 / 2000 x 500
    assert prop(
        insured=True,
        insured_amount=1000,
        declared_value=2000,
        actual_loss=500,
        partial=True,
    ) == (Decimal("250.00"), "insured_partial")
    assert prop(insured=False, actual_loss=50, freight=20) == (
        Decimal("50.00"),
        "uninsured_actual",
    )
    assert prop(insured=False, actual_loss=500, freight=20) == (
        Decimal("60.00"),
        "uninsured_capped",
    )
    assert prop(insured=False, actual_loss=500, freight=20, multiple=5) == (
        Decimal("100.00"),
        "uninsured_capped",
    )
    assert prop(insured=False, actual_loss=500, freight=20, cap_waived=True) == (
        Decimal("500.00"),
        "uninsured_actual",
    )


def test_compensation_errors():
    """Nonsense amounts are refused with a code, never guessed."""
    with pytest.raises(ValueError, match="declared_value_required"):
        problem.propose_compensation(
            insured=True, insured_amount=100, actual_loss=10, partial=True
        )
    with pytest.raises(ValueError, match="negative_amount"):
        problem.propose_compensation(insured=False, actual_loss=-1, freight=10)


money = st.decimals(0, 100_000, places=2)


@given(money, money, money, money)
def test_compensation_bounds(insured_amount, declared, loss, freight):
    """Never more than the insured amount; never more than the uninsured cap
    or the actual loss."""
    if declared > 0:
        amount, _ = problem.propose_compensation(
            insured=True,
            insured_amount=insured_amount,
            declared_value=declared,
            actual_loss=loss,
            partial=True,
        )
        assert 0 <= amount <= insured_amount
    amount, basis = problem.propose_compensation(
        insured=False, actual_loss=loss, freight=freight
    )
    assert amount <= loss
    assert amount <= 3 * freight + Decimal("0.005")
    assert basis in ("uninsured_actual", "uninsured_capped")


def test_response_breached():
    """R-CP-3: late is strictly after the deadline; no deadline, no breach."""
    assert not problem.response_breached(None, NOW)
    assert not problem.response_breached(NOW, NOW)
    assert problem.response_breached(NOW, NOW + timedelta(seconds=1))


@pytest.mark.parametrize(
    ("kind", "closed", "cause", "needed"),
    [
        ("complaint", True, None, True),
        ("complaint", True, "  ", True),
        ("complaint", True, "快递员未电话联系", False),
        ("complaint", False, None, False),
        ("delivery_chase", True, None, False),
    ],
)
def test_complaint_needs_root_cause(kind, closed, cause, needed):
    """R-CP-1: only a closed complaint needs its root cause."""
    assert problem.complaint_needs_root_cause(kind, closed, cause) is needed


def test_customer_side():
    """The sender chases what we sent, the receiver what we deliver."""
    assert problem.customer_side("outbound") == "sender"
    assert problem.customer_side("inbound") == "receiver"


def test_approval_amount():
    """The claim when entered, else the proposal."""
    assert problem.approval_amount(800, 60) == Decimal(800)
    assert problem.approval_amount(0, 60) == Decimal(60)
    assert problem.approval_amount(None, Decimal("60.00")) == Decimal("60.00")


def test_counts_as_response():
    """R-CP-3: a public reply, an SMS, an outbound call that reached the
    customer answer him back; notes, his own messages, unanswered calls and
    his own calls in do not."""
    counts = problem.counts_as_response
    assert counts("message")
    assert not counts("message", public=False)
    assert not counts("message", by_employee=False)
    assert counts("sms")
    assert not counts("sms", by_employee=False)
    assert counts("call", direction="outbound", outcome="reached")
    assert not counts("call", direction="inbound", outcome="reached")
    for outcome in problem.CALL_OUTCOMES:
        if outcome != "reached":
            assert not counts("call", direction="outbound", outcome=outcome)
    assert not counts(
        "call", direction="outbound", outcome="reached", by_employee=False
    )
    assert not counts("fax")


@given(
    channel=st.sampled_from([*problem.RESPONSE_CHANNELS, "other"]),
    by_employee=st.booleans(),
    public=st.booleans(),
    direction=st.sampled_from(["outbound", "inbound", None]),
    outcome=st.sampled_from([*problem.CALL_OUTCOMES, None]),
)
def test_counts_as_response_never_for_the_customer(
    channel, by_employee, public, direction, outcome
):
    result = problem.counts_as_response(
        channel,
        by_employee=by_employee,
        public=public,
        direction=direction,
        outcome=outcome,
    )
    if not by_employee or channel == "other":
        assert result is False
    if channel == "call" and result:
        assert (direction, outcome) == ("outbound", "reached")
