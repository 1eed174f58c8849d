# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Identity documents at receipt signing (R-RC-2, R-RC-3, R-RC-4).

Vectors come from REFERENCE.md sections 1.3 and 1.4; check characters of
the synthetic numbers are computed with the closed form
``(12 - S mod 11) mod 11`` (REFERENCE.md 1.2), independent of the table the
module uses.
"""

from datetime import date
from pathlib import Path

import pytest

from logistics_followup.core import identity
from logistics_followup.core.identity import (
    DEFAULT_ACCEPTED_TYPES,
    DOCUMENT_TYPES,
    DOCUMENT_TYPES_BY_CODE,
    DocumentResult,
    IdentityError,
    convert_15_to_18,
    get_document_type,
    mod112_check_char,
    parse_resident_id,
    validate_document,
)

TODAY = date(2026, 1, 15)
WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]  # 2^(18-i) mod 11, i = 1..17


def closed_form_check(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def with_check(first17: str) -> str:
    return first17 + closed_form_check(first17)


REFERENCE_VECTORS = [
    # number, region, birth date, sequence, sex
    ("11010519491231002X", "110105", date(1949, 12, 31), "002", "female"),
    ("440524188001010014", "440524", date(1880, 1, 1), "001", "male"),
    ("360426199101010071", "360426", date(1991, 1, 1), "007", "male"),
    ("34052419800101001X", "340524", date(1980, 1, 1), "001", "male"),
    ("320124198808240056", "320124", date(1988, 8, 24), "005", "male"),
]


def assert_error(code, func, *args, **kwargs):
    with pytest.raises(IdentityError) as info:
        func(*args, **kwargs)
    assert info.value.code == code, info.value
    return info.value


# ---------------------------------------------------------------- check char
def test_weights_match_reference():
    """R-RC-2: the weights are 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2."""
    assert WEIGHTS == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


@pytest.mark.parametrize("number", [v[0] for v in REFERENCE_VECTORS])
def test_check_char_of_reference_vectors(number):
    """R-RC-2: the check character of each REFERENCE.md vector is recomputed."""
    assert mod112_check_char(number[:17]) == number[17]


def test_check_char_covers_every_remainder():
    """R-RC-2: table "10X98765432" equals the closed form for all 11 values."""
    seen = set()
    for n in range(200):
        first17 = f"{110105194912310000 + n:018d}"[:17]
        assert mod112_check_char(first17) == closed_form_check(first17)
        seen.add(mod112_check_char(first17))
    assert seen == set("0123456789X")


@pytest.mark.parametrize(
    "bad", ["", "1101051949123100", "110105194912310021", "1101051949123100A"]
)
def test_check_char_needs_17_digits(bad):
    """R-RC-2: the check character is only defined for 17 ASCII digits."""
    assert_error("format", mod112_check_char, bad)


# ---------------------------------------------------------------- parsing
@pytest.mark.parametrize(
    ("number", "region", "born", "sequence", "sex"), REFERENCE_VECTORS
)
def test_parse_reference_vectors(number, region, born, sequence, sex):
    """R-RC-2: REFERENCE.md 1.3 vectors parse into their fields."""
    parsed = parse_resident_id(number, TODAY)
    assert parsed.number == number
    assert parsed.number18 == number
    assert parsed.region_code == region
    assert parsed.birth_date == born
    assert parsed.sequence == sequence
    assert parsed.sex == sex
    assert parsed.generation == 2
    assert parsed.check_char == number[-1]


def test_lower_case_x_and_spaces_are_normalised():
    """R-RC-2: ``x`` is read as ``X``; spaces (also full-width) are removed."""
    parsed = parse_resident_id(" 110105 19491231 002x ", TODAY)
    assert parsed.number == "11010519491231002X"
    parsed = parse_resident_id("110105\u300019491231002x", TODAY)
    assert parsed.number == "11010519491231002X"


def test_full_width_digits_are_read():
    """R-RC-2: numbers typed with a Chinese IME (full-width) are accepted."""
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in "11010519491231002X")
    assert parse_resident_id(full_width, TODAY).number == "11010519491231002X"


def test_even_sequence_is_female_odd_is_male():
    """R-RC-2: sequence parity gives the sex (GB 11643-1999)."""
    assert parse_resident_id(with_check("11010519800101002"), TODAY).sex == "female"
    assert parse_resident_id(with_check("11010519800101003"), TODAY).sex == "male"


@pytest.mark.parametrize("number", [None, "", "   "])
def test_empty(number):
    """R-RC-2: nothing entered -> ``empty``."""
    assert_error("empty", parse_resident_id, number, TODAY)


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002",  # 17
        "11010519491231002X1",  # 19
        "1101051949123100XX",  # X not last
        "X1010519491231002X",
        "11010519491231002Y",
        "110105-19491231002X",
        "\u0661" * 18,  # Arabic-Indic digits are not ASCII digits
        "ABCDEFGHIJKLMNOPQR",
    ],
)
def test_format(number):
    """R-RC-2: wrong shape -> ``format``."""
    assert_error("format", parse_resident_id, number, TODAY)


def test_birth_date_not_a_real_date():
    """R-RC-2: 30 February -> ``birth_date``, even with a correct check char."""
    error = assert_error(
        "birth_date", parse_resident_id, with_check("11010519490230002"), TODAY
    )
    assert error.params["reason"] == "not_a_date"
    assert_error(
        "birth_date", parse_resident_id, with_check("11010519491301002"), TODAY
    )
    assert_error(
        "birth_date", parse_resident_id, with_check("11010519490100002"), TODAY
    )


def test_birth_date_before_1800():
    """R-RC-2: born before 1800-01-01 -> ``birth_date``; 1800-01-01 passes."""
    error = assert_error(
        "birth_date", parse_resident_id, with_check("11010517991231002"), TODAY
    )
    assert error.params["reason"] == "too_early"
    assert parse_resident_id(with_check("11010518000101002"), TODAY).birth_date == date(
        1800, 1, 1
    )


def test_birth_date_in_the_future_relative_to_today():
    """R-RC-2: born after ``today`` -> ``birth_date``; born today passes."""
    number = with_check("11010520260116002")
    error = assert_error("birth_date", parse_resident_id, number, TODAY)
    assert error.params["reason"] == "future"
    assert parse_resident_id(number, date(2026, 1, 16)).birth_date == date(2026, 1, 16)


def test_today_defaults_to_the_real_date():
    """R-RC-2: without ``today`` a birth date next year is in the future."""
    next_year = date.today().year + 1
    assert_error(
        "birth_date", parse_resident_id, with_check(f"110105{next_year}0101002")
    )


def test_check_digit():
    """R-RC-2: a wrong check character -> ``check_digit``, no hint given."""
    error = assert_error("check_digit", parse_resident_id, "110105194912310021", TODAY)
    assert error.params == {}
    assert_error("check_digit", parse_resident_id, "440524188001010015", TODAY)


@pytest.mark.parametrize(
    ("first17", "suggested"),
    [
        ("01010519491231002", None),
        ("91562019800101001", "foreign_permanent_resident"),
        ("81000019900101001", "hmt_residence_permit"),
        ("83000020000229003", "hmt_residence_permit"),
    ],
)
def test_region_for_citizens(first17, suggested):
    """R-RC-2: citizens' first digit is 1-8; 9 and 81/82/83+0000 belong to
    other documents and the error says which."""
    error = assert_error("region", parse_resident_id, with_check(first17), TODAY)
    assert error.params.get("suggested_type") == suggested
    assert error.params["region_code"] == first17[:6]


@pytest.mark.parametrize(
    "first17", ["51022119700101001", "71000019700101001", "81010019700101001"]
)
def test_retired_or_unusual_address_codes_are_not_rejected(first17):
    """R-RC-2 / REFERENCE.md 1.5: a retired address code (Chongqing's 51xxxx
    before 1997) or one absent from today's table still validates."""
    assert parse_resident_id(with_check(first17), TODAY).region_code == first17[:6]


def test_hmt_permit_region():
    """R-RC-2: residence permits need 810000/820000/830000."""
    assert parse_resident_id("810000199001010019", TODAY, hmt_permit=True).sex == "male"
    assert (
        parse_resident_id("820000198506150022", TODAY, hmt_permit=True).sex == "female"
    )
    error = assert_error(
        "region", parse_resident_id, "11010519491231002X", TODAY, hmt_permit=True
    )
    assert error.params["suggested_type"] == "resident_id"
    assert_error(
        "region",
        parse_resident_id,
        with_check("81000119900101001"),
        TODAY,
        hmt_permit=True,
    )
    assert_error("format", parse_resident_id, "110105491231002", TODAY, hmt_permit=True)


def test_identity_error_carries_code_and_params():
    """R-RC-2: errors are codes plus parameters, never translated text."""
    error = IdentityError("birth_date", value="19490230", reason="not_a_date")
    assert error.code == "birth_date"
    assert error.params == {"value": "19490230", "reason": "not_a_date"}
    assert isinstance(error, ValueError)
    assert str(error).startswith("birth_date")
    assert str(IdentityError("empty")) == "empty"


# ---------------------------------------------------------------- 15 digits
def test_convert_15_to_18_reference_vector():
    """R-RC-2 / REFERENCE.md 1.4: 110105491231002 -> 11010519491231002X."""
    assert convert_15_to_18("110105491231002") == "11010519491231002X"
    assert convert_15_to_18(" 110105 491231 002 ") == "11010519491231002X"


def test_convert_15_to_18_centenarian_century():
    """R-RC-2: sequence codes 996-999 may denote births in 18YY."""
    converted = convert_15_to_18("110105801231996", century=18)
    assert converted[6:10] == "1880"
    assert converted == with_check("11010518801231996")
    assert_error("format", convert_15_to_18, "110105801231996", century=20)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("", "empty"),
        ("11010549123100", "format"),
        ("11010519491231002X", "format"),
        ("010105491231002", "region"),
        ("110105490230002", "birth_date"),
    ],
)
def test_convert_15_to_18_rejects_garbage(number, code):
    """R-RC-2: a broken 15-digit number must not come out with a valid
    check character."""
    assert_error(code, convert_15_to_18, number)


def test_parse_legacy_15_digit_number():
    """R-RC-2: the 15-digit form parses as generation 1, for legacy data."""
    parsed = parse_resident_id("110105491231002", TODAY)
    assert parsed.generation == 1
    assert parsed.number == "110105491231002"
    assert parsed.number18 == "11010519491231002X"
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "female"


# ---------------------------------------------------------------- documents
def test_document_types_catalogue():
    """R-RC-2: every type the brief lists exists, with a scheme and label."""
    codes = [t.code for t in DOCUMENT_TYPES]
    assert codes == [
        "resident_id",
        "temporary_resident_id",
        "household_register",
        "driving_licence",
        "military_id",
        "armed_police_id",
        "passport",
        "hk_macau_permit",
        "taiwan_permit",
        "hmt_residence_permit",
        "foreign_permanent_resident",
        "marriage_certificate",
        "other",
    ]
    assert set(DOCUMENT_TYPES_BY_CODE) == set(codes)
    citizen = {t.code for t in DOCUMENT_TYPES if t.citizen_number}
    assert citizen == {
        "resident_id",
        "temporary_resident_id",
        "household_register",
        "driving_licence",
    }
    for doc in DOCUMENT_TYPES:
        assert doc.label and doc.format and doc.scheme
        assert doc.confidence in {"V", "S", "U"}
    assert get_document_type("passport").scheme == "passport"
    assert get_document_type("nope") is None
    with pytest.raises(AttributeError):
        DOCUMENT_TYPES[0].code = "x"  # frozen


def test_default_accepted_types_are_the_seed_list():
    """R-RC-2: resident ID card, military officer card, household register,
    driver's licence, marriage certificate."""
    assert DEFAULT_ACCEPTED_TYPES == (
        "resident_id",
        "military_id",
        "household_register",
        "driving_licence",
        "marriage_certificate",
    )
    assert set(DEFAULT_ACCEPTED_TYPES) <= set(DOCUMENT_TYPES_BY_CODE)


# (type, passing number, normalised form, failing number, failing code)
DOCUMENT_CASES = [
    (
        "resident_id",
        "11010519491231002x",
        "11010519491231002X",
        "110105194912310021",
        "check_digit",
    ),
    (
        "temporary_resident_id",
        "440524188001010014",
        "440524188001010014",
        "44052418800101001",
        "format",
    ),
    (
        "household_register",
        "360426199101010071",
        "360426199101010071",
        "360426199102300071",
        "birth_date",
    ),
    (
        "driving_licence",
        "320124198808240056",
        "320124198808240056",
        "920124198808240056",
        "region",
    ),
    ("military_id", "军字第12345678号", "军字第12345678号", "军第123", "format"),
    ("military_id", "lz1234567890", "LZ1234567890", "AB12345", "format"),
    (
        "military_id",
        "2020武00001234",
        "2020武00001234",
        "中国人民解放军某部队政治部",
        "format",
    ),
    ("armed_police_id", "武字第2020001", "武字第2020001", "武字第12号", "format"),
    ("passport", "e12345678", "E12345678", "E1234567", "format"),
    ("passport", "EA1234567", "EA1234567", "EZ1234567", "format"),
    ("passport", "141234567", "141234567", "161234567", "format"),
    ("hk_macau_permit", "H12345678", "H12345678", "K12345678", "format"),
    ("hk_macau_permit", "m 1234567800", "M1234567800", "M123456789", "format"),
    ("taiwan_permit", "12345678", "12345678", "1234567", "format"),
    ("taiwan_permit", "f290299977", "F290299977", "F29029997", "format"),
    (
        "hmt_residence_permit",
        "810000199001010019",
        "810000199001010019",
        "810000199001010018",
        "check_digit",
    ),
    (
        "hmt_residence_permit",
        "830000200002290031",
        "830000200002290031",
        "11010519491231002X",
        "region",
    ),
    (
        "foreign_permanent_resident",
        "915620198001010010",
        "915620198001010010",
        "915620198001010011",
        "check_digit",
    ),
    (
        "foreign_permanent_resident",
        "usa 123456789012",
        "USA123456789012",
        "US1234567890123",
        "format",
    ),
    (
        "foreign_permanent_resident",
        "915620198001010010",
        "915620198001010010",
        "11010519491231002X",
        "region",
    ),
    (
        "marriage_certificate",
        " J110105-2020-001234 ",
        "J110105-2020-001234",
        "x" * 65,
        "too_long",
    ),
    ("other", "港澳台居民身份证明 123", "港澳台居民身份证明 123", "   ", "empty"),
]


@pytest.mark.parametrize(
    ("doc_type", "good", "normalized", "bad", "code"),
    DOCUMENT_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(DOCUMENT_CASES)],
)
def test_validate_document_pass_and_fail(doc_type, good, normalized, bad, code):
    """R-RC-2: each document type accepts its format and rejects a near miss."""
    result = validate_document(doc_type, good, TODAY)
    assert result == DocumentResult(True, None, normalized, result.params)
    assert result.params["doc_type"] == doc_type
    failed = validate_document(doc_type, bad, TODAY)
    assert not failed.valid
    assert failed.code == code
    assert failed.params["doc_type"] == doc_type


@pytest.mark.parametrize("doc_type", [t.code for t in DOCUMENT_TYPES])
def test_validate_document_empty_for_every_type(doc_type):
    """R-RC-2: no number -> ``empty`` whatever the document."""
    for value in (None, "", " \t "):
        result = validate_document(doc_type, value, TODAY)
        assert (result.valid, result.code, result.normalized) == (False, "empty", "")


def test_validate_citizen_scheme_returns_birth_date_and_sex():
    """R-RC-4: birth date and sex help the agent compare with the consignee."""
    result = validate_document("resident_id", "11010519491231002X", TODAY)
    assert result.params == {
        "doc_type": "resident_id",
        "birth_date": "1949-12-31",
        "sex": "female",
    }


@pytest.mark.parametrize(
    "doc_type",
    ["resident_id", "temporary_resident_id", "household_register", "driving_licence"],
)
def test_validate_document_refuses_15_digits(doc_type):
    """R-RC-2: a 15-digit number has no check digit -> ``legacy_15``, with
    the converted number for the agent to confirm with the holder."""
    result = validate_document(doc_type, "110105491231002", TODAY)
    assert (result.valid, result.code) == (False, "legacy_15")
    assert result.params["converted"] == "11010519491231002X"
    broken = validate_document(doc_type, "110105490230002", TODAY)
    assert broken.code == "legacy_15"
    assert "converted" not in broken.params


def test_validate_document_hmt_permit_has_no_15_digit_form():
    """R-RC-2: residence permits were never 15 digits."""
    assert (
        validate_document("hmt_residence_permit", "810000900101001", TODAY).code
        == "format"
    )


def test_validate_document_future_birth_date_uses_today():
    """R-RC-2: ``today`` is passed through to the birth date check."""
    number = with_check("11010520260116002")
    assert validate_document("resident_id", number, TODAY).code == "birth_date"
    assert validate_document("resident_id", number, date(2026, 2, 1)).valid


def test_validate_document_free_text_limit():
    """R-RC-2: marriage certificate / other: format unknown, 64 chars max."""
    assert validate_document("marriage_certificate", "x" * 64, TODAY).valid
    result = validate_document("other", "y" * 65, TODAY)
    assert result.code == "too_long"
    assert result.params["max_length"] == 64
    assert result.params["length"] == 65


def test_validate_document_unknown_type():
    """R-RC-2: an unconfigured type code is reported, not guessed."""
    result = validate_document("library_card", "12345", TODAY)
    assert (result.valid, result.code) == (False, "unknown_type")
    assert result.params == {"doc_type": "library_card"}


def test_module_does_not_import_odoo():
    """The core is pure Python (tests/conftest.py loads it without Odoo)."""
    source = Path(identity.__file__).read_text(encoding="utf-8")
    assert "import odoo" not in source
    assert "from odoo" not in source
