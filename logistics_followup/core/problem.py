# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Problem parcels (疑难件) and chase tickets: the rules, without the ORM.

- R-WB-1: every inquiry, chase and problem parcel records the waybill number,
  both addresses and both parties' phones; a ticket cannot leave its first
  stage without them (:func:`missing_ticket_facts`).
- R-PP-4: a type-1 station message has a deadline, warned before it and
  returned when it passes (:func:`deadline_state`).
- R-PP-5 / R-PP-6 / R-PP-7: automatic detection thresholds, with peak periods
  (双十一, 双十二, R-PP-10) relaxing the stall rule (:func:`stall_threshold_days`,
  :func:`detection_cutoffs`).
- R-CP-3: response targets per channel / kind, the most specific wins
  (:func:`pick_response_target`); what answers a ticket back: a public
  reply, an SMS, an outbound call that reached the customer
  (:func:`counts_as_response`).
- Compensation (REFERENCE.md 6.3): insured -> the insured amount, proportional
  for a partial loss; uninsured -> the actual loss capped at a multiple of the
  freight (3x, China Post's Postal Law Art. 47), the cap waived for intentional
  damage or gross negligence (:func:`propose_compensation`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .transit import FINAL_STATES

#: Ticket kinds (helpdesk.ticket.logistics_kind).
KINDS = (
    "delivery_chase",  # 派送件催单 (R-PP-2)
    "outbound_chase",  # 发出件催单 (R-PP-3)
    "problem",  # 疑难件 (R-PP-1..9)
    "complaint",  # 投诉 (R-CP-1/2)
    "inquiry",  # 查件
    "compensation",  # 赔偿
)

#: Automatic detection rules a problem type can carry.
DETECTIONS = (
    "no_first_scan",  # R-PP-5
    "stalled",  # R-PP-6
    "at_station",  # R-PP-7
    "station_message",  # R-PP-4: deadline of the destination's message
    # decided by an event as soon as it arrives (core.ticketing.event_detection)
    "exception_scan",
    "returned",
    "lost",
    "signed_other",  # R-PP-8
)

#: R-WB-1 facts, in the order the message lists them.
REQUIRED_FACTS = (
    "waybill_number",
    "sender_address",
    "receiver_address",
    "sender_phone",
    "receiver_phone",
)

#: Defaults of the configurable thresholds.
DEFAULT_STALL_DAYS = 3  # R-PP-6: "在一个中转点时间超过3日以上的都为不正常情况"
DEFAULT_NO_FIRST_SCAN_HOURS = 24  # R-PP-5: N configurable, seed gives none
DEFAULT_AT_STATION_HOURS = 24  # R-PP-7: N configurable, seed gives none
DEFAULT_WARNING_HOURS = 4  # R-PP-4: warn this long before a deadline
DEFAULT_UNINSURED_MULTIPLE = 3  # Postal Law Art. 47 (REFERENCE.md 6.3)

#: States in which a waybill is still travelling towards its station.
IN_TRANSIT_STATES = ("picked_up", "in_transit")


def _blank(value: object) -> bool:
    return value is None or value is False or not str(value).strip()


def missing_ticket_facts(facts: dict) -> list[str]:
    """R-WB-1: the required facts a ticket does not know yet, in order.

    ``facts`` maps the names of :data:`REQUIRED_FACTS` to their values; a
    missing key counts as unknown.
    """
    return [name for name in REQUIRED_FACTS if _blank(facts.get(name))]


def deadline_state(
    deadline: datetime | None,
    now: datetime,
    warning_hours: float = DEFAULT_WARNING_HOURS,
    done: bool = False,
) -> str:
    """R-PP-4: ``none`` / ``ok`` / ``warning`` / ``overdue`` of a deadline.

    A closed ticket (``done``) is never warned. The warning starts
    ``warning_hours`` before the deadline; at the deadline itself the ticket is
    overdue ("逾期未处理好的, 会退回").
    """
    if not deadline or done:
        return "none"
    if now >= deadline:
        return "overdue"
    if now >= deadline - timedelta(hours=max(warning_hours, 0)):
        return "warning"
    return "ok"


@dataclass(frozen=True)
class PeakPeriod:
    """A peak window (双十一, 双十二, 春节...) and its own stall threshold.

    ``yearly`` periods repeat every year on the same month and day range; a
    range may cross the new year (e.g. 12-20 .. 01-10).
    """

    date_from: date
    date_to: date
    stall_days: float
    yearly: bool = False

    def covers(self, day: date) -> bool:
        if not self.yearly:
            return self.date_from <= day <= self.date_to
        start = (self.date_from.month, self.date_from.day)
        end = (self.date_to.month, self.date_to.day)
        key = (day.month, day.day)
        if start <= end:
            return start <= key <= end
        return key >= start or key <= end


def stall_threshold_days(
    day: date,
    periods: Iterable[PeakPeriod] = (),
    default_days: float = DEFAULT_STALL_DAYS,
) -> float:
    """R-PP-6 / R-PP-10: days without a new scan before a parcel is stalled.

    Outside peak periods: the default (3 days). Inside one or several peak
    periods: the most lenient (largest) threshold among them, never stricter
    than the default ("购物高峰期例外").
    """
    covering = [p.stall_days for p in periods if p.covers(day)]
    return max([default_days, *covering]) if covering else default_days


@dataclass(frozen=True)
class Cutoffs:
    """Instants before which the detection rules fire (all naive UTC)."""

    stalled_before: datetime  # last scan older than this: stalled (R-PP-6)
    no_first_scan_before: datetime  # created before this, no scan (R-PP-5)
    at_station_before: datetime  # at the station since before this (R-PP-7)
    message_warning_before: datetime  # message deadline before this: warn
    stall_days: float


def detection_cutoffs(
    now: datetime,
    *,
    periods: Iterable[PeakPeriod] = (),
    stall_days: float = DEFAULT_STALL_DAYS,
    no_first_scan_hours: float = DEFAULT_NO_FIRST_SCAN_HOURS,
    at_station_hours: float = DEFAULT_AT_STATION_HOURS,
    warning_hours: float = DEFAULT_WARNING_HOURS,
    today: date | None = None,
) -> Cutoffs:
    """The cutoffs one detection pass uses, so every rule is one indexed
    comparison in SQL. ``today`` is the local date deciding peak periods
    (defaults to ``now``'s date)."""
    days = stall_threshold_days(today or now.date(), periods, stall_days)
    return Cutoffs(
        stalled_before=now - timedelta(days=days),
        no_first_scan_before=now - timedelta(hours=no_first_scan_hours),
        at_station_before=now - timedelta(hours=at_station_hours),
        message_warning_before=now + timedelta(hours=max(warning_hours, 0)),
        stall_days=days,
    )


def is_stalled(
    state: str | None,
    last_event_time: datetime | None,
    cutoffs: Cutoffs,
    stop_reason: str | None = None,
    first_scan_time: datetime | None = None,
) -> bool:
    """R-PP-6: in transit and no new scan at one place since the cutoff; or
    tracking stopped (``stop_reason``, ``logistics.waybill``'s
    ``tracking_stop_reason``) for no change, or aborted after a first scan,
    while not in a final state. The detection's SQL
    (``logistics.problem.detection._rule_sql``) is this rule, checked
    against it by a property test."""
    if (
        state in IN_TRANSIT_STATES
        and last_event_time is not None
        and last_event_time < cutoffs.stalled_before
    ):
        return True
    stopped = stop_reason == "no_change" or (
        stop_reason == "aborted" and first_scan_time is not None
    )
    return stopped and state is not None and state not in FINAL_STATES


def has_no_first_scan(
    state: str | None,
    first_scan_time: datetime | None,
    start: datetime | None,
    cutoffs: Cutoffs,
    stop_reason: str | None = None,
) -> bool:
    """R-PP-5: created (``start``: shipped, else created) long ago and never
    scanned; or tracking stopped for no record, or aborted, before any scan.
    The detection's SQL is this rule (property test)."""
    if first_scan_time is not None:
        return False
    if stop_reason in ("no_record", "aborted"):
        return True
    return (
        state == "created"
        and start is not None
        and start < cutoffs.no_first_scan_before
    )


def is_stuck_at_station(
    state: str | None, arrival_time: datetime | None, cutoffs: Cutoffs
) -> bool:
    """R-PP-7: arrived at the delivering station, not delivered in time."""
    return (
        state in ("at_station", "out_for_delivery")
        and arrival_time is not None
        and arrival_time < cutoffs.at_station_before
    )


@dataclass(frozen=True)
class ResponseTarget:
    """R-CP-3: answer back within ``minutes``; empty criteria match all."""

    key: object
    minutes: float
    channel: object = None
    kind: str | None = None
    category: object = None


def pick_response_target(
    targets: Iterable[ResponseTarget],
    channel: object = None,
    kind: str | None = None,
    category: object = None,
) -> ResponseTarget | None:
    """The most specific target matching a ticket (phone: 5 minutes, price
    inquiry: 8 hours...). A target matches when each of its criteria is empty
    or equal to the ticket's; more criteria set wins, then the shortest time,
    then the smallest key (deterministic)."""
    matching = [
        t
        for t in targets
        if (t.channel is None or t.channel == channel)
        and (t.kind is None or t.kind == kind)
        and (t.category is None or t.category == category)
    ]
    if not matching:
        return None

    def rank(t: ResponseTarget):
        specificity = sum(x is not None for x in (t.channel, t.kind, t.category))
        return (-specificity, t.minutes, str(t.key))

    return min(matching, key=rank)


def response_deadline(start: datetime, target: ResponseTarget | None):
    """R-CP-3: when the first answer is due, or None without a target
    (anything with ``minutes``: a :class:`ResponseTarget` or a
    ``logistics.response.target`` record)."""
    if target is None:
        return None
    return start + timedelta(minutes=target.minutes)


def response_breached(deadline: datetime | None, answered: datetime) -> bool:
    """R-CP-3: answered after the response deadline (no deadline: never)."""
    return bool(deadline) and answered > deadline


#: Channels of an answer to the customer (R-CP-3).
RESPONSE_CHANNELS = ("message", "sms", "call")

#: Outcomes of a logged phone call (logistics.call.log).
CALL_OUTCOMES = ("reached", "no_answer", "busy", "wrong_number", "call_back")


def counts_as_response(
    channel: str,
    *,
    by_employee: bool = True,
    public: bool = True,
    direction: str | None = None,
    outcome: str | None = None,
) -> bool:
    """R-CP-3: whether something done on a ticket answers the customer back
    (its first one sets the ticket's first response).

    - ``message``: a public message (an e-mail reply) by an employee; an
      internal note, or a message of the customer himself, is no answer;
    - ``sms``: a text message sent by an employee;
    - ``call``: an *outbound* call by an employee that *reached* the
      customer; a call not answered, busy, to a wrong number or to be made
      again later is no answer, and neither is the customer's own call in
      (he is still waiting for us to call him back with an answer)."""
    if not by_employee or channel not in RESPONSE_CHANNELS:
        return False
    if channel == "message":
        return bool(public)
    if channel == "sms":
        return True
    return direction == "outbound" and outcome == "reached"


def complaint_needs_root_cause(kind: str | None, closed: bool, root_cause) -> bool:
    """R-CP-1: a closed complaint must carry its root-cause analysis."""
    return kind == "complaint" and bool(closed) and _blank(root_cause)


def complaint_needs_cause(kind: str | None, closed: bool, cause_id) -> bool:
    """R-CP-6: a closed complaint must carry its structured cause, so that
    causes can be grouped (the problem type proposes one)."""
    return kind == "complaint" and bool(closed) and not cause_id


def customer_side(direction: str | None) -> str:
    """Whose ticket a parcel's chase is: the sender of a parcel sent by us,
    the receiver of a parcel delivered by us (R-PP-2 / R-PP-3)."""
    return "sender" if direction == "outbound" else "receiver"


_CENT = Decimal("0.01")


def _money(value: object) -> Decimal:
    if value in (None, False, ""):
        return Decimal(0)
    amount = Decimal(str(value))
    if amount < 0:
        raise ValueError("negative_amount")
    return amount


def propose_compensation(
    *,
    insured: bool,
    insured_amount: object = 0,
    declared_value: object = 0,
    actual_loss: object = 0,
    freight: object = 0,
    partial: bool = False,
    multiple: object = DEFAULT_UNINSURED_MULTIPLE,
    cap_waived: bool = False,
) -> tuple[Decimal, str]:
    """The amount a rule proposes for a lost / damaged parcel, and why.

    Returns ``(amount, basis)`` with ``basis`` one of ``insured_total``,
    ``insured_partial``, ``uninsured_actual`` (loss below the cap or cap
    waived) and ``uninsured_capped``. Amounts are rounded to the cent.

    - Insured, lost or wholly destroyed: the insured amount.
    - Insured, partial damage / missing contents: insured amount / full
      (declared) value x actual loss, never more than the insured amount.
    - Uninsured: the actual loss, capped at ``multiple`` x freight unless the
      cap is waived (intentional damage, gross negligence: Art. 47).

    Raises ``ValueError`` with a code for amounts that make no sense:
    ``negative_amount``, ``declared_value_required`` (partial insured loss
    without the full value).
    """
    insured_amount = _money(insured_amount)
    declared = _money(declared_value)
    loss = _money(actual_loss)
    freight = _money(freight)
    multiple = _money(multiple)
    if insured:
        if not partial:
            return insured_amount.quantize(_CENT, ROUND_HALF_UP), "insured_total"
        if declared <= 0:
            raise ValueError("declared_value_required")
        amount = min(insured_amount, insured_amount / declared * loss)
        return amount.quantize(_CENT, ROUND_HALF_UP), "insured_partial"
    cap = multiple * freight
    if cap_waived or loss <= cap:
        return loss.quantize(_CENT, ROUND_HALF_UP), "uninsured_actual"
    return cap.quantize(_CENT, ROUND_HALF_UP), "uninsured_capped"


def approval_amount(claimed: object, proposed: object) -> Decimal:
    """What a supervisor approves: the amount claimed when one was entered,
    else the amount proposed by rule (:func:`propose_compensation`)."""
    claimed = _money(claimed)
    return claimed if claimed > 0 else _money(proposed)
