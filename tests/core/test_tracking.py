# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tests of tracking status normalisation, times, rows and keys (R-WB-3).

R-WB-3: events arrive out of order and duplicated from several sources; the
timeline and the current status must not depend on arrival order and a
replayed feed must add nothing. Status vocabularies: REFERENCE.md section 5
(Kuaidi100 5.1, AfterShip 5.3); locker / station drops kept apart from an
addressee signature (REFERENCE.md 6.3).
"""

from dataclasses import FrozenInstanceError, dataclass
from datetime import datetime, timedelta, timezone

import pytest

from logistics_followup.core import state as tracking_state
from logistics_followup.core import status as tracking_status
from logistics_followup.core.events import (
    MAX_LENGTHS,
    REJECTION_CODES,
    ROW_FIELDS,
    IngestRow,
    TrackingError,
    dedup_key,
    event_order_key,
    normalize_row,
    parse_event_time,
)
from logistics_followup.core.state import (
    DerivedState,
    derive_state,
)
from logistics_followup.core.status import (
    DEFAULT_STATUS_MAP,
    EXACT_ONLY_WORDS,
    KEYWORD_PRIORITY,
    SIGNED_BY,
    STATE_RANK,
    STATES,
    StatusResolution,
    iter_default_mappings,
    resolve_status,
)

NOW = datetime(2026, 11, 11, 12, 0, 0)
TZ = "Asia/Shanghai"

# ---------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------


def test_states_order():
    assert STATES == (
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


def test_state_rank():
    ranked = sorted(STATE_RANK, key=STATE_RANK.get)
    assert ranked == [
        "created",
        "picked_up",
        "in_transit",
        "at_station",
        "out_for_delivery",
        "exception",
        "delivered",
        "returning",
        "returned",
        "lost",
    ]
    assert sorted(STATE_RANK.values()) == list(range(10))
    assert set(STATE_RANK) == set(STATES)


def test_signed_by_values():
    assert SIGNED_BY == ("addressee", "proxy", "locker", "after_exception")


def test_row_fields_and_limits():
    assert ROW_FIELDS == (
        "waybill",
        "courier",
        "time",
        "place",
        "status",
        "description",
        "operator",
        "operator_phone",
    )
    assert MAX_LENGTHS == {
        "status": 64,
        "place": 128,
        "description": 1024,
        "operator": 64,
        "operator_phone": 32,
    }


def test_rejection_codes():
    assert set(REJECTION_CODES) == {
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
    }
    assert len(REJECTION_CODES) == len(set(REJECTION_CODES))


def test_tracking_error():
    error = TrackingError("too_long", field="place", max=128)
    assert isinstance(error, ValueError)
    assert error.code == "too_long"
    assert error.params == {"field": "place", "max": 128}
    assert "too_long" in str(error)


# ---------------------------------------------------------------------------
# Mapping data
# ---------------------------------------------------------------------------


def test_default_map_values_are_valid():
    for (source, code), (state, signed_by) in DEFAULT_STATUS_MAP.items():
        assert source in tracking_status.SOURCES, (source, code)
        assert isinstance(code, str) and code, (source, code)
        assert state in STATES, (source, code)
        assert signed_by is None or signed_by in SIGNED_BY, (source, code)


def test_iter_default_mappings_rows():
    rows = list(iter_default_mappings())
    assert len(rows) == len(DEFAULT_STATUS_MAP)
    assert {(s, c): (st, sb) for s, c, st, sb in rows} == DEFAULT_STATUS_MAP
    assert ("kuaidi100", "304", "delivered", "locker") in rows


def test_own_states_map_to_themselves():
    for state in STATES:
        assert DEFAULT_STATUS_MAP["state", state] == (state, None)


def test_every_default_word_is_prioritised_or_exact_only():
    words = {code for source, code in DEFAULT_STATUS_MAP if source == "word"}
    assert words == set(KEYWORD_PRIORITY) | EXACT_ONLY_WORDS
    assert len(KEYWORD_PRIORITY) == len(set(KEYWORD_PRIORITY))


def _index(keyword):
    return KEYWORD_PRIORITY.index(keyword)


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("代签", "签收"),
        ("代收", "签收"),
        ("退签", "签收"),
        ("拒签", "签收"),
        ("拒收", "签收"),
        ("派件异常后签收", "异常"),
        ("派件异常后签收", "签收"),
        ("到达派件网点", "到达"),
        ("到达派件网点", "派件"),
        ("到达派件城市", "派件"),
        ("待揽收", "揽收"),
        ("已揽收", "发往"),
        ("已退回", "退回"),
        ("退回", "拒收"),
        ("丢失", "退回"),
        ("签收", "驿站"),
    ],
)
def test_keyword_priority_order(first, then):
    assert _index(first) < _index(then)


# ---------------------------------------------------------------------------
# resolve_status: Kuaidi100
# ---------------------------------------------------------------------------

KUAIDI100 = {
    "0": ("in_transit", None),
    "1": ("picked_up", None),
    "2": ("exception", None),
    "3": ("delivered", None),
    "4": ("returned", None),
    "5": ("out_for_delivery", None),
    "6": ("returning", None),
    "7": ("in_transit", None),
    "8": ("in_transit", None),
    "10": ("in_transit", None),
    "11": ("in_transit", None),
    "12": ("in_transit", None),
    "13": ("exception", None),
    "14": ("exception", None),
    "101": ("created", None),
    "102": ("created", None),
    "103": ("picked_up", None),
    "1001": ("in_transit", None),
    "1002": ("in_transit", None),
    "1003": ("in_transit", None),
    "501": ("out_for_delivery", "locker"),
    "301": ("delivered", "addressee"),
    "302": ("delivered", "after_exception"),
    "303": ("delivered", "proxy"),
    "304": ("delivered", "locker"),
    "401": ("returned", None),
}


def test_kuaidi100_codes_are_exactly_the_documented_ones():
    codes = {code for source, code in DEFAULT_STATUS_MAP if source == "kuaidi100"}
    assert codes == set(KUAIDI100)


@pytest.mark.parametrize(("code", "expected"), sorted(KUAIDI100.items()))
def test_kuaidi100_code(code, expected):
    assert resolve_status(code) == StatusResolution(*expected, "kuaidi100", code)
    assert resolve_status(f" {code}\n") == StatusResolution(
        *expected, "kuaidi100", code
    )


def test_kuaidi100_leading_zeros():
    assert resolve_status("03") == StatusResolution("delivered", None, "kuaidi100", "3")
    assert resolve_status("0501").code == "501"


@pytest.mark.parametrize("code", ["9", "15", "200", "201", "210", "305", "502", "99"])
def test_kuaidi100_unknown_codes_not_guessed(code):
    assert resolve_status(code) is None


def test_locker_drop_is_not_addressee_signature():
    """REFERENCE.md 6.3: locker / station drops stay distinct from 301."""
    drop = resolve_status("501")
    signed_locker = resolve_status("304")
    addressee = resolve_status("301")
    assert (drop.state, drop.signed_by) == ("out_for_delivery", "locker")
    assert (signed_locker.state, signed_locker.signed_by) == ("delivered", "locker")
    assert addressee.signed_by == "addressee"


# ---------------------------------------------------------------------------
# resolve_status: AfterShip
# ---------------------------------------------------------------------------

AFTERSHIP_TAGS = {
    "Pending": ("created", None),
    "InfoReceived": ("created", None),
    "InTransit": ("in_transit", None),
    "OutForDelivery": ("out_for_delivery", None),
    "AttemptFail": ("exception", None),
    "Delivered": ("delivered", None),
    "AvailableForPickup": ("out_for_delivery", "locker"),
    "Exception": ("exception", None),
    "Expired": ("exception", None),
}

AFTERSHIP_SUBTAGS = {
    "InfoReceived_001": ("created", None),
    "InTransit_002": ("picked_up", None),
    "InTransit_003": ("in_transit", None),
    "InTransit_009": ("in_transit", None),
    "OutForDelivery_004": ("out_for_delivery", None),
    "AttemptFail_002": ("exception", None),
    "Delivered_001": ("delivered", None),
    "Delivered_002": ("delivered", "locker"),
    "Delivered_003": ("delivered", "addressee"),
    "Delivered_004": ("delivered", None),
    "Delivered_005": ("delivered", "proxy"),
    "AvailableForPickup_001": ("out_for_delivery", "locker"),
    "Exception_003": ("exception", None),
    "Exception_004": ("exception", None),
    "Exception_010": ("returning", None),
    "Exception_011": ("returned", None),
    "Exception_012": ("exception", None),
    "Exception_013": ("lost", None),
    "Pending_003": ("created", None),
    "Expired_001": ("exception", None),
}


@pytest.mark.parametrize(
    ("code", "expected"), sorted({**AFTERSHIP_TAGS, **AFTERSHIP_SUBTAGS}.items())
)
def test_aftership(code, expected):
    # "Delivered" and "Exception" are also our own state codes, tried first.
    source = "state" if code.lower() in STATES else "aftership"
    spelled = code.lower() if source == "state" else code
    result = StatusResolution(*expected, source, spelled)
    assert resolve_status(code) == result
    assert resolve_status(code.lower()) == result
    assert resolve_status(code.upper()) == result


def test_aftership_all_tags_present():
    tags = {c for s, c in DEFAULT_STATUS_MAP if s == "aftership" and "_" not in c}
    assert tags == set(AFTERSHIP_TAGS)


def test_aftership_full_width_input():
    assert resolve_status("ＩｎＴｒａｎｓｉｔ").state == "in_transit"


def test_unknown_aftership_subtag():
    assert resolve_status("Exception_099") is None
    assert resolve_status("Delivered_") is None


# ---------------------------------------------------------------------------
# resolve_status: our codes and exact words
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("state", STATES)
def test_own_state_code_case_insensitive(state):
    expected = StatusResolution(state, None, "state", state)
    assert resolve_status(state) == expected
    assert resolve_status(f"  {state.upper()} ") == expected


WORDS = {
    "已下单": ("created", None),
    "待揽收": ("created", None),
    "已揽收": ("picked_up", None),
    "揽收": ("picked_up", None),
    "收件": ("picked_up", None),
    "运输中": ("in_transit", None),
    "在途": ("in_transit", None),
    "发往": ("in_transit", None),
    "到达": ("in_transit", None),
    "离开": ("in_transit", None),
    "转运": ("in_transit", None),
    "干线": ("in_transit", None),
    "到达派件城市": ("in_transit", None),
    "转投": ("in_transit", None),
    "清关中": ("in_transit", None),
    "到达派件网点": ("at_station", None),
    "到达网点": ("at_station", None),
    "派件网点": ("at_station", None),
    "派送中": ("out_for_delivery", None),
    "派件中": ("out_for_delivery", None),
    "正在派件": ("out_for_delivery", None),
    "派件": ("out_for_delivery", None),
    "投柜或驿站": ("out_for_delivery", "locker"),
    "已放入快递柜": ("out_for_delivery", "locker"),
    "驿站": ("out_for_delivery", "locker"),
    "签收": ("delivered", None),
    "已签收": ("delivered", None),
    "本人签收": ("delivered", "addressee"),
    "代签": ("delivered", "proxy"),
    "代收": ("delivered", "proxy"),
    "投柜或站签收": ("delivered", "locker"),
    "派件异常后签收": ("delivered", "after_exception"),
    "疑难": ("exception", None),
    "问题件": ("exception", None),
    "异常": ("exception", None),
    "清关异常": ("exception", None),
    "拒收": ("exception", None),
    "拒签": ("exception", None),
    "退回": ("returning", None),
    "退件": ("returning", None),
    "返回": ("returning", None),
    "退签": ("returned", None),
    "已退回": ("returned", None),
    "已销单": ("returned", None),
    "丢失": ("lost", None),
    "遗失": ("lost", None),
}


@pytest.mark.parametrize(("word", "expected"), sorted(WORDS.items()))
def test_exact_word(word, expected):
    assert resolve_status(f" {word} ") == StatusResolution(*expected, "word", word)


# ---------------------------------------------------------------------------
# resolve_status: keywords inside trace texts
# ---------------------------------------------------------------------------

TEXTS = [
    # (text, state, signed_by, deciding keyword)
    ("快件已由前台代签", "delivered", "proxy", "代签"),
    ("【深圳转运中心】已发出", "in_transit", None, "转运"),
    ("快件离开【杭州中转部】已发往【深圳】", "in_transit", None, "发往"),
    ("已签收,签收人是:门卫", "delivered", "proxy", "已签收"),
    ("已签收，签收人：本人", "delivered", "addressee", "已签收"),
    ("您的快件已签收，感谢使用", "delivered", None, "已签收"),
    ("快件已被 菜鸟驿站 代收", "delivered", "locker", "代收"),
    ("您的快件已由丰巢快递柜签收", "delivered", "locker", "签收"),
    ("快件已在代收点签收", "delivered", "locker", "签收"),
    ("本人不在，门卫代收", "delivered", "proxy", "代收"),
    (
        "快件派件异常后签收，签收人：本人",
        "delivered",
        "after_exception",
        "派件异常后签收",
    ),
    ("快件已退签", "returned", None, "退签"),
    ("收件人拒签，原因：地址错误", "exception", None, "拒签"),
    ("客户拒收，待处理", "exception", None, "拒收"),
    ("收件人拒收，快件退回中", "returning", None, "退回"),
    ("快件已退回寄件人", "returned", None, "已退回"),
    ("快件已丢失，请联系客服理赔", "lost", None, "丢失"),
    ("快件已到达【深圳福田派件网点】", "at_station", None, "派件网点"),
    ("快件到达派件网点", "at_station", None, "到达派件网点"),
    ("快件已到达 深圳市", "in_transit", None, "到达"),
    ("快件已到达派件城市 深圳", "in_transit", None, "到达派件城市"),
    ("【福田派件网点】派件员张三正在派件", "out_for_delivery", None, "正在派件"),
    (
        "【广东省深圳市福田区公司】 派件人: 张三 派件中",
        "out_for_delivery",
        None,
        "派件中",
    ),
    ("正在派送，请保持电话畅通，准备签收", "out_for_delivery", None, "正在派送"),
    ("派送中，代收货款 100 元", "out_for_delivery", None, "派送中"),
    (
        "您的快件已放入丰巢快递柜，请凭取件码取件",
        "out_for_delivery",
        "locker",
        "快递柜",
    ),
    ("快件已放入小区代收点", "out_for_delivery", "locker", "代收点"),
    ("快件已由 张三 揽收，准备发往深圳转运中心", "picked_up", None, "揽收"),
    ("已下单，待揽收", "created", None, "待揽收"),
    ("快件问题件登记：地址不详", "exception", None, "问题件"),
    ("快件清关异常", "exception", None, "清关异常"),
    ("快件超时未签收", "exception", None, "未签收"),
]


@pytest.mark.parametrize(("text", "state", "signed_by", "keyword"), TEXTS)
def test_trace_text(text, state, signed_by, keyword):
    assert resolve_status(text) == StatusResolution(state, signed_by, "word", keyword)


def test_consignee_word_is_not_a_pickup():
    assert resolve_status("收件人：张三") is None


def test_cash_on_delivery_is_not_a_proxy_signature():
    result = resolve_status("代收货款 100 元，已签收")
    assert (result.state, result.signed_by) == ("delivered", None)


@pytest.mark.parametrize("status", ["", "   ", "hello", "?", None, 3, b"3"])
def test_unresolvable(status):
    assert resolve_status(status) is None


def test_custom_mapping_overrides_default():
    mapping = dict(DEFAULT_STATUS_MAP)
    mapping["word", "签收"] = ("delivered", "addressee")
    mapping["kuaidi100", "200"] = ("exception", None)
    mapping["aftership", "Exception_099"] = ("lost", None)
    assert resolve_status("签收", mapping).signed_by == "addressee"
    assert resolve_status("快件签收", mapping).signed_by == "addressee"
    assert resolve_status("200", mapping).state == "exception"
    assert resolve_status("exception_099", mapping).state == "lost"
    assert resolve_status("200") is None


def test_custom_mapping_removed_word_is_skipped():
    mapping = {k: v for k, v in DEFAULT_STATUS_MAP.items() if k != ("word", "代签")}
    result = resolve_status("快件已由前台代签", mapping)
    assert result is None
    assert resolve_status("快件已由前台代签，已签收", mapping) == StatusResolution(
        "delivered", "proxy", "word", "已签收"
    )


def test_custom_mapping_extra_words_longest_first():
    mapping = dict(DEFAULT_STATUS_MAP)
    mapping["word", "海关"] = ("in_transit", None)
    mapping["word", "海关扣留"] = ("exception", None)
    assert resolve_status("快件被海关扣留") is None
    assert resolve_status("快件被海关扣留", mapping) == StatusResolution(
        "exception", None, "word", "海关扣留"
    )
    assert resolve_status("快件在海关", mapping).state == "in_transit"


def test_mapping_only_own_states():
    mapping = {("state", "delivered"): ("delivered", None)}
    assert resolve_status("Delivered", mapping).source == "state"
    assert resolve_status("3", mapping) is None
    assert resolve_status("签收", mapping) is None


def test_state_code_beats_aftership_tag():
    # "delivered" is both our code and an AfterShip tag (case-insensitive).
    assert resolve_status("Delivered").source == "state"
    assert resolve_status("Delivered_003").source == "aftership"


def test_resolution_is_frozen():
    result = resolve_status("3")
    with pytest.raises(FrozenInstanceError):
        result.state = "lost"


# ---------------------------------------------------------------------------
# parse_event_time
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-11 08:30:00", datetime(2026, 11, 11, 0, 30)),
        ("2026-11-11T08:30", datetime(2026, 11, 11, 0, 30)),
        ("2026/11/11 08:30:00", datetime(2026, 11, 11, 0, 30)),
        ("2026/1/2 3:04", datetime(2026, 1, 1, 19, 4)),
        ("2026-11-11 08:30:59.999", datetime(2026, 11, 11, 0, 30, 59)),
        ("  2026-11-11 08:30:00  ", datetime(2026, 11, 11, 0, 30)),
        ("2026-11-11T08:30:00Z", datetime(2026, 11, 11, 8, 30)),
        ("2026-11-11T08:30:00z", datetime(2026, 11, 11, 8, 30)),
        ("2026-11-11T08:30:00+08:00", datetime(2026, 11, 11, 0, 30)),
        ("2026-11-11T08:30:00+0800", datetime(2026, 11, 11, 0, 30)),
        ("2026-11-11T08:30:00-05:30", datetime(2026, 11, 11, 14, 0)),
        ("2026-11-11 08:30:00 +09", datetime(2026, 11, 10, 23, 30)),
        ("2026-01-01 03:00:00", datetime(2025, 12, 31, 19, 0)),
    ],
)
def test_parse_text_times(value, expected):
    assert parse_event_time(value, TZ, now=NOW) == expected


def test_parse_datetime_objects():
    aware = datetime(2026, 11, 11, 8, 30, tzinfo=timezone(timedelta(hours=8)))
    assert parse_event_time(aware, TZ, now=NOW) == datetime(2026, 11, 11, 0, 30)
    naive = datetime(2026, 11, 11, 8, 30, 15, 123456)
    assert parse_event_time(naive, TZ, now=NOW) == datetime(2026, 11, 11, 0, 30, 15)
    assert parse_event_time(naive, "UTC", now=NOW) == datetime(2026, 11, 11, 8, 30, 15)


def test_parse_dst_zone():
    # Europe/Paris: CEST (+2) in summer, CET (+1) in winter.
    summer = parse_event_time("2026-07-01 12:00", "Europe/Paris", now=NOW)
    winter = parse_event_time("2026-01-15 12:00", "Europe/Paris", now=NOW)
    assert summer == datetime(2026, 7, 1, 10, 0)
    assert winter == datetime(2026, 1, 15, 11, 0)
    # An ambiguous autumn time takes the first (summer) offset: fold=0.
    assert parse_event_time("2026-10-25 02:30", "Europe/Paris", now=NOW) == datetime(
        2026, 10, 25, 0, 30
    )


@pytest.mark.parametrize(
    "value",
    [
        "",
        "garbage",
        "2026-11-11",
        "2026-13-01 08:00",
        "2026-02-30 08:00",
        "2026-11-11 25:00",
        "2026-11-11 08:61",
        "2026-11-11 08:30:00+25:00",
        "2026-11-11 08:30:00 Asia/Shanghai",
        "11/11/2026 08:30",
        "2026-11/11 08:30",
        "０２０２６-11-11 08:30",
        None,
        1762822200,
        12.5,
        ["2026-11-11 08:30"],
    ],
)
def test_parse_garbage(value):
    with pytest.raises(TrackingError) as info:
        parse_event_time(value, TZ, now=NOW)
    assert info.value.code == "time"
    assert info.value.params == {"value": value}


def test_parse_overflow_is_time_error():
    with pytest.raises(TrackingError) as info:
        parse_event_time("0001-01-01 00:00", TZ, now=NOW)
    assert info.value.code == "time"


def test_parse_future():
    assert parse_event_time("2026-11-12T12:00:00Z", TZ, now=NOW) == datetime(
        2026, 11, 12, 12, 0
    )
    with pytest.raises(TrackingError) as info:
        parse_event_time("2026-11-12T12:00:01Z", TZ, now=NOW)
    assert info.value.code == "time_future"
    assert info.value.params == {"value": "2026-11-12T12:00:01Z"}
    # now may be aware.
    aware_now = NOW.replace(tzinfo=timezone.utc)
    with pytest.raises(TrackingError):
        parse_event_time("2026-11-13 08:00", TZ, now=aware_now)


def test_parse_future_default_now():
    future = datetime.now(timezone.utc) + timedelta(days=2)
    with pytest.raises(TrackingError) as info:
        parse_event_time(future, TZ)
    assert info.value.code == "time_future"
    assert parse_event_time("2020-01-01 00:00", TZ) == datetime(2019, 12, 31, 16)


def test_parse_unknown_timezone():
    with pytest.raises(TrackingError) as info:
        parse_event_time("2026-11-11 08:30", "Mars/Olympus", now=NOW)
    assert info.value.code == "timezone"
    assert info.value.params == {"tz_name": "Mars/Olympus"}


# ---------------------------------------------------------------------------
# dedup_key
# ---------------------------------------------------------------------------

FACTS = {
    "waybill_number": "SF3299150988269",
    "courier_code": "SF",
    "time_utc": datetime(2026, 11, 11, 0, 30),
    "state": "in_transit",
    "place": "深圳转运中心",
    "description": "快件已发出",
}


def test_dedup_key_shape():
    key = dedup_key(**FACTS)
    assert len(key) == 40
    assert all(char in "0123456789abcdef" for char in key)


def test_dedup_key_stable_across_spellings():
    key = dedup_key(**FACTS)
    assert key == dedup_key(
        waybill_number=" sf-3299 1509 88269 ",
        courier_code="sf",
        time_utc=datetime(
            2026, 11, 11, 8, 30, 0, 999, tzinfo=timezone(timedelta(hours=8))
        ),
        state="in_transit",
        place="  深圳转运中心 ",
        description="快件已发出\n",
    )


def test_dedup_key_collapses_inner_whitespace():
    one = dedup_key(**{**FACTS, "description": "快件 已发出 往 广州"})
    two = dedup_key(**{**FACTS, "description": "快件\t已发出   往\n广州"})
    assert one == two
    assert one != dedup_key(**{**FACTS, "description": "快件已发出往广州"})


def test_dedup_key_none_equals_empty():
    assert dedup_key(**{**FACTS, "place": None, "courier_code": None}) == dedup_key(
        **{**FACTS, "place": "", "courier_code": ""}
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("waybill_number", "SF3299150988260"),
        ("courier_code", "ZTO"),
        ("time_utc", datetime(2026, 11, 11, 0, 30, 1)),
        ("state", "at_station"),
        ("place", "广州转运中心"),
        ("description", "快件已到达"),
    ],
)
def test_dedup_key_changes_with_any_fact(field, value):
    assert dedup_key(**{**FACTS, field: value}) != dedup_key(**FACTS)


def test_dedup_key_unambiguous_field_boundaries():
    one = dedup_key(**{**FACTS, "place": "a", "description": "b c"})
    two = dedup_key(**{**FACTS, "place": "a b", "description": "c"})
    assert one != two
    three = dedup_key(**{**FACTS, "place": 'a","', "description": ""})
    four = dedup_key(**{**FACTS, "place": "a", "description": '","'})
    assert three != four


# ---------------------------------------------------------------------------
# event_order_key / derive_state
# ---------------------------------------------------------------------------


def _event(minute, state, place="P", signed_by=None, description=""):
    time = datetime(2026, 11, 11, 0, minute)
    return {
        "time": time,
        "state": state,
        "place": place,
        "signed_by": signed_by,
        "dedup_key": dedup_key(
            "SF3299150988269", "SF", time, state, place, description
        ),
    }


def test_event_order_key():
    event = _event(5, "delivered")
    assert event_order_key(event) == (event["time"], 6, event["dedup_key"])


def test_derive_state_empty():
    assert derive_state([]) is None
    assert derive_state(iter(())) is None


def test_derive_state_late_older_event_does_not_move_back():
    """R-WB-3: an older event arriving late never moves the state backwards."""
    events = [_event(1, "picked_up"), _event(9, "delivered", "Home", "proxy")]
    before = derive_state(events)
    after = derive_state([*events, _event(5, "in_transit", "Hub")])
    assert before.state == after.state == "delivered"
    assert after.signed_by == "proxy"
    assert after.last_event_time == datetime(2026, 11, 11, 0, 9)
    assert after.last_event_place == "Home"


def test_derive_state_same_time_uses_rank():
    events = [_event(3, "delivered", signed_by="locker"), _event(3, "exception")]
    assert derive_state(events).state == "delivered"
    assert derive_state(events[::-1]).state == "delivered"
    events = [_event(3, "returning"), _event(3, "delivered")]
    assert derive_state(events).state == "returning"


def test_derive_state_same_time_same_state_uses_dedup_key():
    one = _event(3, "in_transit", "A")
    two = _event(3, "in_transit", "B")
    expected = max(one, two, key=lambda e: e["dedup_key"])["place"]
    assert derive_state([one, two]).last_event_place == expected
    assert derive_state([two, one]).last_event_place == expected


def test_derive_state_same_key_different_signer_is_order_independent():
    # Cannot be stored by the ORM (one event per dedup_key), but the result
    # must still not depend on the order.
    one = _event(3, "delivered", signed_by="proxy")
    two = {**one, "signed_by": "locker"}
    assert derive_state([one, two]) == derive_state([two, one])
    assert derive_state([one, two]).signed_by == "proxy"


def test_derive_state_signed_by_only_when_delivered():
    events = [_event(1, "out_for_delivery", signed_by="locker")]
    assert derive_state(events).signed_by is None
    events.append(_event(2, "delivered", signed_by="locker"))
    assert derive_state(events).signed_by == "locker"
    events.append(_event(3, "returning"))
    assert derive_state(events).signed_by is None


def test_derive_state_first_scan_time():
    events = [_event(0, "created"), _event(4, "in_transit"), _event(2, "picked_up")]
    result = derive_state(events)
    assert result == DerivedState(
        state="in_transit",
        signed_by=None,
        last_event_time=datetime(2026, 11, 11, 0, 4),
        last_event_place="P",
        first_scan_time=datetime(2026, 11, 11, 0, 2),
    )
    assert derive_state([_event(0, "created")]).first_scan_time is None


def test_derive_state_accepts_objects():
    @dataclass
    class Event:
        time: datetime
        state: str
        place: str
        signed_by: str | None
        dedup_key: str

    events = [Event(**_event(1, "picked_up")), Event(**_event(2, "at_station", "Q"))]
    result = derive_state(events)
    assert (result.state, result.last_event_place) == ("at_station", "Q")


# ---------------------------------------------------------------------------
# normalize_row
# ---------------------------------------------------------------------------

ROW = {
    "waybill": " sf 3299-1509-88269 ",
    "courier": " sf ",
    "time": "2026-11-11 08:30:00",
    "place": " 深圳转运中心 ",
    "status": "【深圳转运中心】已发出",
    "description": "快件已发出",
    "operator": "张三",
    "operator_phone": "13800000000",
}


def _reject(row, **kwargs):
    kwargs.setdefault("tz_name", TZ)
    kwargs.setdefault("now", NOW)
    with pytest.raises(TrackingError) as info:
        normalize_row(row, **kwargs)
    return info.value


def test_normalize_row_ok():
    row = normalize_row(ROW, tz_name=TZ, now=NOW)
    assert row == IngestRow(
        number="SF3299150988269",
        courier_code="SF",
        time=datetime(2026, 11, 11, 0, 30),
        state="in_transit",
        signed_by=None,
        status_raw="【深圳转运中心】已发出",
        place="深圳转运中心",
        description="快件已发出",
        operator="张三",
        operator_phone="13800000000",
    )
    assert row.key_for("SF") == dedup_key(
        "SF3299150988269",
        "SF",
        datetime(2026, 11, 11, 0, 30),
        "in_transit",
        "深圳转运中心",
        "快件已发出",
    )
    assert row.key_for("SF") != row.key_for("ZTO")


def test_normalize_row_minimal():
    row = normalize_row(
        {"waybill": "YT7318826453017", "time": "2026-11-11T00:30:00Z", "status": "303"},
        tz_name=TZ,
        now=NOW,
    )
    assert row.courier_code is None
    assert (row.state, row.signed_by) == ("delivered", "proxy")
    assert (row.place, row.description, row.operator, row.operator_phone) == (
        "",
        "",
        "",
        "",
    )
    assert row.key_for(None) == row.key_for("")


def test_normalize_row_blank_courier_is_none():
    assert (
        normalize_row({**ROW, "courier": "  "}, tz_name=TZ, now=NOW).courier_code
        is None
    )
    assert (
        normalize_row({**ROW, "courier": None}, tz_name=TZ, now=NOW).courier_code
        is None
    )


def test_normalize_row_same_event_two_sources_same_key():
    push = normalize_row(
        {**ROW, "time": "2026-11-11T00:30:00Z", "status": "0", "operator": None},
        tz_name=TZ,
        now=NOW,
    )
    manual = normalize_row(ROW, tz_name=TZ, now=NOW)
    assert push.key_for("SF") == manual.key_for("SF")


def test_normalize_row_custom_mapping():
    mapping = {("word", "已发出"): ("in_transit", None)}
    row = normalize_row(
        {**ROW, "status": "已发出"}, tz_name=TZ, now=NOW, mapping=mapping
    )
    assert row.state == "in_transit"
    error = _reject({**ROW, "status": "3"}, mapping=mapping)
    assert error.code == "status"


@pytest.mark.parametrize("row", [None, [], "waybill", [("waybill", "x")], 3])
def test_reject_not_a_dict(row):
    error = _reject(row)
    assert (error.code, error.params) == ("not_a_dict", {})


def test_reject_unknown_field():
    error = _reject({**ROW, "stauts": "3"})
    assert (error.code, error.params) == ("unknown_field", {"field": "stauts"})
    assert _reject({**ROW, 1: "x"}).params == {"field": "1"}


@pytest.mark.parametrize("value", [None, "", "   "])
def test_reject_waybill_missing(value):
    assert _reject({**ROW, "waybill": value}).code == "waybill_missing"
    row = dict(ROW)
    del row["waybill"]
    assert _reject(row).code == "waybill_missing"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("--", "empty"),
        ("SF_123456", "bad_characters"),
        ("SF12", "length"),
        ("1" * 33, "length"),
    ],
)
def test_reject_waybill_invalid(value, reason):
    error = _reject({**ROW, "waybill": value})
    assert (error.code, error.params) == ("waybill_invalid", {"reason": reason})


def test_waybill_per_courier_rules_not_checked_here():
    # 12 digits is not an SF format of today, but the ORM checks that.
    row = normalize_row({**ROW, "waybill": "123456789012"}, tz_name=TZ, now=NOW)
    assert row.number == "123456789012"


@pytest.mark.parametrize("value", [786187979245, 7.8e11])
def test_reject_waybill_type(value):
    error = _reject({**ROW, "waybill": value})
    assert (error.code, error.params) == ("type", {"field": "waybill"})


@pytest.mark.parametrize("value", ["S-F", "顺丰", "A" * 17, 12, "sf express"])
def test_reject_courier_invalid(value):
    error = _reject({**ROW, "courier": value})
    assert (error.code, error.params) == ("courier_invalid", {"value": value})


def test_courier_codes_accepted():
    for value, expected in [
        ("zto", "ZTO"),
        ("CAINIAO_2", "CAINIAO_2"),
        ("A" * 16, "A" * 16),
    ]:
        assert (
            normalize_row({**ROW, "courier": value}, tz_name=TZ, now=NOW).courier_code
            == expected
        )


@pytest.mark.parametrize("value", [None, "", "  ", "yesterday", "2026-11-11", 0])
def test_reject_time(value):
    error = _reject({**ROW, "time": value})
    assert (error.code, error.params) == ("time", {"value": value})


def test_reject_time_missing_key():
    row = dict(ROW)
    del row["time"]
    assert _reject(row).code == "time"


def test_reject_time_future():
    error = _reject({**ROW, "time": "2026-11-13 08:30:00"})
    assert error.code == "time_future"


@pytest.mark.parametrize(
    "value",
    ["1989-12-31T23:59:59Z", "0001-01-01T12:00:00+00:00", "1970-01-01 08:00:00"],
)
def test_reject_time_past(value):
    """Issue 11 item 9 (R-WB-3): a scan before 1990 is a sender's bug."""
    error = _reject({**ROW, "time": value})
    assert (error.code, error.params) == ("time_past", {"value": value})


def test_time_past_boundary_and_setting():
    """The earliest time is inclusive and configurable (naive UTC)."""
    assert normalize_row(
        {**ROW, "time": "1990-01-01T00:00:00Z"}, tz_name=TZ, now=NOW
    ).time == datetime(1990, 1, 1)
    later = datetime(2026, 1, 1)
    error = _reject({**ROW, "time": "2025-12-31T23:59:59Z"}, earliest=later)
    assert error.code == "time_past"
    assert (
        normalize_row(
            {**ROW, "time": "2026-01-01T00:00:00Z"}, tz_name=TZ, now=NOW, earliest=later
        ).time
        == later
    )
    with pytest.raises(TrackingError) as info:
        parse_event_time(datetime(1, 1, 1, 12), "America/New_York", NOW)
    assert info.value.code in ("time", "time_past")


@pytest.mark.parametrize(
    "field", ["place", "description", "operator", "operator_phone", "status"]
)
@pytest.mark.parametrize("bad", ["\x00", "a\x00b", "\ud800", "x\udfffy"])
def test_reject_unstorable_text(field, bad):
    """Issue 11 item 1: a NUL or a lone surrogate (PostgreSQL cannot store
    them) rejects the row with a reason instead of aborting the batch."""
    error = _reject({**ROW, field: bad})
    assert (error.code, error.params) == ("text_invalid", {"field": field})


@pytest.mark.parametrize("bad", ["SF\x001234567", "\ud800SF3299150988269"])
def test_reject_unstorable_number_and_courier(bad):
    """A NUL in the number, the courier, the time or a key is a row error."""
    assert _reject({**ROW, "waybill": bad}).code == "waybill_invalid"
    assert _reject({**ROW, "courier": bad}).code == "courier_invalid"
    assert _reject({**ROW, "time": "2026-11-11\x00 08:30:00"}).code == "time"
    error = _reject({**ROW, "bad\x00key\ud800": "x"})
    assert error.code == "unknown_field"
    assert error.params["field"] == "bad\ufffdkey\ufffd"


def test_reject_timezone():
    assert _reject(ROW, tz_name="Nowhere/City").code == "timezone"


@pytest.mark.parametrize("value", [None, "", "  \n"])
def test_reject_status_missing(value):
    assert _reject({**ROW, "status": value}).code == "status_missing"
    row = dict(ROW)
    del row["status"]
    assert _reject(row).code == "status_missing"


def test_reject_status_unresolvable():
    error = _reject({**ROW, "status": " 201 "})
    assert (error.code, error.params) == ("status", {"status": "201"})
    assert _reject({**ROW, "status": "hello"}).params == {"status": "hello"}


def test_reject_status_type():
    error = _reject({**ROW, "status": 3})
    assert (error.code, error.params) == ("type", {"field": "status"})


@pytest.mark.parametrize(
    "field", ["status", "place", "description", "operator", "operator_phone"]
)
def test_too_long(field):
    limit = MAX_LENGTHS[field]
    value = ("运输中" * limit)[:limit]
    row = normalize_row({**ROW, field: f"  {value}  "}, tz_name=TZ, now=NOW)
    if field != "status":
        assert getattr(row, field) == value
    error = _reject({**ROW, field: value + "输"})
    assert (error.code, error.params) == ("too_long", {"field": field, "max": limit})


@pytest.mark.parametrize(
    "field", ["place", "description", "operator", "operator_phone"]
)
@pytest.mark.parametrize("value", [1, 1.5, b"x", ["x"]])
def test_reject_text_type(field, value):
    error = _reject({**ROW, field: value})
    assert (error.code, error.params) == ("type", {"field": field})


def test_ingest_row_is_frozen():
    row = normalize_row(ROW, tz_name=TZ, now=NOW)
    with pytest.raises(FrozenInstanceError):
        row.state = "lost"


# --------------------------------------------------------------------------
# Arrival at the delivering station (R-WB-6, R-RC-8)
# --------------------------------------------------------------------------


def _ev(day, state):
    return {
        "time": datetime(2026, 11, day, 8, 0),
        "state": state,
        "place": "",
        "signed_by": None,
        "dedup_key": f"{day}{state}",
    }


@pytest.mark.parametrize(
    ("events", "arrival_day"),
    [
        ([_ev(1, "picked_up"), _ev(2, "in_transit")], None),
        ([_ev(1, "picked_up"), _ev(3, "at_station"), _ev(4, "delivered")], 3),
        # split shipment: the last batch's arrival counts
        ([_ev(3, "at_station"), _ev(4, "out_for_delivery"), _ev(6, "at_station")], 6),
        # no station scan: the first delivery attempt stands for the arrival
        ([_ev(1, "picked_up"), _ev(5, "out_for_delivery"), _ev(6, "delivered")], 5),
        ([_ev(7, "delivered")], 7),
    ],
)
def test_arrival_time(events, arrival_day):
    """R-RC-8 counts receipt deadlines from the last batch's arrival."""
    derived = tracking_state.derive_state(events)
    expected = None if arrival_day is None else datetime(2026, 11, arrival_day, 8, 0)
    assert derived.arrival_time == expected
