# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Example tests of waybill number normalisation and validation (R-WB-2).

R-WB-2: numbers are normalised (trim, upper-case, strip spaces and dashes) and
validated per courier (format pattern, UPU S10 check digit where the scheme has
one); an invalid number is rejected with the expected format, never stored.
Reference numbers come from REFERENCE.md sections 3.4 and 4.
"""

import ast
import sys

import pytest

from logistics_followup.core import waybill
from logistics_followup.core.waybill import (
    CHECK_SCHEMES,
    DEFAULT_RULES,
    MAX_LENGTH,
    MIN_LENGTH,
    RULE_PROBLEMS,
    VALIDATION_CODES,
    NumberRule,
    ValidationResult,
    candidate_couriers,
    is_valid_s10,
    normalize_number,
    s10_check_digit,
    validate_number,
)

COURIERS = {"SF", "ZTO", "YTO", "STO", "YUNDA", "JD", "EMS", "JT", "DEPPON", "CPI"}

# ---------------------------------------------------------------------------
# normalize_number
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SF3299150988269", "SF3299150988269"),
        ("  sf3299150988269\t\n", "SF3299150988269"),
        ("sf 3299 1509 88269", "SF3299150988269"),
        # Full-width letters and digits (Chinese IME), ideographic space U+3000.
        ("ＳＦ３２９９１５０９８８２６９", "SF3299150988269"),
        ("\u3000ｓｆ３２９９\u3000１５０９８８２６９\u3000", "SF3299150988269"),
        ("7319-0553-1025-32", "73190553102532"),
        ("7319－0553－1025－32", "73190553102532"),  # U+FF0D full-width
        ("JT 1234 5678 90123", "JT1234567890123"),
        ("\u00a0YT1234588888888\u00a0", "YT1234588888888"),  # no-break space
        ("YT\u200b1234588888888\ufeff", "YT1234588888888"),  # zero-width, BOM
        ("JDAWX021335191911-1-2", "JDAWX02133519191112"),
        # "_" is not a dash: it is kept, so the validator can reject it.
        ("sf_3299150988269", "SF_3299150988269"),
        # Non-ASCII letters are not upper-cased into ASCII ones.
        ("straße", "STRAßE"),
        ("", ""),
        ("  \u3000 - ", ""),
    ],
)
def test_normalize_number(raw, expected):
    """R-WB-2: trim, NFKC, upper-case, drop whitespace and dashes."""
    assert normalize_number(raw) == expected


@pytest.mark.parametrize(
    "dash",
    [
        *("-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015"),
        *("\u2212", "\uff0d", "\ufe58", "\ufe63", "\u00ad"),
    ],
)
def test_normalize_number_drops_every_dash(dash):
    """R-WB-2: every dash-like character is dropped, wherever it stands."""
    assert normalize_number(f"{dash}DPK{dash}3604{dash}71829153{dash}") == (
        "DPK360471829153"
    )


@pytest.mark.parametrize("raw", [None, 73190553102532, b"SF3299150988269", ["SF"]])
def test_normalize_number_non_string(raw):
    """R-WB-2: anything but a string normalises to the empty number."""
    assert normalize_number(raw) == ""


# ---------------------------------------------------------------------------
# UPU S10
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("serial", "check"),
    [
        ("47312482", 9),  # Wikipedia example
        ("12345678", 5),
        ("00071759", 5),
        ("96633102", 0),  # 11 - r = 10 -> 0
        ("10000002", 5),  # 11 - r = 11 -> 5
        ("28704377", 5),
    ],
)
def test_s10_check_digit_worked_examples(serial, check):
    """R-WB-2: S10 check digits of REFERENCE.md section 3.4."""
    assert s10_check_digit(serial) == check


@pytest.mark.parametrize(
    "serial",
    [
        *("", "1234567", "123456789", "1234567A", " 12345678"),
        *("１２３４５６７８", "٠١٢٣٤٥٦٧", None, 12345678),
    ],
)
def test_s10_check_digit_rejects_bad_serial(serial):
    """R-WB-2: the serial must be exactly 8 ASCII digits."""
    with pytest.raises(ValueError):
        s10_check_digit(serial)


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("RB123456785GB", True),
        ("RB123456786US", False),
        ("EB000717595HK", True),
        ("EB000717594HK", False),
        ("RR287043775IN", True),
        ("rb 1234 5678 5 gb", True),  # normalised first
        ("RB12345678GB", False),  # serial too short
        ("R1123456785GB", False),
        ("RB123456785G", False),
        ("RB123456785GBX", False),
        ("", False),
        (None, False),
    ],
)
def test_is_valid_s10(number, valid):
    """R-WB-2: S10 structure and check digit, REFERENCE.md section 3.4."""
    assert is_valid_s10(number) is valid


def test_s10_collision_of_remainders_0_and_6():
    """R-WB-2: remainders 0 and 6 both give 5, an undetected 1-digit change.

    Serial 10000002 has S = 22 (mod 11 = 0), 10000006 has S = 50 (mod 11 = 6).
    """
    assert s10_check_digit("10000002") == s10_check_digit("10000006") == 5
    assert is_valid_s10("RB100000025GB")
    assert is_valid_s10("RB100000065GB")


# ---------------------------------------------------------------------------
# DEFAULT_RULES and reference examples
# ---------------------------------------------------------------------------


def test_default_rules_cover_our_couriers():
    """R-WB-2: every courier code has at least one rule."""
    assert set(DEFAULT_RULES) == COURIERS
    assert all(DEFAULT_RULES[code] for code in COURIERS)


@pytest.mark.parametrize(
    "rule",
    [rule for rules in DEFAULT_RULES.values() for rule in rules],
    ids=lambda rule: rule.pattern,
)
def test_default_rules_are_sound(rule):
    """R-WB-2: each default rule has a label, a known check and a passing example."""
    assert rule.problems() == []
    assert rule.example
    assert rule.check in CHECK_SCHEMES
    assert validate_number(rule.example, (rule,)).valid


def test_s10_default_rules_use_the_s10_check():
    """R-WB-2: S10 numbers (EMS international, China Post) verify the check digit."""
    assert validate_number("EA610238771CN", DEFAULT_RULES["EMS"]).valid
    assert validate_number("EA610238771CN", DEFAULT_RULES["CPI"]).valid
    assert validate_number("EA610238772CN", DEFAULT_RULES["EMS"]).code == (
        "check_digit"
    )
    assert validate_number("RR514729381CN", DEFAULT_RULES["CPI"]).code == (
        "check_digit"
    )


@pytest.mark.parametrize(
    ("courier", "number"),
    [
        ("SF", "SF3299150988269"),
        ("SF", "786187979245"),
        ("SF", "755123456789"),
        ("ZTO", "73190553102532"),
        ("YTO", "YT1234588888888"),
        ("YUNDA", "3914712788236"),
        ("JD", "JDAWX021335191911"),
        ("EMS", "1136281381675"),
        ("JT", "JT1234567890123"),
    ],
)
def test_reference_examples_are_accepted(courier, number):
    """R-WB-2: the numbers quoted in REFERENCE.md section 4 pass their courier."""
    result = validate_number(number, DEFAULT_RULES[courier])
    assert result == ValidationResult(
        number,
        True,
        None,
        tuple(rule.label for rule in DEFAULT_RULES[courier]),
        result.matched_rule,
    )
    assert result.matched_rule in DEFAULT_RULES[courier]
    assert courier in candidate_couriers(number)


@pytest.mark.parametrize(
    ("courier", "raw"),
    [
        ("SF", "SF329915098826"),  # 12 digits after SF
        ("SF", "SF32991509882690"),  # 14 digits after SF
        ("SF", "7861879792451"),  # 13 digits, not legacy
        ("ZTO", "63190553102532"),  # 14 digits not starting with 7
        ("YTO", "YT123458888888"),
        ("YTO", "YD1234588888888"),
        ("STO", "553052184469310"),  # 15 digits, neither 77 nor 43
        ("STO", "7730521844693101234"),  # 77 + 17 digits
        ("YUNDA", "562871034558172"),  # 15 digits starting with 5
        ("YUNDA", "46035400000400"),  # 14 digits (REFERENCE.md: maybe truncated)
        ("JD", "JDVA0617843"),  # JD + 9 letters or digits
        ("JD", "JXVA06178434227"),
        ("JD", "JDAWX021335191911-1-2"),  # child number: see the JD rule
        ("EMS", "2136281381675"),
        ("EMS", "EA610238771US"),
        ("JT", "JT123456789012"),
        ("DEPPON", "DPX360471829153"),
        ("DEPPON", "DPK36047182915"),
        ("CPI", "RR514729380US"),
        ("CPI", "AA514729380CN"),
    ],
)
def test_wrong_format_is_rejected(courier, raw):
    """R-WB-2: a number no rule of the courier matches is a format error."""
    result = validate_number(raw, DEFAULT_RULES[courier])
    assert result.valid is False
    assert result.code == "format"
    assert result.matched_rule is None
    assert result.expected == tuple(rule.label for rule in DEFAULT_RULES[courier])


def test_jd_child_number_is_rejected_normalised():
    """R-WB-2: a JD child number loses its dashes and is not a parent number."""
    result = validate_number("JDAWX021335191911-1-2", DEFAULT_RULES["JD"])
    assert result.number == "JDAWX02133519191112"
    assert result.code == "format"
    assert validate_number("JDAWX021335191911", DEFAULT_RULES["JD"]).valid


# ---------------------------------------------------------------------------
# validate_number: every code
# ---------------------------------------------------------------------------

SF_RULES = DEFAULT_RULES["SF"]
SF_LABELS = ("SF + 13 digits", "12 digits (legacy)")


def test_sf_labels_name_the_expected_format():
    """R-WB-2: the error names the expected format (rule labels, in order)."""
    assert validate_number("SF1", SF_RULES).expected == SF_LABELS


@pytest.mark.parametrize(
    ("raw", "code", "number"),
    [
        ("", "empty", ""),
        (None, "empty", ""),
        (" \u3000-\u2014 ", "empty", ""),
        ("SF_3299150988269", "bad_characters", "SF_3299150988269"),
        ("SF3299150988269号", "bad_characters", "SF3299150988269号"),
        ("SF3299150988269.", "bad_characters", "SF3299150988269."),
        ("STRAßE12345", "bad_characters", "STRAßE12345"),
        ("A_", "bad_characters", "A_"),  # characters are checked before length
        ("SF123", "length", "SF123"),
        ("SF" + "1" * 31, "length", "SF" + "1" * 31),
        ("SF329915098826", "format", "SF329915098826"),
    ],
)
def test_validation_codes(raw, code, number):
    """R-WB-2: generic checks in order empty, bad_characters, length, then format."""
    result = validate_number(raw, SF_RULES)
    assert result == ValidationResult(number, False, code, SF_LABELS, None)
    assert code in VALIDATION_CODES


def test_valid_number_reports_the_matching_rule():
    """R-WB-2: a valid number keeps its normalised form and the accepting rule."""
    assert validate_number(" sf 3299-1509-88269 ", SF_RULES) == ValidationResult(
        "SF3299150988269", True, None, SF_LABELS, SF_RULES[0]
    )
    assert validate_number("786187979245", SF_RULES).matched_rule == SF_RULES[1]


def test_check_digit_code():
    """R-WB-2: a pattern matched but its check failed -> check_digit."""
    rules = DEFAULT_RULES["CPI"]
    result = validate_number("rr 514729381 cn", rules)
    assert result == ValidationResult(
        "RR514729381CN", False, "check_digit", (rules[0].label,), rules[0]
    )


def test_any_rule_may_accept():
    """R-WB-2: valid when ANY rule's pattern matches and its check passes."""
    s10 = NumberRule(r"[A-Z]{2}\d{9}[A-Z]{2}", "S10", check="s10")
    loose = NumberRule(r"[A-Z0-9]{13}", "13 letters or digits")
    result = validate_number("RB123456786US", (s10, loose))
    assert result.valid
    assert result.matched_rule == loose
    assert validate_number("RB123456786US", (s10,)).code == "check_digit"


@pytest.mark.parametrize("length", [MIN_LENGTH, MAX_LENGTH])
def test_no_rules_means_generic_checks_only_valid(length):
    """R-WB-2: a courier without rules accepts any A-Z0-9 number of 6..32."""
    assert (MIN_LENGTH, MAX_LENGTH) == (6, 32)
    result = validate_number("A" * length, ())
    assert result == ValidationResult("A" * length, True, None, (), None)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("A" * (MIN_LENGTH - 1), "length"),
        ("A" * (MAX_LENGTH + 1), "length"),
        ("", "empty"),
        ("AB_CDEF", "bad_characters"),
    ],
)
def test_no_rules_means_generic_checks_only_invalid(raw, code):
    """R-WB-2: generic checks still apply to couriers without rules."""
    assert validate_number(raw, []).code == code


def test_broken_rules_do_not_crash_validation():
    """R-WB-2: a broken admin regex never matches; other rules still work."""
    broken = NumberRule("SF(\\d{13}", "broken")
    legacy = NumberRule(r"\d{12}", "12 digits")
    assert validate_number("786187979245", (broken, legacy)).valid
    assert validate_number("SF3299150988269", (broken,)).code == "format"
    assert candidate_couriers("SF3299150988269", {"X": (broken,)}) == []


def test_unknown_check_scheme_fails_closed():
    """R-WB-2: a rule naming an unknown check scheme never passes."""
    rule = NumberRule(r"\d{12}", "12 digits", check="luhn")
    assert validate_number("786187979245", (rule,)).code == "check_digit"


def test_lower_case_pattern_still_matches():
    """R-WB-2: community regexes in lower case match the upper-case number."""
    rule = NumberRule(r"^sf[a-z0-9]\d{12}$", "SF + 13 characters")
    assert validate_number("sf3299150988269", (rule,)).valid


# ---------------------------------------------------------------------------
# NumberRule.problems
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "problems"),
    [
        (NumberRule(r"SF\d{13}", "SF + 13 digits", "SF3299150988269"), []),
        (NumberRule(r"SF\d{13}", "SF + 13 digits", "sf 3299-1509-88269"), []),
        (NumberRule(r"SF\d{13}", "SF + 13 digits"), []),
        (
            NumberRule("SF(\\d{13}", "SF + 13 digits", "SF3299150988269"),
            ["pattern_invalid"],
        ),
        (NumberRule("[A-Z", "broken"), ["pattern_invalid"]),
        (NumberRule("a{2,1}", "broken"), ["pattern_invalid"]),
        (NumberRule("", "SF + 13 digits"), ["pattern_empty"]),
        (NumberRule("  ", "SF + 13 digits"), ["pattern_empty"]),
        (NumberRule(r"SF\d{13}", " "), ["label_empty"]),
        (NumberRule(r"\d{12}", "12 digits", check="luhn"), ["check_unknown"]),
        (NumberRule(r"SF\d{13}", "SF + 13 digits", "SF123"), ["example_length"]),
        (
            NumberRule(r"SF\d{13}", "SF + 13 digits", "SF32991509882690"),
            ["example_format"],
        ),
        (
            NumberRule(r"SF\d{13}", "SF + 13 digits", "SF_3299150988269"),
            ["example_bad_characters"],
        ),
        (NumberRule(r"SF\d{13}", "SF + 13 digits", " - "), ["example_empty"]),
        (
            NumberRule(r"[A-Z]{2}\d{9}CN", "S10", "RR514729381CN", "s10"),
            ["example_check_digit"],
        ),
        (
            NumberRule("(", "", "SF3299150988269", "luhn"),
            ["pattern_invalid", "label_empty", "check_unknown"],
        ),
        # The ORM hands False for empty fields.
        (
            NumberRule(False, False, False, False),
            ["pattern_empty", "label_empty", "check_unknown"],
        ),
    ],
)
def test_rule_problems(rule, problems):
    """R-WB-2: an administrator's rule is checked, never crashes on bad input."""
    assert rule.problems() == problems
    assert set(problems) <= set(RULE_PROBLEMS)


def test_rule_is_frozen():
    """R-WB-2: rules are values; changing one in place is refused."""
    rule = DEFAULT_RULES["SF"][0]
    with pytest.raises(AttributeError):
        rule.pattern = r"\d+"


# ---------------------------------------------------------------------------
# candidate_couriers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "couriers"),
    [
        ("SF3299150988269", ["SF"]),
        ("sf-3299-1509-88269", ["SF"]),
        ("73190553102532", ["ZTO"]),
        ("YT1234588888888", ["YTO"]),
        ("773052184469310", ["STO"]),
        ("JT1234567890123", ["JT"]),
        ("DPK360471829153", ["DEPPON"]),
        ("JDVA06178434227", ["JD"]),
        ("RR514729380CN", ["CPI"]),
        # EMS (E + CN pinned) and CPI (class + CN pinned) tie: mapping order.
        ("EA610238771CN", ["EMS", "CPI"]),
        # A pinned first digit beats pure-digit legacy patterns.
        ("1136281381675", ["EMS", "STO", "YUNDA"]),
        ("5308741902216", ["YUNDA", "STO"]),
        ("462871034558172", ["YUNDA"]),
        # Pure digits everywhere: mapping order.
        ("786187979245", ["SF", "ZTO", "STO"]),
        # Nobody.
        ("RR514729381CN", []),  # wrong check digit
        ("RR514729380US", []),
        ("JDAWX021335191911-1-2", []),
        ("", []),
        ("SF_3299150988269", []),
        ("SF123", []),
    ],
)
def test_candidate_couriers_default_rules(raw, couriers):
    """R-WB-2: which couriers could this number belong to, most specific first."""
    assert candidate_couriers(raw) == couriers


def test_candidate_couriers_prefix_beats_pure_digits():
    """R-WB-2: a pinned prefix ranks first whatever the mapping order."""
    rules = {
        "DIGITS": (NumberRule(r"\d{13}", "13 digits"),),
        "CLASS": (NumberRule(r"[19]\d{12}", "13 digits starting with 1 or 9"),),
        "PREFIX": (NumberRule(r"11\d{11}", "11 + 11 digits"),),
    }
    assert candidate_couriers("1136281381675", rules) == ["PREFIX", "CLASS", "DIGITS"]


def test_candidate_couriers_check_digit_beats_prefix():
    """R-WB-2: a verified check digit outranks even a longer literal prefix."""
    rules = {
        "PLAIN": (NumberRule(r"RR\d{9}CN", "RR + 9 digits + CN"),),
        "S10": (NumberRule(r"[A-Z]{2}\d{9}[A-Z]{2}", "S10", check="s10"),),
    }
    assert candidate_couriers("RR514729380CN", rules) == ["S10", "PLAIN"]
    assert candidate_couriers("RR514729381CN", rules) == ["PLAIN"]


def test_candidate_couriers_uses_best_rule_and_skips_empty_rule_sets():
    """R-WB-2: a courier ranks by its best accepting rule; no rules, no evidence."""
    rules = {
        "ANY": (),
        "LOOSE": (NumberRule(r"\d{12}", "12 digits"),),
        "MIXED": (
            NumberRule(r"\d{12}", "12 digits"),
            NumberRule(r"78\d{10}", "78 + 10 digits"),
        ),
    }
    assert candidate_couriers("786187979245", rules) == ["MIXED", "LOOSE"]
    assert candidate_couriers("686187979245", rules) == ["LOOSE", "MIXED"]


def test_module_is_pure_python():
    """R-WB-2 lives in the core: standard library only, no Odoo import."""
    with open(waybill.__file__, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    modules = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert modules
    assert {name.split(".")[0] for name in modules} <= sys.stdlib_module_names


# --------------------------------------------------------------------------
# Tracking references and tracking pages (R-WB-6)
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("SF3299150988269", ["SF3299150988269"]),
        ("sf3299150988269, SF1234567890123", ["SF3299150988269", "SF1234567890123"]),
        ("SF1;SF2，SF3；SF4、SF5 SF6\tSF7", [f"SF{i}" for i in range(1, 8)]),
        ("SF 3299-1509-88269", ["SF", "3299150988269"]),
        ("SF1, sf1,,", ["SF1"]),
        ("", []),
        (None, []),
        (42, []),
    ],
)
def test_split_numbers(reference, expected):
    """R-WB-6: a picking's tracking reference can carry several numbers."""
    assert waybill.split_numbers(reference) == expected


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("https://example.com/t?no={number}", None),
        ("http://example.com/{number}", None),
        ("", None),
        (None, None),
        ("https://example.com/no-placeholder", "placeholder"),
        ("ftp://example.com/{number}", "scheme"),
        ("example.com/{number}", "scheme"),
    ],
)
def test_tracking_url_problem(template, problem):
    assert waybill.tracking_url_problem(template) == problem


def test_render_tracking_url():
    template = "https://example.com/t?no={number}"
    assert waybill.render_tracking_url(template, " sf-1 ") == (
        "https://example.com/t?no=SF1"
    )
    assert waybill.render_tracking_url(template, "") is None
    assert waybill.render_tracking_url("https://example.com/x", "SF1") is None
    assert waybill.render_tracking_url(None, "SF1") is None
