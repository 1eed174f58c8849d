# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Properties of citizen ID number validation (R-RC-2, R-RC-4).

ISO 7064 MOD 11-2 detects every single-character substitution: the weights
2^(18-i) mod 11 are non-zero and 11 is prime, so changing one digit by d
changes the sum by w*d, never a multiple of 11; a changed check character is
a different residue. So R-RC-4's "any difference, even one character" is
caught for numbers, without exception.
"""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_followup.core.identity import (
    IdentityError,
    convert_15_to_18,
    parse_resident_id,
    validate_document,
)

TODAY = date.today()
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CITIZEN_TYPES = [
    "resident_id",
    "temporary_resident_id",
    "household_register",
    "driving_licence",
]
FAST = settings(max_examples=300, deadline=None)


def closed_form_check(first17: str) -> str:
    """REFERENCE.md 1.2 closed form, independent of the module's table."""
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


@st.composite
def valid_resident_ids(draw):
    region = draw(st.integers(min_value=110000, max_value=659999))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    sequence = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{region:06d}{born:%Y%m%d}{sequence:03d}"
    return first17 + closed_form_check(first17), born, sequence


SUBSTITUTES = st.sampled_from("0123456789X") | st.characters(
    whitelist_categories=("Lu", "Ll"), max_codepoint=0x7F
)


@FAST
@given(valid_resident_ids())
def test_generated_valid_ids_pass(case):
    """R-RC-2: any well-formed number with its check character validates."""
    number, born, sequence = case
    parsed = parse_resident_id(number, TODAY)
    assert parsed.birth_date == born
    assert parsed.sex == ("male" if sequence % 2 else "female")
    assert parsed.number18 == number
    for doc_type in CITIZEN_TYPES:
        result = validate_document(doc_type, number.lower(), TODAY)
        assert result.valid, result
        assert result.normalized == number


@FAST
@given(valid_resident_ids(), st.integers(min_value=0, max_value=17), SUBSTITUTES)
def test_any_single_substitution_is_rejected(case, position, substitute):
    """R-RC-2 / R-RC-4: one changed character is always rejected."""
    number = case[0]
    if substitute.upper() == number[position]:
        substitute = "0" if number[position] != "0" else "1"
    changed = number[:position] + substitute + number[position + 1 :]
    assert changed.upper() != number
    try:
        parse_resident_id(changed, TODAY)
    except IdentityError as error:
        assert error.code in {"format", "region", "birth_date", "check_digit"}
    else:
        raise AssertionError(f"{changed} (from {number}) was accepted")
    for doc_type in CITIZEN_TYPES:
        assert not validate_document(doc_type, changed, TODAY).valid


def test_every_single_substitution_of_one_number_exhaustively():
    """R-RC-2: all 18 x 36 substitutions of the standard's example fail."""
    number = "11010519491231002X"
    alphabet = "0123456789XABCDEFGHIJKLMNOPQRSTUVWYZ"
    tried = 0
    for position in range(18):
        for substitute in alphabet:
            if substitute == number[position]:
                continue
            changed = number[:position] + substitute + number[position + 1 :]
            tried += 1
            assert not validate_document("resident_id", changed, TODAY).valid, changed
    assert tried == 18 * 35


@FAST
@given(valid_resident_ids(), st.integers(min_value=0, max_value=16))
def test_adjacent_transposition_of_different_digits_is_rejected(case, position):
    """R-RC-4: swapping two different neighbouring digits is caught too
    (weights of neighbours differ mod 11)."""
    number = case[0]
    a, b = number[position], number[position + 1]
    if a == b or "X" in (a, b):
        return
    swapped = number[:position] + b + a + number[position + 2 :]
    assert not validate_document("resident_id", swapped, TODAY).valid


@FAST
@given(
    st.integers(min_value=110000, max_value=659999),
    st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_15_to_18_round_trip(region, born, sequence):
    """R-RC-2: a converted 15-digit number is a valid 18-character number
    with the same region, birth date and sequence."""
    number15 = f"{region:06d}{born:%y%m%d}{sequence:03d}"
    number18 = convert_15_to_18(number15)
    parsed = parse_resident_id(number18, TODAY)
    assert parsed.region_code == f"{region:06d}"
    assert parsed.birth_date == born
    assert parsed.sequence == f"{sequence:03d}"
    legacy = parse_resident_id(number15, TODAY)
    assert legacy.generation == 1
    assert legacy.number18 == number18
    result = validate_document("resident_id", number15, TODAY)
    assert (result.code, result.params["converted"]) == ("legacy_15", number18)


@FAST
@given(valid_resident_ids(), st.integers(min_value=1, max_value=3650))
def test_future_birth_dates_are_rejected(case, days):
    """R-RC-2: a birth date after ``today`` is rejected."""
    number, born, _sequence = case
    before = born - timedelta(days=days)
    if before < date(1800, 1, 1):
        return
    result = validate_document("resident_id", number, before)
    assert result.code == "birth_date"
