# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customers' parcel pages (R-PT-1) and the public look-up (R-PT-2)."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_followup.core.masking import mask_id_number, mask_phone
from logistics_followup.core.portal import (
    LOOKUP_CLIENT_LIMIT,
    LOOKUP_FAILURE_LIMIT,
    LOOKUP_WINDOW,
    local_time,
    lookup_last4,
    lookup_number,
    lookup_retry_after,
    lookup_wait,
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


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (" sf 3299-1509-88269 ", "SF3299150988269"),
        ("SF\x003299150988269", None),
        ("\ud800SF3299150988269", None),
        ("SF1", None),
        ("", None),
        (None, None),
        (12345678, None),
    ],
)
def test_lookup_number(typed, expected):
    """Issue 11 item 1: a number that cannot be one is neither searched nor
    stored as typed."""
    assert lookup_number(typed) == expected


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


# Issue 11 item 8: the common ways of writing a phone or an ID number
_CN = dict(zip("0123456789", "零一二三四五六七八九", strict=True))
_FULL = dict(zip("0123456789", "０１２３４５６７８９", strict=True))


@st.composite
def written(draw, digits, groups):
    """``digits`` as someone writes them: grouped by one separator (or
    none), in ASCII, full-width or Chinese numerals (〇 or 零 for 0)."""
    separator = draw(st.sampled_from(["", " ", "-", ".", " - ", ". "]))
    script = draw(st.sampled_from(["ascii", "full", "cn", "cn0"]))
    if script == "full":
        digits = "".join(_FULL.get(c, c) for c in digits)
    elif script.startswith("cn"):
        table = dict(_CN, **({"0": "〇"} if script == "cn0" else {}))
        digits = "".join(table.get(c, c) for c in digits)
    parts, start = [], 0
    for size in groups:
        parts.append(digits[start : start + size])
        start += size
    return separator.join(parts)


_MOBILES = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
_IDS = st.from_regex(r"[1-9][0-9]{16}[0-9X]", fullmatch=True)
_LANDLINES = st.from_regex(r"0(?:[12][0-9]|[3-9][0-9]{2})[2-9][0-9]{7}", fullmatch=True)
_AROUND = st.text(alphabet="快件派送中网点杭州西湖区联系电话师傅,()。:", max_size=10)


def _digits_of(text):
    """The digits of ``text``, Chinese numerals and full-width ones read."""
    table = str.maketrans(
        "〇零一二三四五六七八九０１２３４５６７８９", "001234567890123456789"
    )
    return "".join(c for c in text.translate(table) if c.isdigit() or c == "X")


@FAST
@given(
    _AROUND,
    _MOBILES.flatmap(lambda m: st.tuples(st.just(m), written(m, (3, 4, 4)))),
    _AROUND,
)
def test_mask_text_hides_mobiles_however_written(before, mobile_form, after):
    """GB/T 41833: a mobile written with spaces, dots, dashes, full-width
    digits or Chinese numerals never shows whole; 6 digits are hidden."""
    mobile, form = mobile_form
    masked = mask_text(before + form + after)
    assert form not in masked
    assert mobile not in _digits_of(masked)
    assert mask_phone(mobile) in masked  # 6 digits hidden


@FAST
@given(
    _AROUND,
    _IDS.flatmap(lambda n: st.tuples(st.just(n), written(n, (6, 8, 4)))),
    _AROUND,
)
def test_mask_text_hides_id_numbers_however_written(before, id_form, after):
    """An 18-character ID number grouped 6-8-4 (``110105 19491231 002X``) or
    written in another script has its 8 birth-date digits hidden."""
    number, form = id_form
    masked = mask_text(before + form + after)
    assert form not in masked
    assert mask_id_number(number) in masked  # 8 characters hidden


@FAST
@given(
    _AROUND,
    _LANDLINES,
    st.sampled_from(
        [
            "({area}){local}",
            "{area}-{local}",
            "{area} {local}",
            "（{area}）{local}",
            "{area}.{local}",
        ]
    ),
    _AROUND,
)
def test_mask_text_hides_landlines(before, landline, pattern, after):
    """A landline with its area code, bracketed or not, hides 6 digits of
    its local number."""
    area_len = 3 if landline[1] in "12" else 4
    area, local = landline[:area_len], landline[area_len:]
    masked = mask_text(before + pattern.format(area=area, local=local) + after)
    assert local not in _digits_of(masked)
    assert masked.count("*") >= 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("签收人:张三 电话:139-1234-5678", "签收人:张* 电话:139******78"),
        ("收件人是王小明", "收件人是王*明"),
        ("已签收,签收人：欧阳小锋", "已签收,签收人:欧**锋"),
        ("签收:李四", "签收:李*"),
        ("收件人: John Smith", "收件人: J*** S****"),
        ("已签收,签收人是:门卫", "已签收,签收人是:门卫"),
        ("已签收 感谢使用", "已签收 感谢使用"),
        ("联系人 (021)66668888", "联系人 021-******88"),
    ],
)
def test_mask_text_names_after_labels(text, expected):
    """Names after 签收人/收件人/签收:... are masked; who signs when it is
    not a person (门卫, 本人) is kept."""
    assert mask_text(text) == expected


@FAST
@given(
    st.sampled_from(["签收人", "收件人", "收件人:", "签收:", "签收人是", "寄件人:"]),
    st.text(alphabet="王李张刘陈杨黄赵吴周欧阳小明华强", min_size=2, max_size=4),
)
def test_mask_text_hides_names_after_labels(label, name):
    """A name after a signing or contact label never shows whole."""
    masked = mask_text(f"已签收,{label}{name},谢谢")
    assert name not in masked
    assert "*" in masked


def test_mask_text_on_the_owners_page():
    """Item 8: on the owner's page only the other party's phones (however
    written) and names are masked, with every ID number and signer's name;
    the courier's phone stays readable."""
    text = (
        "派送员电话13700137123,收件人电话139 1234 5678(+86 13912345678),"
        "王小明收,身份证110105194912310021"
    )
    masked = mask_text(text, phones=["139-1234-5678"], names=["王小明", "", None])
    assert "13700137123" in masked
    assert "1234 5678" not in masked
    assert "13912345678" not in masked
    assert "王小明" not in masked and "王*明" in masked
    assert "110105********0021" in masked
    # no phone of the other party given: no phone masked
    assert "13700137123" in mask_text(text, phones=[])


@FAST
@given(_MOBILES.flatmap(lambda m: st.tuples(st.just(m), written(m, (3, 4, 4)))))
def test_mask_text_other_party_phone_however_written(mobile_form):
    """The other party's phone, recorded in one form, is masked in any
    other form of writing it."""
    mobile, form = mobile_form
    masked = mask_text(f"电话:{form}。", phones=[f"+86 {mobile}"])
    assert form not in masked
    assert mask_phone(mobile) in masked


# ------------------------------------------------------------- lookup_wait


def test_lookup_wait_per_number_and_client():
    """Item 7: the limit counts per number, and a higher one per client."""
    now = NOW
    moment = now - timedelta(minutes=1)
    failures = [(moment, "SF1")] * LOOKUP_FAILURE_LIMIT
    assert lookup_wait(failures, "SF1", now) == moment + LOOKUP_WINDOW - now
    assert lookup_wait(failures, "SF2", now) is None
    many = [(moment, f"SF{i}") for i in range(LOOKUP_CLIENT_LIMIT)]
    assert lookup_wait(many, "SF999", now) == moment + LOOKUP_WINDOW - now
    assert lookup_wait(many[:-1], "SF999", now) is None


# -------------------------------------------------------------- local_time


@pytest.mark.parametrize(
    "tz_name",
    ["America/New_York", "Asia/Tokyo", "Asia/Shanghai", "Nowhere/City", None, ""],
)
@pytest.mark.parametrize(
    "moment",
    [datetime.min, datetime.max, datetime(1, 1, 1, 3), datetime(9999, 12, 31, 20), NOW],
)
def test_local_time_never_raises(moment, tz_name):
    """Item 9: any stored date renders in any time zone."""
    result = local_time(moment, tz_name)
    assert isinstance(result, datetime) and result.tzinfo is None


def test_local_time_converts():
    assert local_time(datetime(2026, 11, 11, 0, 30), "Asia/Shanghai") == datetime(
        2026, 11, 11, 8, 30
    )
    assert local_time(None, "Asia/Shanghai") is None


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
