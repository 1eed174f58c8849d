# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tracking status vocabulary and its resolution (R-WB-3).

R-WB-3: the agent reads the parcel's flow (快件流程); events arrive from several
sources, each with its own status vocabulary. :func:`resolve_status` turns a
carrier status (our own state code, a Kuaidi100 state code, an AfterShip tag
or subtag, a Chinese status word or a Chinese trace text) into one of
:data:`STATES` plus, for deliveries, how the parcel was signed
(:data:`SIGNED_BY`). Event rows and keys: :mod:`.events`; the current state
of a waybill: :mod:`.state`.

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

import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

__all__ = [
    "DEFAULT_STATUS_MAP",
    "EXACT_ONLY_WORDS",
    "KEYWORD_PRIORITY",
    "SIGNED_BY",
    "SIGNER_HINTS",
    "SOURCES",
    "STATES",
    "STATE_RANK",
    "StatusResolution",
    "StatusTable",
    "iter_default_mappings",
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
