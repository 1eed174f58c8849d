# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Property tests of waybill number validation (R-WB-2).

R-WB-2: numbers are normalised and validated per courier, with the UPU S10
check digit where the scheme has one. Valid numbers are generated from the
documented structure of each rule (REFERENCE.md sections 3 and 4), not by
filtering random text; S10 check digits are computed here independently.

S10 does not catch every single-character error, and the tests say so:
remainders 0 and 6 both give check digit 5, and neither the service indicator
nor the country code is covered by the check digit.
"""

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from logistics_followup.core import waybill
from logistics_followup.core.waybill import (
    DEFAULT_RULES,
    candidate_couriers,
    is_valid_s10,
    normalize_number,
    s10_check_digit,
    validate_number,
)

DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = DIGITS + LETTERS


def _s10_remainder(serial):
    weights = (8, 6, 4, 2, 3, 5, 9, 7)
    return sum(int(d) * w for d, w in zip(serial, weights, strict=True)) % 11


def _reference_check(serial):
    """UPU S10 check digit, written as a table over the remainder."""
    # remainder: 0  1  2  3  4  5  6  7  8  9  10
    return (5, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1)[_s10_remainder(serial)]


def _chars(alphabet, min_size, max_size=None):
    return st.text(
        alphabet=alphabet,
        min_size=min_size,
        max_size=min_size if max_size is None else max_size,
    )


def _join(*parts):
    return st.tuples(
        *(st.just(part) if isinstance(part, str) else part for part in parts)
    ).map("".join)


@st.composite
def _s10(draw, first_letters=LETTERS, country=None):
    """A valid S10 number: indicator, serial, computed check digit, country."""
    serial = draw(_chars(DIGITS, 8))
    return (
        draw(st.sampled_from(first_letters))
        + draw(st.sampled_from(LETTERS))
        + serial
        + str(_reference_check(serial))
        + (country or draw(_chars(LETTERS, 2)))
    )


# The documented structure of each default rule, keyed by (courier, pattern).
STRUCTURES = {
    ("SF", r"SF\d{13}"): _join("SF", _chars(DIGITS, 13)),
    ("SF", r"\d{12}"): _chars(DIGITS, 12),
    ("ZTO", r"7\d{13}"): _join("7", _chars(DIGITS, 13)),
    ("ZTO", r"\d{12}"): _chars(DIGITS, 12),
    ("YTO", r"YT\d{13}"): _join("YT", _chars(DIGITS, 13)),
    ("STO", r"(?:77|43)\d{12,15}"): _join(
        st.sampled_from(["77", "43"]), _chars(DIGITS, 12, 15)
    ),
    ("STO", r"\d{12,13}"): _chars(DIGITS, 12, 13),
    ("YUNDA", r"[34]\d{14}"): _join(st.sampled_from("34"), _chars(DIGITS, 14)),
    ("YUNDA", r"5\d{12}"): _join("5", _chars(DIGITS, 12)),
    ("YUNDA", r"\d{13}"): _chars(DIGITS, 13),
    ("JD", r"JD[0-9A-Z]{2}\d{11}"): _join("JD", _chars(ALNUM, 2), _chars(DIGITS, 11)),
    ("JD", r"JD[0-9A-Z]{11,15}"): _join("JD", _chars(ALNUM, 11, 15)),
    ("EMS", r"[189]\d{12}"): _join(st.sampled_from("189"), _chars(DIGITS, 12)),
    ("EMS", r"P[A-Z]\d{11}"): _join("P", _chars(LETTERS, 1), _chars(DIGITS, 11)),
    ("EMS", r"E[A-Z]\d{9}CN"): _s10("E", "CN"),
    ("JT", r"JT\d{13}"): _join("JT", _chars(DIGITS, 13)),
    ("DEPPON", r"DP[KL]\d{12}"): _join("DP", st.sampled_from("KL"), _chars(DIGITS, 12)),
    ("CPI", r"[ECRLVUH][A-Z]\d{9}CN"): _s10("ECRLVUH", "CN"),
}

_RULES = {
    (courier, rule.pattern): rule
    for courier, rules in DEFAULT_RULES.items()
    for rule in rules
}

SEPARATORS = [" ", "\u3000", "\t", "-", "\u2014", "\u2212", "\uff0d", "\u200b"]


def test_every_default_rule_has_a_structure():
    """R-WB-2: a rule added to DEFAULT_RULES needs its generator here."""
    assert set(STRUCTURES) == set(_RULES)


@pytest.mark.parametrize("key", sorted(STRUCTURES), ids="/".join)
@given(data=st.data())
def test_structured_numbers_pass_their_rule(key, data):
    """R-WB-2: any number of a rule's documented structure passes the rule,
    its courier's rule set, and names its courier as a candidate."""
    courier, _pattern = key
    number = data.draw(STRUCTURES[key])
    rule = _RULES[key]
    assert validate_number(number, (rule,)).valid
    result = validate_number(number, DEFAULT_RULES[courier])
    assert result.valid
    assert result.number == number
    assert courier in candidate_couriers(number)


_ANY_STRUCTURED = st.sampled_from(sorted(STRUCTURES)).flatmap(
    lambda key: STRUCTURES[key].map(lambda number: (key[0], number))
)


@st.composite
def _noisy(draw, number):
    """``number`` as a person might type or paste it."""
    out = [draw(st.sampled_from(["", " ", "\u3000", "\n"]))]
    for char in number:
        if char in LETTERS and draw(st.booleans()):
            char = char.lower()
        if draw(st.booleans()):
            char = chr(ord(char) + 0xFEE0)  # full-width form
        out.append(char)
        if draw(st.integers(0, 3)) == 0:
            out.append(draw(st.sampled_from(SEPARATORS)))
    out.append(draw(st.sampled_from(["", " ", "\t"])))
    return "".join(out)


@given(data=st.data(), courier_number=_ANY_STRUCTURED)
def test_formatting_noise_does_not_change_the_verdict(data, courier_number):
    """R-WB-2: case, full-width forms, spaces and dashes are normalised away."""
    courier, number = courier_number
    noisy = data.draw(_noisy(number))
    assert normalize_number(noisy) == number
    result = validate_number(noisy, DEFAULT_RULES[courier])
    assert result.valid
    assert result.number == number


@given(st.text())
@example("e \u0301")  # dropping the space lets e and the accent compose
@example("i\u0307")  # upper-casing lets I and the dot above compose
def test_normalize_is_idempotent(raw):
    """R-WB-2: a stored (normalised) number normalises to itself."""
    once = normalize_number(raw)
    assert normalize_number(once) == once


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_validation_never_crashes_and_valid_means_clean(raw):
    """R-WB-2: any input gets a verdict; a valid number is A-Z0-9, 6..32 long."""
    for rules in DEFAULT_RULES.values():
        result = validate_number(raw, rules)
        assert (result.code is None) is result.valid
        if result.valid:
            assert result.number.isascii() and result.number.isalnum()
            assert result.number.upper() == result.number
            assert 6 <= len(result.number) <= 32


# ---------------------------------------------------------------------------
# UPU S10
# ---------------------------------------------------------------------------


@given(_chars(DIGITS, 8))
def test_s10_check_digit_matches_reference(serial):
    """R-WB-2: the check digit is 11 - S mod 11, 10 -> 0, 11 -> 5."""
    assert s10_check_digit(serial) == _reference_check(serial)


@given(_s10())
def test_any_change_of_the_check_digit_is_rejected(number):
    """R-WB-2 (a): replacing the check digit by any other character is caught."""
    assert is_valid_s10(number)
    for char in ALNUM:
        if char != number[10]:
            assert not is_valid_s10(number[:10] + char + number[11:])


def test_collision_is_reachable():
    """R-WB-2 (b): the 0 <-> 6 collision really happens on a 1-digit change."""
    before, after = "10000002", "10000006"
    assert (_s10_remainder(before), _s10_remainder(after)) == (0, 6)
    assert is_valid_s10(f"RB{before}5GB")
    assert is_valid_s10(f"RB{after}5GB")


@given(_s10())
def test_single_digit_change_of_the_serial_is_rejected_unless_0_6(number):
    """R-WB-2 (b): a 1-digit serial change is caught unless S mod 11 moves
    between 0 and 6 (both give check digit 5). Letters in the serial are
    always caught."""
    serial = number[2:10]
    for index in range(8):
        for char in ALNUM:
            if char == serial[index]:
                continue
            changed = serial[:index] + char + serial[index + 1 :]
            mutated = number[:2] + changed + number[10:]
            if char in LETTERS:
                assert not is_valid_s10(mutated)
                continue
            collision = {_s10_remainder(serial), _s10_remainder(changed)} == {0, 6}
            assert is_valid_s10(mutated) is collision


_CPI_RULES = DEFAULT_RULES["CPI"]


@given(_s10("ECRLVUH", "CN"), st.integers(0, 1), st.sampled_from(ALNUM))
def test_cpi_country_change_is_rejected(number, index, char):
    """R-WB-2 (c): China Post international items are issued in CN; the check
    digit does not cover the country, so the CPI rule must reject the change."""
    assert validate_number(number, _CPI_RULES).valid
    country = list("CN")
    country[index] = char
    mutated = number[:11] + "".join(country)
    if mutated == number:
        return
    assert validate_number(mutated, _CPI_RULES).code == "format"
    # The S10 check alone cannot see it when the country is still 2 letters.
    assert is_valid_s10(mutated) is (char in LETTERS)


@given(_s10("ECRLVUH", "CN"), st.sampled_from(LETTERS))
def test_cpi_service_indicator_outside_the_ranges_is_rejected(number, first):
    """R-WB-2: the check digit does not cover the service indicator either; the
    CPI rule accepts only E, C, R, L, V, U and H."""
    mutated = first + number[1:]
    assert is_valid_s10(mutated)
    assert validate_number(mutated, _CPI_RULES).valid is (first in "ECRLVUH")


# lower case, separators, full-width forms, invisible and combining characters
MESSY = "abcz -_\u3000\u200b\uff33\uff11\u00e9\u0301"


def _normalize_reference(raw):
    """normalize_number without its shortcut for canonical numbers."""
    text = unicodedata.normalize("NFKC", raw).translate(waybill._ASCII_UPPER)
    text = "".join(char for char in text if not waybill._dropped(char))
    return unicodedata.normalize("NFKC", text)


@given(
    st.one_of(
        st.text(alphabet=ALNUM, max_size=20),
        st.text(alphabet=ALNUM + MESSY, max_size=20),
        st.text(max_size=12),
    )
)
def test_normalize_number_shortcut_changes_nothing(raw):
    """R-WB-2: a number already canonical is returned as it is, any other
    goes through NFKC, upper-casing and dropping: same result either way."""
    assert normalize_number(raw) == _normalize_reference(raw)
    assert normalize_number(normalize_number(raw)) == normalize_number(raw)


_ODD_RULES = (
    waybill.NumberRule(r"SF\d{13}", "SF + 13 digits"),
    waybill.NumberRule(r"[A-Z]{2}\d{9}[A-Z]{2}", "S10-like", check="s10"),
    waybill.NumberRule(r"\d{12}", "12 digits"),
    waybill.NumberRule(r"\d{12}", "12 digits"),  # a repeated label
    waybill.NumberRule(r"(unclosed", "bad pattern"),
    waybill.NumberRule(r"\d+", "unknown check", check="luhn"),
    waybill.NumberRule(None, "no pattern"),
    waybill.NumberRule(r"\w+", "no check", check=None),
)


@given(
    st.one_of(
        st.sampled_from(sorted(DEFAULT_RULES)).map(DEFAULT_RULES.get),
        st.lists(st.sampled_from(_ODD_RULES), max_size=4).map(tuple),
    ),
    st.one_of(
        st.sampled_from(
            [rule.example for rules in DEFAULT_RULES.values() for rule in rules]
        ),
        st.text(alphabet=ALNUM, max_size=20),
        st.text(alphabet=ALNUM + MESSY, max_size=20),
        st.text(max_size=12),
        st.none(),
        st.integers(),
    ),
)
def test_number_checker_validates_like_validate_number(rules, raw):
    """R-WB-2: a courier's rules prepared once (a batch of tracking rows)
    validate every number exactly like validate_number."""
    checker = waybill.NumberChecker(rules)
    assert checker.validate(raw) == validate_number(raw, rules)
    assert checker.validate(raw) == validate_number(raw, list(rules))
