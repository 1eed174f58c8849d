# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Masking of personal data outside the back office (R-PT-2).

GB/T 41833-2022 (REFERENCE.md 7.2): name hides >= 1 character, phone hides
>= 6 digits, address hides the unit / room number.
"""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_followup.core.masking import (
    mask_address,
    mask_id_number,
    mask_name,
    mask_phone,
    phone_last4,
)

FAST = settings(max_examples=300, deadline=None)
DIGITS = st.text(alphabet="0123456789", min_size=6, max_size=20)


def digits_of(text):
    return "".join(re.findall(r"[0-9]", text))


# ---------------------------------------------------------------- names
@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张", "*"),
        ("张三", "张*"),
        ("张小三", "张*三"),
        ("欧阳小锋", "欧**锋"),
        ("欧阳克小锋", "欧***锋"),
        ("阿卜杜拉·买买提", "阿******提"),
        ("  李 四  ", "李*"),
        ("John Smith", "J*** S****"),
        ("Madonna", "M******"),
        ("J K", "J *"),
        ("X", "*"),
        ("  ", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_name_examples(name, masked):
    """R-PT-2: names are masked, at least one character hidden."""
    assert mask_name(name) == masked


NAME_CHARS = st.characters(
    whitelist_categories=("Lu", "Ll", "Lo"), blacklist_characters="*"
)


@FAST
@given(st.lists(st.text(NAME_CHARS, min_size=1, max_size=8), min_size=1, max_size=4))
def test_mask_name_always_hides_a_character(words):
    """R-PT-2 / GB/T 41833: at least one character of any name is hidden."""
    name = " ".join(words)
    masked = mask_name(name)
    assert "*" in masked
    assert masked != name
    visible = len(masked.replace("*", "").replace(" ", ""))
    assert visible < len(name.replace(" ", ""))


# ---------------------------------------------------------------- phones
@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345634", "138******34"),
        ("138 1234 5634", "138******34"),
        ("138-1234-5634", "138******34"),
        (
            "\uff11\uff13\uff18\uff11\uff12\uff13\uff14\uff15\uff16\uff13\uff14",
            "138******34",
        ),
        ("+86 138 1234 5634", "+86 138******34"),
        ("+8613812345634", "+86 138******34"),
        ("0086 13812345634", "0086 138******34"),
        ("010-12345678", "010-******78"),
        ("(010) 12345678", "010-******78"),
        ("0755 1234 5678", "0755-******78"),
        ("0571-8765432", "0571-******2"),
        ("400-800-8888", "********88"),
        ("12345678", "******78"),
        ("1234567", "******7"),
        ("123456", "******"),
        ("95554", "*****"),
        ("12", "**"),
        ("+86 12345", "******5"),
        ("n/a", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone_examples(phone, masked):
    """R-PT-2: phones hide >= 6 digits (138******34, not 138****1234)."""
    assert mask_phone(phone) == masked


@FAST
@given(DIGITS)
def test_mask_phone_hides_at_least_six_digits(digits):
    """R-PT-2 / GB/T 41833: any 6..20-digit number loses >= 6 digits and
    never appears in full."""
    masked = mask_phone(digits)
    assert masked.count("*") >= 6
    assert len(digits_of(masked)) <= len(digits) - 6
    assert digits not in masked
    assert digits not in digits_of(masked)


@FAST
@given(
    st.sampled_from(["", "+86 ", "+86", "0086", "0086 ", "+86-"]),
    st.lists(
        st.text(alphabet="0123456789", min_size=1, max_size=5), min_size=1, max_size=6
    ),
    st.sampled_from([" ", "-", "", "."]),
)
def test_mask_phone_with_prefix_and_separators(prefix, groups, separator):
    """R-PT-2: separators or a country prefix never reveal more digits."""
    phone = prefix + separator.join(groups)
    national = "".join(groups)
    masked = mask_phone(phone)
    hidden = masked.count("*")
    if len(digits_of(phone)) >= 6:
        assert hidden >= 6
        assert len(digits_of(masked)) <= len(digits_of(phone)) - 6
    if len(national) >= 6:
        assert national not in digits_of(masked)


@FAST
@given(st.text(alphabet="0123456789", min_size=1, max_size=5))
def test_mask_phone_short_numbers_are_fully_hidden(digits):
    """R-PT-2: fewer than 6 digits -> no digit shown at all."""
    assert mask_phone(digits) == "*" * len(digits)


@pytest.mark.parametrize(
    ("phone", "last4"),
    [
        ("13812345634", "5634"),
        ("+86 138-1234-5634", "5634"),
        ("010-12345678", "5678"),
        ("1234", "1234"),
        ("123", ""),
        ("abc", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_phone_last4(phone, last4):
    """R-PT-2: the portal look-up uses the last 4 digits of the phone."""
    assert phone_last4(phone) == last4


@FAST
@given(st.text(alphabet="0123456789 -+", max_size=20))
def test_phone_last4_property(phone):
    """R-PT-2: last4 is the last 4 digits or nothing."""
    digits = digits_of(phone)
    result = phone_last4(phone)
    assert result == (digits[-4:] if len(digits) >= 4 else "")


# ---------------------------------------------------------------- ID numbers
@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("11010519491231002X", "110105********002X"),
        ("110105 19491231 002X", "110105********002X"),
        ("110105491231002", "110105******002"),
        ("E12345678", "E******78"),
        ("H1234567800", "H********00"),
        ("ABCDEF", "A***EF"),
        ("ABCD", "A**D"),
        ("ABC", "A**"),
        ("AB", "A*"),
        ("A", "*"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number_examples(number, masked):
    """R-PT-2 / R-RC-2: 18 chars keep 6 + 4, 15 keep 6 + 3, others 1 + 2."""
    assert mask_id_number(number) == masked


@FAST
@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=1, max_size=30))
def test_mask_id_number_never_shows_the_full_number(number):
    """R-PT-2: an ID number is never shown in full; other than 15/18-char
    citizen numbers, at least half is hidden."""
    masked = mask_id_number(number)
    assert masked != number
    assert len(masked) == len(number)
    hidden = masked.count("*")
    assert hidden >= 1
    if len(number) not in (15, 18):
        assert hidden * 2 >= len(number)
    else:
        assert hidden >= 6


# ---------------------------------------------------------------- addresses
@pytest.mark.parametrize(
    ("address", "masked"),
    [
        (
            "广东省深圳市南山区科技路88号阳光花园3栋2单元501室",
            "广东省深圳市南山区科技路88号阳光花园***",
        ),
        ("北京市朝阳区建国路甲8号院2号楼1单元101", "北京市朝阳区建国路甲8号院***"),
        (
            "上海市浦东新区世纪大道100号环球金融中心45层",
            "上海市浦东新区世纪大道100号环球金融中心***",
        ),
        ("人民路88号阳光小区12-3-401", "人民路88号阳光小区***"),
        ("人民路88号A座1803", "人民路88号***"),
        ("人民路88号阳光小区#1203", "人民路88号阳光小区***"),
        ("人民路88号3#楼1203", "人民路88号***"),
        ("人民路88号阳光小区501室", "人民路88号阳光小区***"),
        ("人民路88号阳光小区B1203", "人民路88号阳光小区***"),
        ("人民路88号阳光小区三栋二单元", "人民路88号阳光小区***"),
        ("人民路88号国贸大厦12F", "人民路88号国贸大厦***"),
        ("中关村大街27号中关村大厦1203室", "中关村大街27号中关村大厦***"),
        ("上海市徐汇区漕溪北路88号圣爱大厦1201", "上海市徐汇区漕溪北路88号圣爱大厦***"),
        ("北京市海淀区中关村1203", "北京市海淀区中关村***"),
        ("建国路88号院3号", "建国路88号院***"),
        ("张家村5组12号", "张家村***"),
        ("阳光小区5号", "阳光小区***"),
        # unit written before the street: everything is hidden (safe side)
        ("#1203，人民路88号", "***"),
        ("5#1203，人民路88号", "***"),
        ("人民路 88号 ３栋", "人民路 88号***"),
        ("501室", "***"),
        # kept: nothing below the road number
        ("北京市朝阳区建国路88号", "北京市朝阳区建国路88号"),
        ("人民路88-1号", "人民路88-1号"),
        ("成都市锦江区春熙路二段8号", "成都市锦江区春熙路二段8号"),
        ("广东省深圳市南山区科技园", "广东省深圳市南山区科技园"),
        # English
        (
            "Room 501, Building 3, 88 Renmin Road, Beijing",
            "***, ***, 88 Renmin Road, Beijing",
        ),
        ("Flat 5B, 12 High Street", "***, 12 High Street"),
        ("123 Main St Apt 4B", "123 Main St ***"),
        ("12/F, 88 Queen's Road Central", "***, 88 Queen's Road Central"),
        ("5th Floor, Tower A, 1 Tower Bridge Road", "***, ***, 1 Tower Bridge Road"),
        ("Suite #1203, 1 Main Street", "***, 1 Main Street"),
        ("12-3-401 Renmin Road", "*** Renmin Road"),
        ("88 Renmin Road, Beijing", "88 Renmin Road, Beijing"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_address_examples(address, masked):
    """R-PT-2 / GB/T 41833: the unit / room part (单元户室号) is hidden, the
    street and road number are kept."""
    assert mask_address(address) == masked


ROADS = st.sampled_from(
    ["人民路", "中山大道", "解放街", "幸福巷", "东风村", "南京东路"]
)
PLACES = st.sampled_from(["", "阳光花园", "国贸大厦", "幸福小区", "SOHO现代城"])
UNITS = st.sampled_from(
    [
        "{a}栋{b}单元{c}室",
        "{a}号楼{b}单元{c}",
        "{a}-{b}-{c}",
        "{a}座{c}",
        "#{c}",
        "{c}室",
        "{c}",
    ]
)


@FAST
@given(
    ROADS,
    st.integers(min_value=1, max_value=999),
    PLACES,
    UNITS,
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=1, max_value=9),
    st.integers(min_value=101, max_value=3299),
)
def test_mask_address_hides_the_room(road, number, place, unit, a, b, c):
    """R-PT-2 / GB/T 41833: whatever the unit notation, the room number is
    gone, the road number kept, and the output differs from the input."""
    prefix = f"广东省广州市天河区{road}{number}号{place}"
    address = prefix + unit.format(a=a if "座" not in unit else "AB"[a % 2], b=b, c=c)
    masked = mask_address(address)
    assert masked != address
    assert masked.startswith(f"广东省广州市天河区{road}{number}号")
    assert masked.endswith("***")
    assert str(c) not in masked[len(prefix) :]


@FAST
@given(
    st.text(alphabet="北京市朝阳区人民路幸福小区大厦花园", min_size=1, max_size=12),
    st.sampled_from(["号", "路", "街", "道", "巷", "村"]),
    st.text(alphabet="幸福小区大厦花园中心", max_size=6),
    st.integers(min_value=1, max_value=99999),
)
def test_mask_address_never_unchanged_with_number_after_last_marker(
    head, marker, filler, tail
):
    """R-PT-2: a number after the last 号/路/街/道/巷/村 is always hidden."""
    address = f"{head}{marker}{filler}{tail}"
    masked = mask_address(address)
    assert masked != address
    assert masked.endswith("***")
    assert not masked[:-3].endswith(str(tail))
