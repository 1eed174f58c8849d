# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tracking events: status normalisation, ordering and current state (R-WB-3).

R-WB-3: the agent reads the parcel's flow (快件流程), each scan event with its
time, place, event and operator. Events arrive out of order and duplicated from
several sources (manual entry, file import, carrier push, carrier pull); the
timeline and the current status must be the same whatever the arrival order,
and a replayed feed must add nothing. This module provides the pieces:

* :func:`resolve_status` turns a carrier status (our own state code, a
  Kuaidi100 state code, an AfterShip tag or subtag, a Chinese status word or
  a Chinese trace text) into one of :data:`STATES` plus, for deliveries, how
  the parcel was signed (:data:`SIGNED_BY`).
* :func:`dedup_key` gives the same key to the same event whatever its source,
  so a replayed feed adds nothing.
* :func:`event_order_key` / :func:`derive_state` order events totally, so the
  current state does not depend on arrival order.
* :func:`parse_event_time` and :func:`normalize_row` validate one incoming row
  (file import, manual entry, carrier payload flattened by the caller).

Codes and parameters only, never translated text: :class:`TrackingError`
carries one of :data:`REJECTION_CODES` and its parameters; the ORM layer turns
them into translated messages.

Mapping decisions (REFERENCE.md section 5; the table 5.5 is a suggestion):

* ``signed_by`` is only asserted when the source says it. A bare "signed"
  (Kuaidi100 ``3`` 签收, AfterShip ``Delivered`` / ``Delivered_001``, the words
  签收 / 已签收) gives ``delivered`` with ``signed_by=None`` (unknown): claiming
  an addressee signature would hide exactly the cases R-PP-8 is about (left
  with a doorman, a neighbour or a station). Only 本人签收 / Kuaidi100 ``301`` /
  AfterShip ``Delivered_003`` (signed by customer) say ``"addressee"``. A trace
  text adds evidence: "已签收,签收人是:门卫" is ``"proxy"``, "签收人:本人" is
  ``"addressee"`` (see :data:`SIGNER_HINTS`).
* Locker / station (REFERENCE.md 6.3: since 1 March 2024 a courier may not use
  a locker or a station without the user's consent, so it is never folded into
  ``"addressee"``). Kuaidi100 semantics are kept exactly: ``501`` 投柜或驿站 is a
  sub-state of ``5`` 派件, so it is ``out_for_delivery`` with
  ``signed_by="locker"`` (the parcel waits in a locker or station; it is not
  delivered yet and :func:`derive_state` reports ``signed_by`` only for
  ``delivered``), while ``304`` 投柜或站签收 is a sub-state of ``3`` 签收:
  ``delivered`` / ``"locker"``. AfterShip ``AvailableForPickup`` ("arrived at
  a pickup point") is read like ``501``; ``Delivered_002`` ("picked up by the
  customer" at a pickup point) like ``304``. In trace texts a station or locker
  word together with a signing word ("快件已被 菜鸟驿站 代收", "已放入丰巢柜,
  已签收") is ``delivered`` / ``"locker"`` (the station, not a person, took the
  parcel: station beats proxy); a station or locker word alone ("已放入快递柜")
  is ``out_for_delivery`` / ``"locker"``. 代收点 (collection point) is a station.
* ``302`` 派件异常后签收 is ``delivered`` / ``"after_exception"``; ``303`` 代签 is
  ``"proxy"``; AfterShip ``Delivered_005`` (delivered to neighbour) is
  ``"proxy"``.
* Kuaidi100 ``4`` 退签 and ``401`` 已销单 are ``returned`` (401 is a sub-state of
  4 in Kuaidi100; we have no "cancelled" state); ``6`` 退回 is ``returning``;
  ``7`` 转投 and the customs states ``8``, ``10``..``12`` are ``in_transit``;
  ``13`` 清关异常, ``2`` 疑难 and ``14`` 拒签 are ``exception``. Unknown numeric
  codes (e.g. the unverified 200-series) are NOT guessed: they do not resolve.
* AfterShip ``AttemptFail*`` and ``Exception*`` are ``exception`` except
  ``Exception_010`` (returning), ``Exception_011`` (returned) and
  ``Exception_013`` (lost); ``Expired`` (no information for 30 days) is
  ``exception`` (a stale parcel is a problem parcel, R-PP-5 / R-PP-6);
  ``InTransit_002`` (acceptance scan) is ``picked_up``; ``Pending*`` and
  ``InfoReceived*`` are ``created``.
* Kuaidi100 ``1001`` 到达派件城市 is ``in_transit`` (the city, not yet the
  delivering station); 到达派件网点 is ``at_station``.

The mapping is data (:data:`DEFAULT_STATUS_MAP`, rows from
:func:`iter_default_mappings`) that the ORM layer copies into a table an
administrator edits; :func:`resolve_status` takes that table as ``mapping``.
"""

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from json.encoder import encode_basestring as _encode_string
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .text import shown, storable
from .waybill import MAX_LENGTH, MIN_LENGTH, normalize_number, validate_number

__all__ = [
    "DEFAULT_STATUS_MAP",
    "EARLIEST_EVENT_TIME",
    "EXACT_ONLY_WORDS",
    "KEYWORD_PRIORITY",
    "MAX_LENGTHS",
    "REJECTION_CODES",
    "ROW_FIELDS",
    "SIGNED_BY",
    "SIGNER_HINTS",
    "SOURCES",
    "STATES",
    "STATE_RANK",
    "DerivedState",
    "IngestRow",
    "RowBatch",
    "StatusResolution",
    "StatusTable",
    "TrackingError",
    "copy_text",
    "courier_code",
    "dedup_key",
    "derive_state",
    "event_order_key",
    "iter_default_mappings",
    "normalize_row",
    "parse_event_time",
    "resolve_status",
]

#: Our tracking states, in lifecycle order. ``at_station``: arrived at the
#: station (网点) that delivers the parcel.
STATES = (
    "created",
    "picked_up",
    "in_transit",
    "at_station",
    "out_for_delivery",
    "delivered",
    "exception",
    "returning",
    "returned",
    "lost",
)

#: Tie-break between events with the same timestamp: the later stage wins.
#: ``exception`` ranks below ``delivered`` (a parcel signed in the same second
#: as an exception scan is signed) and above ``out_for_delivery``.
STATE_RANK: dict[str, int] = {
    "created": 0,
    "picked_up": 1,
    "in_transit": 2,
    "at_station": 3,
    "out_for_delivery": 4,
    "exception": 5,
    "delivered": 6,
    "returning": 7,
    "returned": 8,
    "lost": 9,
}

#: How a delivered parcel was signed: by the addressee (本人签收), by a proxy
#: (代签: doorman, neighbour, property office, front desk), via a locker or a
#: station (投柜或驿站), or after a delivery exception (派件异常后签收).
#: On an ``out_for_delivery`` event, ``"locker"`` means "waiting in a locker or
#: station" (Kuaidi100 501).
SIGNED_BY = ("addressee", "proxy", "locker", "after_exception")

#: Values of :attr:`StatusResolution.source` and first element of the keys of
#: :data:`DEFAULT_STATUS_MAP`.
SOURCES = ("state", "kuaidi100", "aftership", "word")

#: Fields of an incoming row (:func:`normalize_row`); any other key is rejected.
ROW_FIELDS = (
    "waybill",
    "courier",
    "time",
    "place",
    "status",
    "description",
    "operator",
    "operator_phone",
)

#: Maximum length (characters, after stripping) of the text fields of a row.
MAX_LENGTHS = {
    "status": 64,
    "place": 128,
    "description": 1024,
    "operator": 64,
    "operator_phone": 32,
}

#: Codes of :class:`TrackingError`. ``timezone`` is a configuration error
#: (unknown ``tz_name``), the others reject one row. Parameters:
#: ``unknown_field``/``type``/``too_long``: ``field`` (``too_long`` also
#: ``max``; ``text_invalid``: a NUL or lone surrogate, also ``field``);
#: ``waybill_invalid``: ``reason`` (a ``waybill.VALIDATION_CODES`` generic
#: code); ``courier_invalid``/``time``/``time_future``/``time_past``: ``value``;
#: ``status``: ``status``; ``timezone``: ``tz_name``.
REJECTION_CODES = (
    "not_a_dict",
    "unknown_field",
    "type",
    "waybill_missing",
    "waybill_invalid",
    "courier_invalid",
    "time",
    "time_future",
    "status_missing",
    "status",
    "too_long",
    "text_invalid",
    "time_past",
    "timezone",
)


class TrackingError(ValueError):
    """A rejected tracking input: ``code`` (see :data:`REJECTION_CODES`) and
    ``params`` for the translated message built by the ORM layer."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        return f"{self.code} {self.params!r}"


# ---------------------------------------------------------------------------
# Status mapping
# ---------------------------------------------------------------------------

_D = "delivered"
_E = "exception"
_T = "in_transit"
_O = "out_for_delivery"

_KUAIDI100: dict[str, tuple[str, str | None]] = {
    # Basic states (REFERENCE.md 5.1).
    "0": (_T, None),  # 在途
    "1": ("picked_up", None),  # 揽收
    "2": (_E, None),  # 疑难
    "3": (_D, None),  # 签收: who signed is not said
    "4": ("returned", None),  # 退签
    "5": (_O, None),  # 派件
    "6": ("returning", None),  # 退回
    "7": (_T, None),  # 转投: handed to another carrier
    "8": (_T, None),  # 清关
    "10": (_T, None),  # 待清关
    "11": (_T, None),  # 清关中
    "12": (_T, None),  # 已清关
    "13": (_E, None),  # 清关异常
    "14": (_E, None),  # 拒签
    # Advanced states (resultv2=4), parent in the comment.
    "101": ("created", None),  # 1: 已下单
    "102": ("created", None),  # 1: 待揽收
    "103": ("picked_up", None),  # 1: 已揽收
    "1001": (_T, None),  # 0: 到达派件城市
    "1002": (_T, None),  # 0: 干线
    "1003": (_T, None),  # 0: 转递 (re-routed)
    "501": (_O, "locker"),  # 5: 投柜或驿站 (waiting there, not signed)
    "301": (_D, "addressee"),  # 3: 本人签收
    "302": (_D, "after_exception"),  # 3: 派件异常后签收
    "303": (_D, "proxy"),  # 3: 代签
    "304": (_D, "locker"),  # 3: 投柜或站签收
    "401": ("returned", None),  # 4: 已销单
}

_AFTERSHIP: dict[str, tuple[str, str | None]] = {
    # Tags (REFERENCE.md 5.3).
    "Pending": ("created", None),
    "InfoReceived": ("created", None),
    "InTransit": (_T, None),
    "OutForDelivery": (_O, None),
    "AttemptFail": (_E, None),
    "Delivered": (_D, None),
    "AvailableForPickup": (_O, "locker"),
    "Exception": (_E, None),
    "Expired": (_E, None),
    # Subtags.
    "Pending_001": ("created", None),
    "Pending_002": ("created", None),  # carrier account not connected
    "Pending_003": ("created", None),  # label created
    "InfoReceived_001": ("created", None),
    "InTransit_001": (_T, None),
    "InTransit_002": ("picked_up", None),  # acceptance scan
    "InTransit_003": (_T, None),
    "InTransit_004": (_T, None),
    "InTransit_005": (_T, None),
    "InTransit_006": (_T, None),
    "InTransit_007": (_T, None),
    "InTransit_008": (_T, None),  # problem resolved
    "InTransit_009": (_T, None),  # forwarded to another address
    "OutForDelivery_001": (_O, None),
    "OutForDelivery_003": (_O, None),
    "OutForDelivery_004": (_O, None),
    "AttemptFail_001": (_E, None),
    "AttemptFail_002": (_E, None),
    "AttemptFail_003": (_E, None),
    "Delivered_001": (_D, None),
    "Delivered_002": (_D, "locker"),  # picked up by the customer
    "Delivered_003": (_D, "addressee"),  # signed by customer
    "Delivered_004": (_D, None),  # cash on delivery received
    "Delivered_005": (_D, "proxy"),  # delivered to neighbour
    "AvailableForPickup_001": (_O, "locker"),
    "Exception_001": (_E, None),
    "Exception_002": (_E, None),
    "Exception_003": (_E, None),  # refused
    "Exception_004": (_E, None),
    "Exception_005": (_E, None),
    "Exception_006": (_E, None),
    "Exception_007": (_E, None),
    "Exception_008": (_E, None),
    "Exception_009": (_E, None),
    "Exception_010": ("returning", None),
    "Exception_011": ("returned", None),
    "Exception_012": (_E, None),  # damaged
    "Exception_013": ("lost", None),
    "Exception_016": (_E, None),
    "Exception_017": (_E, None),
    "Exception_018": (_E, None),
    "Expired_001": (_E, None),
}

_LOCKER_WORDS = (
    "投柜或驿站",
    "快递柜",
    "快件柜",
    "快件箱",
    "智能柜",
    "自提柜",
    "丰巢",
    "驿站",
    "代收点",
    "自提点",
    "服务站",
    "投柜",
    "入柜",
)

_WORDS: dict[str, tuple[str, str | None]] = {
    # created
    "已下单": ("created", None),
    "待揽收": ("created", None),
    "待揽件": ("created", None),
    # picked_up
    "已揽收": ("picked_up", None),
    "揽收": ("picked_up", None),
    "已揽件": ("picked_up", None),
    "揽件": ("picked_up", None),
    "收件": ("picked_up", None),
    "已收件": ("picked_up", None),
    # in_transit
    "运输中": (_T, None),
    "在途": (_T, None),
    "发往": (_T, None),
    "到达": (_T, None),
    "离开": (_T, None),
    "转运": (_T, None),
    "干线": (_T, None),
    "发出": (_T, None),
    "中转": (_T, None),
    "转递": (_T, None),
    "转投": (_T, None),
    "转单": (_T, None),
    "到达派件城市": (_T, None),
    "清关": (_T, None),
    "待清关": (_T, None),
    "清关中": (_T, None),
    "已清关": (_T, None),
    # at_station
    "到达派件网点": ("at_station", None),
    "到达派送网点": ("at_station", None),
    "到达网点": ("at_station", None),
    "派件网点": ("at_station", None),
    # out_for_delivery
    "派送中": (_O, None),
    "派件中": (_O, None),
    "正在派件": (_O, None),
    "正在派送": (_O, None),
    "派送": (_O, None),
    "派件": (_O, None),
    # waiting in a locker / station (Kuaidi100 501)
    **dict.fromkeys(_LOCKER_WORDS, (_O, "locker")),
    "已放入快递柜": (_O, "locker"),
    # delivered
    "签收": (_D, None),
    "已签收": (_D, None),
    "妥投": (_D, None),
    "本人签收": (_D, "addressee"),
    "代签": (_D, "proxy"),
    "代收": (_D, "proxy"),
    "已代收": (_D, "proxy"),
    "投柜或站签收": (_D, "locker"),
    "派件异常后签收": (_D, "after_exception"),
    "异常后签收": (_D, "after_exception"),
    # exception
    "疑难": (_E, None),
    "问题件": (_E, None),
    "异常": (_E, None),
    "清关异常": (_E, None),
    "拒收": (_E, None),
    "拒签": (_E, None),
    "未签收": (_E, None),
    # returning / returned / lost
    "退回": ("returning", None),
    "退件": ("returning", None),
    "返回": ("returning", None),
    "退签": ("returned", None),
    "已退回": ("returned", None),
    "已销单": ("returned", None),
    "丢失": ("lost", None),
    "遗失": ("lost", None),
    "丢件": ("lost", None),
}

#: Default status table, keyed by ``(source, code)``; values are
#: ``(state, signed_by)``. Sources: ``"state"`` (our own codes),
#: ``"kuaidi100"`` (numeric codes as decimal strings without leading zeros),
#: ``"aftership"`` (tags and subtags as AfterShip spells them; looked up
#: case-insensitively), ``"word"`` (Chinese status words, exact match, and the
#: keywords of :data:`KEYWORD_PRIORITY` for trace texts).
DEFAULT_STATUS_MAP: dict[tuple[str, str], tuple[str, str | None]] = {
    **{("state", state): (state, None) for state in STATES},
    **{("kuaidi100", code): value for code, value in _KUAIDI100.items()},
    **{("aftership", code): value for code, value in _AFTERSHIP.items()},
    **{("word", word): value for word, value in _WORDS.items()},
}

#: Keywords looked for inside a longer text (a trace line such as
#: "快件已由前台代签"), by decreasing priority: the first keyword the text
#: contains decides, through its ``("word", keyword)`` entry of the mapping.
#: Then, for ``delivered``, :data:`SIGNER_HINTS` refine ``signed_by``.
#: The order encodes:
#:
#: 1. lost (丢失 ...) beats everything;
#: 2. returned (退签, 已退回, 已销单) beats returning and 签收 (退签 contains 签);
#: 3. returning (退回, 退件, 返回) beats exception and delivery ("拒收, 退回中");
#: 4. 派件异常后签收 / 异常后签收 beat both 异常 and 签收;
#: 5. exception (拒签, 拒收, 未签收, 疑难, 问题件, 异常) beats 签收;
#: 6. delivered (本人签收, 投柜或站签收, 代签, 代收, 已签收, 签收, 妥投) beats
#:    the locker words and every earlier stage; 代签 / 代收 beat 签收;
#: 7. locker / station words alone: ``out_for_delivery`` / ``"locker"``;
#: 8. 到达派件城市 (in transit) beats 派件, which it contains;
#: 9. explicit delivery rounds (派送中, 派件中, 正在派件, 正在派送) beat the
#:    station words ("【福田派件网点】派件员正在派件" is out for delivery);
#: 10. at_station (到达派件网点, 到达派送网点, 到达网点, 派件网点) beats the bare
#:     派送 / 派件 and 到达, which it contains; then bare 派送, 派件;
#: 11. created (待揽收, 已下单) beats 揽收, which 待揽收 contains;
#: 12. picked_up (已揽收, 揽收, 揽件, 已收件) beats in transit: a pickup line
#:     usually says where it goes next ("已揽收, 准备发往深圳转运中心");
#: 13. in transit (运输中, 在途, 转运, 发往, 到达, 离开, 干线, 中转, 发出 ...).
#:
#: The bare word 收件 is matched exactly only: inside a text it is mostly
#: 收件人 (the consignee), see :data:`EXACT_ONLY_WORDS`. Before matching, the
#: text is NFKC-normalised, its whitespace removed and the phrases that
#: announce a signature without being one (待签收, 等待签收, 准备签收, 注意签收)
#: removed; 代收 followed by 点 (代收点, a collection point: a station), 款 or 货
#: (代收货款, cash on delivery) does not count as 代收.
#: Words an administrator adds to the mapping and that are not listed here
#: are tried after this list, longest first.
KEYWORD_PRIORITY = (
    "丢失",
    "遗失",
    "丢件",
    "退签",
    "已退回",
    "已销单",
    "退回",
    "退件",
    "返回",
    "派件异常后签收",
    "异常后签收",
    "拒签",
    "拒收",
    "未签收",
    "清关异常",
    "疑难",
    "问题件",
    "异常",
    "本人签收",
    "投柜或站签收",
    "代签",
    "已代收",
    "代收",
    "已签收",
    "签收",
    "妥投",
    "投柜或驿站",
    "已放入快递柜",
    *_LOCKER_WORDS[1:],
    "到达派件城市",
    "派送中",
    "派件中",
    "正在派件",
    "正在派送",
    "到达派件网点",
    "到达派送网点",
    "到达网点",
    "派件网点",
    "派送",
    "派件",
    "待揽收",
    "待揽件",
    "已下单",
    "已揽收",
    "已揽件",
    "揽收",
    "揽件",
    "已收件",
    "运输中",
    "在途",
    "转运",
    "发往",
    "到达",
    "离开",
    "干线",
    "中转",
    "转递",
    "转投",
    "转单",
    "发出",
    "已清关",
    "清关中",
    "待清关",
    "清关",
)

#: Evidence of who signed, looked for in a trace text once its state is
#: ``delivered`` (unless the keyword said ``after_exception``). First group
#: found wins: a station or locker beats a person ("菜鸟驿站 代收" is
#: ``"locker"``), a proxy beats 本人 ("本人不在, 门卫代收" is ``"proxy"``).
SIGNER_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("locker", _LOCKER_WORDS),
    (
        "proxy",
        (
            "代签",
            "代收",
            "门卫",
            "前台",
            "物业",
            "邻居",
            "收发室",
            "传达室",
            "保安",
            "家人",
            "同事",
            "他人",
        ),
    ),
    ("addressee", ("本人",)),
)

#: Words of the mapping matched exactly only, never inside a text: 收件
#: (picked up) mostly appears in texts as 收件人 (the consignee).
EXACT_ONLY_WORDS = frozenset({"收件"})

_NEUTRAL_PHRASES = ("等待签收", "准备签收", "注意签收", "待签收")
# A keyword followed by one of these characters does not count: 代收点 is a
# collection point (a station), 代收款 / 代收货款 is cash on delivery.
_NOT_FOLLOWED_BY = {"代收": frozenset("点款货")}
_KEYWORD_SET = frozenset(KEYWORD_PRIORITY) | EXACT_ONLY_WORDS


def _occurs(text: str, keyword: str) -> bool:
    excluded = _NOT_FOLLOWED_BY.get(keyword)
    if excluded is None:
        return keyword in text
    start = text.find(keyword)
    while start >= 0:
        end = start + len(keyword)
        if end == len(text) or text[end] not in excluded:
            return True
        start = text.find(keyword, start + 1)
    return False


def iter_default_mappings() -> Iterator[tuple[str, str, str, str | None]]:
    """Yield the rows ``(source, code, state, signed_by)`` of
    :data:`DEFAULT_STATUS_MAP`, for the ORM layer's editable table."""
    for (source, code), (state, signed_by) in DEFAULT_STATUS_MAP.items():
        yield source, code, state, signed_by


@dataclass(frozen=True)
class StatusResolution:
    """A resolved status: ``state`` (one of :data:`STATES`), ``signed_by``
    (one of :data:`SIGNED_BY` or ``None``), the ``source`` of the match (one
    of :data:`SOURCES`) and the matched ``code`` as spelled in the mapping
    (for a trace text: the keyword that decided)."""

    state: str
    signed_by: str | None
    source: str
    code: str


def _folded(mapping: Mapping, source: str) -> dict[str, tuple[str, str]]:
    return {
        code.casefold(): (code, value)
        for (src, code), value in mapping.items()
        if src == source and isinstance(code, str)
    }


def _extra_words(words: Mapping) -> list[str]:
    """Words of the mapping that are not keywords of :data:`KEYWORD_PRIORITY`,
    longest first: tried after the list by :func:`_resolve_text`."""
    return sorted(
        (word for word in words if word and word not in _KEYWORD_SET),
        key=lambda word: (-len(word), word),
    )


class StatusTable:
    """A status mapping (shape of :data:`DEFAULT_STATUS_MAP`) prepared once
    for many :func:`resolve_status` calls, e.g. a batch of rows (R-WB-3).

    :func:`resolve_status` gives exactly the same result with the table as
    with the mapping it was built from; the table only saves rebuilding the
    per-source lookups for every status. It is a snapshot: build a new one
    when the mapping changes.
    """

    __slots__ = ("aftership", "extra", "kuaidi100", "state", "words")

    def __init__(self, mapping: Mapping | None = None) -> None:
        if mapping is None:
            mapping = DEFAULT_STATUS_MAP
        self.state = _folded(mapping, "state")
        self.aftership = _folded(mapping, "aftership")
        self.kuaidi100 = {
            code: value for (src, code), value in mapping.items() if src == "kuaidi100"
        }
        self.words = {
            code: value for (src, code), value in mapping.items() if src == "word"
        }
        self.extra = _extra_words(self.words)


def _signer_hint(text: str) -> str | None:
    for signed_by, hints in SIGNER_HINTS:
        if any(_occurs(text, hint) for hint in hints):
            return signed_by
    return None


def _resolve_text(
    text: str, words: Mapping, extra: list[str] | None = None
) -> StatusResolution | None:
    for phrase in _NEUTRAL_PHRASES:
        text = text.replace(phrase, "|")
    if extra is None:
        extra = _extra_words(words)
    for keyword in (*KEYWORD_PRIORITY, *extra):
        if keyword not in words or not _occurs(text, keyword):
            continue
        state, signed_by = words[keyword]
        if state == "delivered" and signed_by != "after_exception":
            signed_by = _signer_hint(text) or signed_by
        return StatusResolution(state, signed_by, "word", keyword)
    return None


def resolve_status(
    status: object, mapping: "Mapping | StatusTable | None" = None
) -> StatusResolution | None:
    """Resolve a carrier status to a :class:`StatusResolution` (R-WB-3).

    ``status`` is stripped, then tried, first match wins:

    1. our own state code (``"delivered"``), case-insensitively;
    2. a Kuaidi100 numeric code (ASCII digits, leading zeros ignored);
    3. an AfterShip tag or subtag, case-insensitively (``"intransit"``);
    4. a Chinese status word, exactly (after NFKC and whitespace collapse);
    5. a keyword contained in a longer text, by :data:`KEYWORD_PRIORITY`,
       then :data:`SIGNER_HINTS` for ``delivered``.

    Return ``None`` when nothing matches (the caller rejects the row with
    code ``"status"``); unknown numeric codes are never guessed. ``mapping``
    has the shape of :data:`DEFAULT_STATUS_MAP` (the default), or is a
    :class:`StatusTable` built from such a mapping (same result, faster for
    many statuses).
    """
    if not isinstance(status, str):
        return None
    table = mapping if isinstance(mapping, StatusTable) else StatusTable(mapping)
    text = " ".join(unicodedata.normalize("NFKC", status).split())
    if not text:
        return None
    folded = text.casefold()
    found = table.state.get(folded)
    if found is None and text.isascii() and text.isdigit():
        code = str(int(text))
        if code not in table.kuaidi100:
            return None
        return StatusResolution(*table.kuaidi100[code], "kuaidi100", code)
    source = "state"
    if found is None:
        found, source = table.aftership.get(folded), "aftership"
    if found is not None:
        code, (state, signed_by) = found
        return StatusResolution(state, signed_by, source, code)
    words = table.words
    if text in words:
        return StatusResolution(*words[text], "word", text)
    return _resolve_text("".join(text.split()), words, table.extra)


# ---------------------------------------------------------------------------
# Events: dedup key, ordering, derived state
# ---------------------------------------------------------------------------


def _collapse(value: object) -> str:
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


def _utc_naive(value: datetime) -> datetime:
    # what astimezone(timezone.utc) computes, without building the aware
    # UTC datetime: minus the offset (None when naive)
    offset = value.utcoffset()
    if offset is not None:
        value = value - offset
    return value.replace(tzinfo=None)


# json.dumps(payload, ensure_ascii=False, separators=(",", ":")), without
# building an encoder per key
_KEY_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dedup_key(
    waybill_number: str,
    courier_code: str | None,
    time_utc: datetime,
    state: str,
    place: str | None,
    description: str | None,
) -> str:
    """Return the deduplication key of an event (R-WB-3: a replayed feed adds
    nothing).

    SHA-1 (40 lower-case hex digits) of a JSON array, so that no choice of
    field contents can make two different events serialise alike:
    ``["v1", number, courier, time, state, place, description]`` where the
    number is normalised (:func:`waybill.normalize_number`), the courier code
    upper-cased (``None`` -> ``""``), the time is naive UTC (an aware datetime
    is converted) in ISO format to the second, and place and description are
    NFKC-normalised with whitespace collapsed (``None`` -> ``""``). Operator
    and status text are not part of the key: the same event reported by two
    sources (one with the operator, one without; "签收" vs "3") has the same
    key.
    """
    moment = _utc_naive(time_utc).replace(microsecond=0)
    payload = [
        "v1",
        normalize_number(waybill_number),
        (courier_code or "").strip().upper(),
        moment.isoformat(timespec="seconds"),
        state,
        _collapse(place),
        _collapse(description),
    ]
    text = _KEY_ENCODER.encode(payload)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _get(event: object, name: str) -> object:
    if isinstance(event, Mapping):
        return event.get(name)
    return getattr(event, name, None)


def event_order_key(event: object) -> tuple[datetime, int, str]:
    """Sort key of an event: ``(time, STATE_RANK[state], dedup_key)`` (R-WB-3).

    ``event`` is a mapping or an object with ``time`` (naive UTC datetime),
    ``state`` and ``dedup_key``. This is the order of the Odoo layer's
    ``ORDER BY event_time DESC, state_rank DESC, dedup_key DESC`` (reversed):
    keep both the same. ``dedup_key`` is lower-case hex of fixed length, so
    every collation orders it like Python does (``COLLATE "C"`` is safest).
    """
    return (
        _get(event, "time"),
        STATE_RANK[_get(event, "state")],
        _get(event, "dedup_key"),
    )


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
            _get(event, "signed_by") or "",
            _get(event, "place") or "",
        ),
    )
    state = _get(last, "state")
    scans = [
        _get(event, "time") for event in events if _get(event, "state") != "created"
    ]
    arrivals = [_get(e, "time") for e in events if _get(e, "state") == "at_station"]
    if not arrivals:
        arrivals = [
            min(
                (_get(e, "time") for e in events if _get(e, "state") in ARRIVED_STATES),
                default=None,
            )
        ]
    return DerivedState(
        state=state,
        signed_by=_get(last, "signed_by") if state == "delivered" else None,
        last_event_time=_get(last, "time"),
        last_event_place=_get(last, "place"),
        first_scan_time=min(scans) if scans else None,
        arrival_time=max((t for t in arrivals if t is not None), default=None),
    )


# ---------------------------------------------------------------------------
# Incoming rows
# ---------------------------------------------------------------------------

_TIME = re.compile(
    r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})"
    r"(?:[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII | re.IGNORECASE,
)
_FUTURE_TOLERANCE = timedelta(days=1)
#: Default earliest plausible event time (naive UTC, R-WB-3): a scan dated
#: before it is a sender's bug (year 1, a unix 0), not a parcel's history.
EARLIEST_EVENT_TIME = datetime(1990, 1, 1)


def _zone(tz_name: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise TrackingError("timezone", tz_name=tz_name) from exc


def _parse_text_time(text: str) -> datetime | None:
    match = _TIME.fullmatch(text.strip())
    if not match:
        return None
    year, _sep, month, day, hour, minute, second, fraction, offset = match.groups()
    tzinfo = None
    if offset:
        if offset.upper() == "Z":
            tzinfo = timezone.utc
        else:
            digits = offset[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:] or 0)
            if hours > 23 or minutes > 59:
                return None
            delta = timedelta(hours=hours, minutes=minutes)
            tzinfo = timezone(-delta if offset[0] == "-" else delta)
    try:
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
            tzinfo=tzinfo,
        )
    except ValueError:
        return None


def parse_event_time(
    value: object,
    tz_name: str,
    now: datetime | None = None,
    earliest: datetime | None = None,
) -> datetime:
    """Parse an event time into a naive UTC datetime, to the second (R-WB-3).

    Accepted: ISO 8601 with an offset or ``Z`` (``2026-11-11T08:30:00+08:00``);
    a naive date-time, seconds and fraction optional, date separated by ``-``,
    ``/`` or ``.`` and time by ``T`` or a space (``2026-11-11 08:30:00``,
    ``2026-11-11T08:30``, ``2026/11/11 08:30:00``), read in ``tz_name``; a
    ``datetime``, aware (converted) or naive (read in ``tz_name``, like a
    spreadsheet cell). A date without a time of day is rejected: it cannot be
    ordered against the day's scans. A naive time falling in a DST gap or
    overlap takes the first offset (``fold=0``). Microseconds are dropped
    (Odoo stores seconds).

    Raise ``TrackingError("time", value=...)`` on anything else and
    ``TrackingError("time_future", value=...)`` when the time is more than one
    day after ``now`` (naive UTC or aware; default: the current time);
    ``TrackingError("time_past", value=...)`` when it is before ``earliest``
    (naive UTC; default :data:`EARLIEST_EVENT_TIME`).
    ``TrackingError("timezone")`` when ``tz_name`` is unknown.
    """
    zone = _zone(tz_name)
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        parsed = _parse_text_time(value)
    else:
        parsed = None
    if parsed is None:
        raise TrackingError("time", value=value)
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=zone)
    try:
        result = _utc_naive(parsed).replace(microsecond=0)
    except (OverflowError, ValueError) as exc:
        raise TrackingError("time", value=value) from exc
    current = (
        _utc_naive(now) if now is not None else _utc_naive(datetime.now(timezone.utc))
    )
    if result - current > _FUTURE_TOLERANCE:
        raise TrackingError("time_future", value=value)
    if result < (EARLIEST_EVENT_TIME if earliest is None else earliest):
        raise TrackingError("time_past", value=value)
    return result


@dataclass(frozen=True)
class IngestRow:
    """A validated incoming tracking row (:func:`normalize_row`).

    ``number`` is normalised, ``courier_code`` upper-case or ``None`` (the ORM
    may infer it from the number), ``time`` naive UTC, ``state`` and
    ``signed_by`` from :func:`resolve_status`, ``status_raw`` the stripped
    status as received; text fields are stripped (``""`` when absent).
    """

    number: str
    courier_code: str | None
    time: datetime
    state: str
    signed_by: str | None
    status_raw: str
    place: str
    description: str
    operator: str
    operator_phone: str

    def key_for(self, courier_code: str | None) -> str:
        """Return the :func:`dedup_key` of this row for ``courier_code``."""
        return dedup_key(
            self.number,
            courier_code,
            self.time,
            self.state,
            self.place,
            self.description,
        )


_COURIER = re.compile(r"[A-Z0-9_]{1,16}", re.ASCII)


def _text(row: Mapping, field: str) -> str:
    value = row.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TrackingError("type", field=field)
    if not storable(value):
        raise TrackingError("text_invalid", field=field)
    value = value.strip()
    if len(value) > MAX_LENGTHS[field]:
        raise TrackingError("too_long", field=field, max=MAX_LENGTHS[field])
    return value


def _row_number(raw_number: object) -> str:
    """The normalised waybill number of a row, or :class:`TrackingError`
    (``type``, ``waybill_missing``, ``waybill_invalid``)."""
    if raw_number is not None and not isinstance(raw_number, str):
        raise TrackingError("type", field="waybill")
    if raw_number is None or not raw_number.strip():
        raise TrackingError("waybill_missing")
    checked = validate_number(raw_number, ())
    if not checked.valid:
        raise TrackingError("waybill_invalid", reason=checked.code)
    return checked.number


def _row_courier(courier: object) -> str | None:
    """The upper-case courier code of a row's non-``None`` ``courier``
    (``None`` when blank), or ``TrackingError("courier_invalid")``."""
    if not isinstance(courier, str):
        raise TrackingError("courier_invalid", value=courier)
    courier_code = courier.strip().upper() or None
    if courier_code is not None and not _COURIER.fullmatch(courier_code):
        raise TrackingError("courier_invalid", value=courier)
    return courier_code


def courier_code(value: str) -> str | None:
    """The upper-case courier code ``value`` names (``" sf "`` is ``SF``), or
    ``None`` when blank or not ``[A-Z0-9_]{1,16}``."""
    try:
        return _row_courier(value)
    except TrackingError:
        return None


def normalize_row(
    row: object,
    *,
    tz_name: str,
    mapping: "Mapping | StatusTable | None" = None,
    now: datetime | None = None,
    earliest: datetime | None = None,
) -> IngestRow:
    """Validate one incoming tracking row and return an :class:`IngestRow`.

    ``row`` is a mapping whose keys are among :data:`ROW_FIELDS` (any other
    key is rejected, so that a typo in a column name is caught). Checked in
    this order, the first problem raises :class:`TrackingError`:

    * ``not_a_dict``; ``unknown_field`` (``field``);
    * ``waybill``: ``type`` unless a string, ``waybill_missing`` when absent
      or blank, ``waybill_invalid`` (``reason``: empty, bad_characters or
      length) on the generic checks of :func:`waybill.validate_number` (the
      per-courier rules are checked by the ORM);
    * ``courier``: optional; ``courier_invalid`` (``value``) unless a string
      matching ``[A-Z0-9_]{1,16}`` once stripped and upper-cased;
    * ``time``: ``time`` (also when missing) / ``time_future`` /
      ``time_past`` (:func:`parse_event_time` in ``tz_name``, before
      ``earliest``);
    * ``status``: ``type``, ``status_missing`` when absent or blank,
      ``too_long``, ``status`` (``status``) when :func:`resolve_status`
      finds nothing in ``mapping`` (a mapping or a :class:`StatusTable`);
    * ``place``, ``description``, ``operator``, ``operator_phone``: ``type``
      unless a string or ``None``, ``too_long`` (``field``, ``max``) beyond
      :data:`MAX_LENGTHS` (after stripping);
    * any text field (``status`` included): ``text_invalid`` (``field``) when
      it holds a NUL character or a lone surrogate, which PostgreSQL cannot
      store (:func:`text.storable`).
    """
    if not isinstance(row, Mapping):
        raise TrackingError("not_a_dict")
    for field in row:
        if field not in ROW_FIELDS:
            raise TrackingError("unknown_field", field=shown(field))

    number = _row_number(row.get("waybill"))
    courier = row.get("courier")
    courier_code = _row_courier(courier) if courier is not None else None

    raw_time = row.get("time")
    if raw_time is None or (isinstance(raw_time, str) and not raw_time.strip()):
        raise TrackingError("time", value=raw_time)
    time = parse_event_time(raw_time, tz_name, now, earliest)

    status = row.get("status")
    if status is not None and not isinstance(status, str):
        raise TrackingError("type", field="status")
    if status is None or not status.strip():
        raise TrackingError("status_missing")
    status = _text(row, "status")
    resolution = resolve_status(status, mapping)
    if resolution is None:
        raise TrackingError("status", status=status)

    return IngestRow(
        number=number,
        courier_code=courier_code,
        time=time,
        state=resolution.state,
        signed_by=resolution.signed_by,
        status_raw=status,
        place=_text(row, "place"),
        description=_text(row, "description"),
        operator=_text(row, "operator"),
        operator_phone=_text(row, "operator_phone"),
    )


# ---------------------------------------------------------------------------
# Batches of rows
# ---------------------------------------------------------------------------

_ROW_FIELD_SET = frozenset(ROW_FIELDS)
_TEXT_FIELDS = ("place", "description", "operator", "operator_phone")
# A waybill number that normalize_number returns as it is and that passes the
# generic checks of validate_number (characters, length): valid as it is.
_CLEAN_NUMBER = re.compile(rf"[A-Z0-9]{{{MIN_LENGTH},{MAX_LENGTH}}}", re.ASCII)
# The common ISO 8601 form with an offset (what couriers send): a subset of
# what _TIME accepts, with no surrounding space to strip.
_ISO_WITH_OFFSET = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})",
    re.ASCII,
)
_UNSET = object()


class RowBatch:
    """:func:`normalize_row` and :meth:`IngestRow.key_for` for the rows of one
    batch (R-WB-3), with what repeats in a batch computed once.

    ``batch.normalize(row)`` returns (or raises) exactly what
    ``normalize_row(row, tz_name=tz_name, mapping=mapping, now=now)`` does,
    and ``batch.key(row, courier_code)`` is ``row.key_for(courier_code)``:
    the same SHA-1 of the same JSON text. The shortcuts, each proven equal by
    the property tests of ``tests/core``:

    * the status mapping is a :class:`StatusTable` and each distinct status
      text is resolved once per batch; courier codes and the collapsed place
      and description of the key likewise;
    * a waybill number already canonical and of a valid length skips
      :func:`waybill.validate_number`;
    * a time in the form ``2026-11-11T08:30:00+08:00`` (or ``Z``) is read
      without the general pattern, its offset parsed once per batch;
    * without ``now``, the current time is read once per batch; a time that
      looks too far in the future against it is checked again against the
      time of that row (the current time only grows, so a row accepted
      against the batch's earlier time is accepted against its own too);
    * the key's JSON text is joined from the encoded strings, as the JSON
      encoder itself joins the items of a list.
    """

    def __init__(
        self,
        *,
        tz_name: str,
        mapping: "Mapping | StatusTable | None" = None,
        now: datetime | None = None,
        earliest: datetime | None = None,
    ) -> None:
        self.tz_name = tz_name
        self.earliest = EARLIEST_EVENT_TIME if earliest is None else earliest
        self.table = (
            mapping if isinstance(mapping, StatusTable) else StatusTable(mapping)
        )
        self.now = now
        self._current = (
            _utc_naive(now)
            if now is not None
            else _utc_naive(datetime.now(timezone.utc))
        )
        self._zone_ok: bool | None = None  # checked at the first time
        self._statuses: dict[str, StatusResolution | None] = {}
        self._couriers: dict[str, str | None] = {}
        self._offsets: dict[str, timedelta] = {}
        self._numbers: dict[str, str] = {}
        self._key_couriers: dict[str, str] = {}
        self._collapsed: dict[str, str] = {}

    # -- rows ---------------------------------------------------------------

    def normalize(self, row: object) -> IngestRow:
        """Same as :func:`normalize_row` with this batch's arguments."""
        if type(row) is not dict:
            return normalize_row(
                row,
                tz_name=self.tz_name,
                mapping=self.table,
                now=self.now,
                earliest=self.earliest,
            )
        for field in row:
            if field not in _ROW_FIELD_SET:
                raise TrackingError("unknown_field", field=shown(field))
        get = row.get

        raw_number = get("waybill")
        if type(raw_number) is str and _CLEAN_NUMBER.fullmatch(raw_number):
            number = raw_number
        else:
            number = _row_number(raw_number)

        courier = get("courier")
        if courier is None:
            courier_code = None
        elif type(courier) is str:
            courier_code = self._couriers.get(courier, _UNSET)
            if courier_code is _UNSET:
                courier_code = self._couriers[courier] = _row_courier(courier)
        else:
            courier_code = _row_courier(courier)

        raw_time = get("time")
        if raw_time is None or (isinstance(raw_time, str) and not raw_time.strip()):
            raise TrackingError("time", value=raw_time)
        time = self._time(raw_time)

        status = get("status")
        if status is not None and not isinstance(status, str):
            raise TrackingError("type", field="status")
        if status is None or not status.strip():
            raise TrackingError("status_missing")
        status = _text(row, "status")
        if type(status) is str:
            resolution = self._statuses.get(status, _UNSET)
            if resolution is _UNSET:
                resolution = self._statuses[status] = resolve_status(status, self.table)
        else:
            resolution = resolve_status(status, self.table)
        if resolution is None:
            raise TrackingError("status", status=status)

        texts = {field: _text(row, field) for field in _TEXT_FIELDS}

        # the frozen dataclass's __init__ sets each field through
        # object.__setattr__: filling its __dict__ at once gives the same
        # object (equality, hash, repr), faster
        result = object.__new__(IngestRow)
        vars(result).update(
            number=number,
            courier_code=courier_code,
            time=time,
            state=resolution.state,
            signed_by=resolution.signed_by,
            status_raw=status,
            place=texts["place"],
            description=texts["description"],
            operator=texts["operator"],
            operator_phone=texts["operator_phone"],
        )
        return result

    def _time(self, raw_time: object) -> datetime:
        """:func:`parse_event_time` of ``raw_time`` in this batch's zone."""
        if self._zone_ok is None:
            try:
                _zone(self.tz_name)
                self._zone_ok = True
            except TrackingError:
                self._zone_ok = False
        if not self._zone_ok:
            raise TrackingError("timezone", tz_name=self.tz_name)
        result = None
        if type(raw_time) is str:
            match = _ISO_WITH_OFFSET.fullmatch(raw_time)
            if match:
                result = self._iso_with_offset(match)
        if result is None:
            return parse_event_time(raw_time, self.tz_name, self.now, self.earliest)
        if result - self._current > _FUTURE_TOLERANCE:
            if self.now is not None:
                raise TrackingError("time_future", value=raw_time)
            # the time of this row, as parse_event_time reads it
            return parse_event_time(raw_time, self.tz_name, earliest=self.earliest)
        if result < self.earliest:
            raise TrackingError("time_past", value=raw_time)
        return result

    def _iso_with_offset(self, match: re.Match) -> datetime | None:
        """The naive UTC time of a match of ``_ISO_WITH_OFFSET``, as
        :func:`_parse_text_time` then :func:`parse_event_time` compute it;
        ``None`` for anything they would reject (the caller then asks them)."""
        year, month, day, hour, minute, second, offset = match.groups()
        delta = self._offsets.get(offset)
        if delta is None:
            if offset == "Z":
                delta = timedelta(0)
            else:
                hours, minutes = int(offset[1:3]), int(offset[4:6])
                if hours > 23 or minutes > 59:
                    return None
                delta = timedelta(hours=hours, minutes=minutes)
                if offset[0] == "-":
                    delta = -delta
            self._offsets[offset] = delta
        try:
            return (
                datetime(
                    int(year), int(month), int(day), int(hour), int(minute), int(second)
                )
                - delta
            )
        except (OverflowError, ValueError):
            return None

    # -- keys ---------------------------------------------------------------

    def key(self, row: IngestRow, courier_code: str | None) -> str:
        """Same as ``row.key_for(courier_code)``: :func:`dedup_key`."""
        number, time, state = row.number, row.time, row.state
        place, description = row.place, row.description
        if not (
            type(number) is str
            and type(time) is datetime
            and time.tzinfo is None
            and type(state) is str
            and (courier_code is None or type(courier_code) is str)
            and (place is None or type(place) is str)
            and (description is None or type(description) is str)
        ):
            return row.key_for(courier_code)
        numbers = self._numbers
        canonical = numbers.get(number)
        if canonical is None:
            canonical = numbers[number] = normalize_number(number)
        courier = courier_code or ""
        code = self._key_couriers.get(courier)
        if code is None:
            code = self._key_couriers[courier] = courier.strip().upper()
        collapsed = self._collapsed
        place = place or ""
        place_key = collapsed.get(place)
        if place_key is None:
            place_key = collapsed[place] = _collapse(place)
        description = description or ""
        description_key = collapsed.get(description)
        if description_key is None:
            description_key = collapsed[description] = _collapse(description)
        # isoformat to the second truncates the microseconds, as
        # replace(microsecond=0) does
        text = (
            '["v1",'
            + ",".join(
                map(
                    _encode_string,
                    (
                        canonical,
                        code,
                        time.isoformat(timespec="seconds"),
                        state,
                        place_key,
                        description_key,
                    ),
                )
            )
            + "]"
        )
        return hashlib.sha1(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------
# COPY text of the events
# ---------------------------------------------------------------------------

_COPY_NULL = "\\N"


def _copy_field(value: object) -> str:
    if value is None:
        return _COPY_NULL
    if not isinstance(value, str):
        return str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


def copy_text(rows: Iterable[tuple]) -> str:
    """The rows in PostgreSQL's COPY text format (one line each, fields
    separated by tabs, ``None`` as ``\\N``, backslash, tab, newline and
    carriage return escaped; other values as ``str``).

    Each line is joined at once; only a line whose values have a backslash,
    a newline, a carriage return or a tab has its fields escaped one by one:
    without those characters escaping changes nothing. (The backslashes of
    the line are those of its ``\\N``, one per ``None``, unless a value has
    some.)
    """
    lines = []
    append = lines.append
    for row in rows:
        line = "\t".join(
            [
                _COPY_NULL
                if value is None
                else value
                if isinstance(value, str)
                else str(value)
                for value in row
            ]
        )
        if (
            "\n" in line
            or "\r" in line
            or line.count("\t") != len(row) - 1
            or line.count("\\") != sum(value is None for value in row)
        ):
            line = "\t".join(map(_copy_field, row))
        append(line)
    return "\n".join(lines) + "\n" if lines else ""
