# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The caller look-up's reading of a caller's words (issue 15, item 1):
waybill number (R-WB-2 normalisation), full phone, last 4 digits (R-PT-2),
name."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_followup.core.lookup import (
    INVALID_CODES,
    KINDS,
    classify,
    normalize_phone,
)
from logistics_followup.core.masking import phone_last4
from logistics_followup.core.waybill import normalize_number


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+86-138-0013-8000",
        "+8613800138000",
        "0086 138 0013 8000",
        "8613800138000",
        "１３８００１３８０００",  # full-width
        " 138.0013.8000 ",
    ],
)
def test_mobile_forms_are_one_phone(raw):
    assert normalize_phone(raw) == "13800138000"


@pytest.mark.parametrize(
    "raw",
    ["0755-1234 5678", "(0755)12345678", "+86 755 1234 5678", "0086 755 12345678"],
)
def test_landline_forms_are_one_phone(raw):
    assert normalize_phone(raw) == "075512345678"


def test_beijing_landline_keeps_its_trunk_zero():
    assert normalize_phone("+86 10 1234 5678") == normalize_phone("010-12345678")
    assert normalize_phone("010-12345678") == "01012345678"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+852 2123 4567", "+85221234567"),
        ("00852 21234567", "+85221234567"),
        ("12345678", ""),  # starts with 1, 8 digits: no mobile, no local number
        ("23456789", "23456789"),  # a local number without area code
        ("786187979245", ""),  # 12 digits without trunk 0: a waybill number
        ("1380013800", ""),  # a mobile with a digit missing
        ("138001380001", ""),
        ("SF3299150988269", ""),
        ("138 0013 8000 转 12", ""),
        ("", ""),
        (None, ""),
        (13800138000, ""),
        ("+", ""),
    ],
)
def test_normalize_phone_edges(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["sf 3299 1509 88269", "SF-3299-1509-88269", "ｓｆ３２９９１５０９８８２６９"],
)
def test_waybill_forms(raw):
    query = classify(raw)
    assert query.kinds == ("waybill",)
    assert query.number == "SF3299150988269" == normalize_number(raw)


def test_a_phone_may_also_be_read_as_a_number():
    query = classify("138-0013-8000")
    assert query.phone == "13800138000"
    assert query.number == "13800138000"
    assert query.kinds == ("waybill", "phone")
    # "+" is no part of a number
    assert classify("+86 138 0013 8000").kinds == ("phone",)


@pytest.mark.parametrize("raw", ["5678", " 5678 ", "56 78", "尾号5678", "尾號：5678"])
def test_last4(raw):
    query = classify(raw)
    assert query.kinds == ("last4",)
    assert query.last4 == "5678"


@pytest.mark.parametrize(
    ("raw", "name"),
    [("张三", "张三"), ("  Li   Wei ", "Li Wei"), ("北京朝阳网点", "北京朝阳网点")],
)
def test_names(raw, name):
    query = classify(raw)
    assert query.kinds == ("name",)
    assert query.name == name


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (None, "empty"),
        ("张", "unrecognised"),  # one character is no name
        ("SF12", "unrecognised"),  # too short for a number, digits in a name
        ("123", "unrecognised"),
        ("!!!", "unrecognised"),
        ("x" * 65, "unrecognised"),
    ],
)
def test_unrecognised(raw, code):
    query = classify(raw)
    assert query.code == code
    assert query.kinds == ()


def test_zhangsan_is_a_name_not_a_number():
    """A number has digits: letters only are a name."""
    assert classify("zhangsan").kinds == ("name",)


# --- properties -----------------------------------------------------------

_SEPARATORS = st.sampled_from(["", " ", "-", ".", "  "])


@st.composite
def mobile_forms(draw):
    digits = (
        "1"
        + draw(st.sampled_from("3456789"))
        + draw(st.text("0123456789", min_size=9, max_size=9))
    )
    prefix = draw(st.sampled_from(["", "+86 ", "+86", "0086 ", "86", "+86-"]))
    sep = draw(_SEPARATORS)
    body = sep.join([digits[:3], digits[3:7], digits[7:]])
    if draw(st.booleans()):
        body = body.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    return digits, prefix + body


@given(mobile_forms())
def test_any_form_of_a_mobile_is_the_same_phone(case):
    digits, raw = case
    assert normalize_phone(raw) == digits
    query = classify(raw)
    assert query.phone == digits
    assert "phone" in query.kinds
    # the stored field of the same phone gives the same last 4 digits
    assert phone_last4(raw) == digits[-4:]


@given(st.text(max_size=40))
def test_classify_never_fails_and_is_consistent(raw):
    query = classify(raw)
    assert set(query.kinds) <= set(KINDS)
    assert (query.code is None) == bool(query.kinds)
    assert query.code is None or query.code in INVALID_CODES
    if query.number:
        assert query.number == normalize_number(raw)
    if query.phone:
        assert normalize_phone(query.phone) == query.phone  # idempotent
    if query.last4:
        assert len(query.last4) == 4 and query.last4.isdigit()
        assert query.kinds == ("last4",)


@given(st.text(max_size=40))
def test_normalize_phone_is_idempotent(raw):
    phone = normalize_phone(raw)
    assert normalize_phone(phone) == phone
