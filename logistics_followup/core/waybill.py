# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Waybill (tracking) number normalisation and validation (R-WB-2, docs/rules.md).

R-WB-2: the first step on "no record at all" is to verify the waybill number.
Numbers are normalised (trim, upper-case, strip spaces and dashes) and checked
per courier: a format pattern, and a check digit where the courier's scheme has
one (UPU S10 for EMS / China Post international items). An invalid number is
rejected with a message naming the expected format, never silently stored.

This module returns codes and parameters only. The ORM layer turns them into
translated messages:

* :data:`VALIDATION_CODES` are the values of :attr:`ValidationResult.code`;
  :attr:`ValidationResult.expected` carries the rule labels for the message and
  :data:`MIN_LENGTH` / :data:`MAX_LENGTH` the bounds behind ``"length"``.
* :data:`RULE_PROBLEMS` are the codes returned by :meth:`NumberRule.problems`
  (an administrator's rule checked before it is saved).

About the data (REFERENCE.md sections 3 and 4):

* The UPU S10 check digit (REFERENCE.md section 3) is exact: it comes from the
  standard and the worked examples were recomputed.
* The domestic formats in :data:`DEFAULT_RULES` are community knowledge
  (REFERENCE.md section 4, confidence S or C: community regexes, API samples,
  old "rules from the official website" notes). No courier publishes a
  specification, the formats change over time (ZTO went from 12 to 14 digits,
  SF from 12 digits to ``SF`` + 13) and no domestic check digit is public.
  They are defaults: data an administrator corrects and extends, not
  hard-coded truth. Where the sources conflict the defaults are tolerant
  (they accept the union) rather than strict.
"""

import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "CHECK_SCHEMES",
    "DEFAULT_RULES",
    "MAX_LENGTH",
    "MIN_LENGTH",
    "RULE_PROBLEMS",
    "VALIDATION_CODES",
    "NumberChecker",
    "NumberRule",
    "ValidationResult",
    "candidate_couriers",
    "is_valid_s10",
    "normalize_number",
    "s10_check_digit",
    "validate_number",
]

#: Length bounds of a normalised number: kuaidi100 accepts 6 to 32 characters
#: (REFERENCE.md section 4).
MIN_LENGTH = 6
MAX_LENGTH = 32

#: Check-digit schemes a :class:`NumberRule` may name.
CHECK_SCHEMES = ("none", "s10")

#: Values of :attr:`ValidationResult.code` for an invalid number.
VALIDATION_CODES = ("empty", "bad_characters", "length", "format", "check_digit")

#: Codes returned by :meth:`NumberRule.problems`. ``example_<code>`` means the
#: rule's own example fails :func:`validate_number` with ``<code>``.
RULE_PROBLEMS = (
    "pattern_empty",
    "pattern_invalid",
    "label_empty",
    "check_unknown",
    *(f"example_{code}" for code in VALIDATION_CODES),
)

# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------

# Dash-like characters dropped by normalisation. NFKC runs first, so their
# compatibility forms (U+FE58, U+FE63, U+2011, ...) arrive here as one of these.
# "_" is deliberately NOT a dash: it stays, and the validator rejects it.
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d")

_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)

_ALLOWED = re.compile(r"[A-Z0-9]*")


def _dropped(char: str) -> bool:
    return (
        char in _DASHES
        or char.isspace()
        # Invisible format characters (zero-width space, BOM, soft hyphen,
        # bidi marks) come with copy-paste; the user cannot see them, so
        # reporting them as bad characters would only confuse.
        or unicodedata.category(char) == "Cf"
    )


def normalize_number(raw: object) -> str:
    """Return the canonical form of a waybill number (R-WB-2).

    NFKC first (full-width ``ＳＦ１２`` becomes ``SF12``, U+3000 becomes a
    space), then ASCII letters are upper-cased, and every whitespace character,
    invisible format character (category Cf) and dash-like character
    (``-``, U+2010..U+2015, U+2212, U+FF0D) is dropped, wherever it is; this
    also trims. Anything else is kept, e.g. ``_``, so that
    :func:`validate_number` reports it as ``"bad_characters"``.

    Only ASCII letters are upper-cased: ``str.upper`` would turn ``ß`` into
    ``SS`` or dotless ``ı`` into ``I``, making a foreign character look like a
    valid one. ``None`` and non-string values give ``""``.
    """
    if not isinstance(raw, str):
        return ""
    if type(raw) is str and _ALLOWED.fullmatch(raw):
        # already canonical (ASCII upper-case letters and digits: NFKC, the
        # upper-casing and the dropping below all leave it as it is); the
        # common case, e.g. a number normalised once and checked again
        return raw
    text = unicodedata.normalize("NFKC", raw).translate(_ASCII_UPPER)
    text = "".join(char for char in text if not _dropped(char))
    # Dropping characters or upper-casing can put a letter next to a combining
    # mark it now composes with ("e \u0301" -> "e\u0301" -> "é"); normalise
    # again so that normalising a normalised number changes nothing.
    return unicodedata.normalize("NFKC", text)


# ---------------------------------------------------------------------------
# UPU S10 (REFERENCE.md section 3), exact
# ---------------------------------------------------------------------------

_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_S10_SERIAL = re.compile(r"[0-9]{8}")
_S10 = re.compile(r"[A-Z]{2}([0-9]{8})([0-9])[A-Z]{2}")


def s10_check_digit(serial: str) -> int:
    """Return the UPU S10 check digit of an 8-digit serial number.

    S = sum of the digits weighted 8 6 4 2 3 5 9 7; C = 11 - (S mod 11), with
    10 giving 0 and 11 giving 5. Raise ``ValueError`` unless ``serial`` is a
    string of exactly 8 ASCII digits.

    Note: remainders 0 and 6 both give 5, so the scheme does not detect every
    single-digit error (see the property tests).
    """
    if not isinstance(serial, str) or not _S10_SERIAL.fullmatch(serial):
        raise ValueError(f"S10 serial must be 8 ASCII digits, got {serial!r}")
    total = sum(
        int(digit) * weight for digit, weight in zip(serial, _S10_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    if check == 10:
        return 0
    if check == 11:
        return 5
    return check


def is_valid_s10(number: object) -> bool:
    """Tell whether ``number`` is a well-formed UPU S10 identifier (R-WB-2).

    The input is normalised first (:func:`normalize_number`), then it must be
    2 letters, 8 serial digits, the check digit and 2 letters, with the correct
    check digit. Neither the service indicator nor the country code is
    checked against a list here (they are not covered by the check digit
    either); a :class:`NumberRule` pattern restricts them.
    """
    match = _S10.fullmatch(normalize_number(number))
    return bool(match) and s10_check_digit(match[1]) == int(match[2])


def _no_check(number: str) -> bool:
    return True


_CHECKS: dict[str, Callable[[str], bool]] = {"none": _no_check, "s10": is_valid_s10}

# ---------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str] | None:
    """Compile a rule pattern, or return ``None`` if it is not a valid regex.

    ASCII so that ``\\d`` means ``[0-9]``; IGNORECASE because normalised
    numbers are upper-case, so a pattern typed in lower case (as many community
    regexes are, e.g. ``^SF[a-z0-9]\\d{12}$``) still means what its author
    meant instead of silently matching nothing.
    """
    try:
        return re.compile(pattern, re.ASCII | re.IGNORECASE)
    except (re.error, TypeError, ValueError, OverflowError, RecursionError):
        return None


def _pattern_matches(rule: "NumberRule", number: str) -> bool:
    compiled = _compile(rule.pattern) if isinstance(rule.pattern, str) else None
    return compiled is not None and compiled.fullmatch(number) is not None


def _check_passes(rule: "NumberRule", number: str) -> bool:
    # An unknown scheme fails closed; NumberRule.problems() reports it.
    check = _CHECKS.get(rule.check) if isinstance(rule.check, str) else None
    return check is not None and check(number)


@dataclass(frozen=True)
class NumberRule:
    """One accepted format of a courier's waybill numbers (R-WB-2).

    ``pattern`` is a regex that must match the whole *normalised* number
    (anchors are allowed but not needed). ``label`` is a short English
    description shown to users as the expected format, e.g. "SF + 13 digits".
    ``example`` is a number that passes the rule (documentation, and a self
    test of the rule). ``check`` is one of :data:`CHECK_SCHEMES`.

    Creating a rule never fails, since administrators type patterns in the UI;
    call :meth:`problems` before saving one. A rule whose pattern does not
    compile never matches, and one with an unknown check never passes.
    """

    pattern: str
    label: str
    example: str = ""
    check: str = "none"

    def problems(self) -> list[str]:
        """Return the problem codes of this rule (see :data:`RULE_PROBLEMS`).

        An empty list means the rule is usable: its pattern compiles, its
        label is not blank, its check scheme is known, and its example (if
        given) is accepted by the rule itself, generic checks included.
        """
        problems = []
        pattern_ok = False
        if not isinstance(self.pattern, str) or not self.pattern.strip():
            problems.append("pattern_empty")
        elif _compile(self.pattern) is None:
            problems.append("pattern_invalid")
        else:
            pattern_ok = True
        if not isinstance(self.label, str) or not self.label.strip():
            problems.append("label_empty")
        check_ok = self.check in CHECK_SCHEMES
        if not check_ok:
            problems.append("check_unknown")
        if (
            pattern_ok
            and check_ok
            and isinstance(self.example, str)
            and self.example.strip()
        ):
            result = validate_number(self.example, (self,))
            if not result.valid:
                problems.append(f"example_{result.code}")
        return problems


# Default rules, from REFERENCE.md section 4 (domestic, confidence S/C) and
# section 3 (S10, exact). Order inside a courier: current format first, legacy
# forms after. "(ref)" marks numbers quoted in REFERENCE.md (the tests use
# them); examples not marked so are made up to the documented structure (S10
# ones with a computed check digit).
DEFAULT_RULES: dict[str, tuple[NumberRule, ...]] = {
    "SF": (
        # (ref) SF3299150988269: WeChat e-waybill API response; SF doc:
        # waybillNo String(15).
        NumberRule(r"SF\d{13}", "SF + 13 digits", "SF3299150988269"),
        # (ref) legacy 786187979245 (broven/KuaiDi100API), 755123456789.
        NumberRule(r"\d{12}", "12 digits (legacy)", "786187979245"),
    ),
    "ZTO": (
        # Sources disagree on the second digit (7[3-68] vs 78): accept 7x.
        # (ref) 73190553102532.
        NumberRule(r"7\d{13}", "14 digits starting with 7", "73190553102532"),
        NumberRule(r"\d{12}", "12 digits (legacy)", "531258620413"),
    ),
    "YTO": (
        # (ref) YT1234588888888 (kuaidi100 autonumber doc).
        NumberRule(r"YT\d{13}", "YT + 13 digits", "YT7318826453017"),
    ),
    "STO": (
        # Sources conflict: 77/43 + 12..15 digits (BF-zh), 77 + 13 digits
        # (other apps, a subset), 12..13 digits (older notes): union of all.
        NumberRule(
            r"(?:77|43)\d{12,15}", "77 or 43 + 12 to 15 digits", "773052184469310"
        ),
        NumberRule(r"\d{12,13}", "12 or 13 digits (legacy)", "268105537812"),
    ),
    "YUNDA": (
        NumberRule(r"[34]\d{14}", "15 digits starting with 3 or 4", "462871034558172"),
        NumberRule(r"5\d{12}", "13 digits starting with 5", "5308741902216"),
        # The 13-digit sample captured from kuaidi100, (ref) 3914712788236,
        # starts with 3, so the BF-zh "13 digits start with 5" is too strict;
        # old note: "13 digits, rule from Yunda's website".
        NumberRule(r"\d{13}", "13 digits (legacy)", "3914712788236"),
    ),
    "JD": (
        NumberRule(
            r"JD[0-9A-Z]{2}\d{11}",
            "JD + 2 letters or digits + 11 digits",
            "JDVA06178434227",
        ),
        # BF-zh and others give JD + 11..13 letters/digits, but the only number
        # from an official JD-ecosystem document, (ref) JDAWX021335191911
        # (WeChat channels e-waybill add_suborder), has 15 after "JD": accept
        # up to 15. Parent/child numbers (子母单) "<parent>-<seq>-<total>" are
        # NOT accepted: normalisation drops the dashes and glues seq and total
        # to the parent (JDAWX021335191911-1-2 -> JDAWX02133519191112, 17 after
        # "JD", rejected), which is no longer a number any carrier API knows,
        # and child numbers all change when a child is added. The stable
        # identifier to record is the parent number. (A short parent plus its
        # suffix can still fall within 15 characters after "JD" and pass: a
        # limit of any rule once the dashes are gone.)
        NumberRule(
            r"JD[0-9A-Z]{11,15}", "JD + 11 to 15 letters or digits", "JDAWX021335191911"
        ),
    ),
    "EMS": (
        # (ref) 1136281381675 (kuaidi100 subscription doc, company "ems").
        NumberRule(
            r"[189]\d{12}", "13 digits starting with 1, 8 or 9", "1136281381675"
        ),
        NumberRule(r"P[A-Z]\d{11}", "P + 1 letter + 11 digits", "PA20458193726"),
        # International EMS issued in China: UPU S10, service indicator EA-EZ.
        NumberRule(
            r"E[A-Z]\d{9}CN",
            "E + 1 letter + 9 digits + CN (UPU S10)",
            "EA610238771CN",
            "s10",
        ),
    ),
    "JT": (
        # (ref) JT1234567890123.
        NumberRule(r"JT\d{13}", "JT + 13 digits", "JT5091873524416"),
    ),
    "DEPPON": (
        NumberRule(r"DP[KL]\d{12}", "DPK or DPL + 12 digits", "DPK360471829153"),
    ),
    "CPI": (
        # China Post international: UPU S10 issued in CN, service indicators
        # E (EMS), C (parcel), R (registered), L (express letter), V (insured),
        # U (customs-controlled letter), H (e-commerce parcel); REFERENCE.md 3.2.
        NumberRule(
            r"[ECRLVUH][A-Z]\d{9}CN",
            "E, C, R, L, V, U or H + 1 letter + 9 digits + CN (UPU S10)",
            "RR514729380CN",
            "s10",
        ),
    ),
}

# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidationResult:
    """Outcome of :func:`validate_number` (R-WB-2).

    ``number`` is the normalised number (store this one). ``code`` is ``None``
    when valid, else one of :data:`VALIDATION_CODES`. ``expected`` holds the
    labels of the rules, for the "expected format" message. ``matched_rule``
    is the rule that accepted the number; for ``"check_digit"`` it is the
    first rule whose pattern matched (whose check then failed); otherwise
    ``None``.
    """

    number: str
    valid: bool
    code: str | None
    expected: tuple[str, ...] = ()
    matched_rule: NumberRule | None = None


def _generic_code(number: str) -> str | None:
    if not number:
        return "empty"
    if not _ALLOWED.fullmatch(number):
        return "bad_characters"
    if not MIN_LENGTH <= len(number) <= MAX_LENGTH:
        return "length"
    return None


def validate_number(raw: object, rules: Iterable[NumberRule]) -> ValidationResult:
    """Normalise ``raw`` and validate it against ``rules`` (R-WB-2).

    Generic checks first, in this order: ``"empty"``, ``"bad_characters"``
    (anything but A-Z and 0-9 after normalisation), ``"length"`` (outside
    :data:`MIN_LENGTH`..:data:`MAX_LENGTH`). Then the rules, in order: the
    number is valid if ANY rule's pattern matches and its check passes (the
    first such rule is ``matched_rule``). If some patterns matched but all
    their checks failed the code is ``"check_digit"``, if none matched
    ``"format"``. With no rules only the generic checks apply (for couriers
    without rules).
    """
    rules = tuple(rules)
    number = normalize_number(raw)
    expected = tuple(dict.fromkeys(rule.label for rule in rules))
    code = _generic_code(number)
    if code is not None:
        return ValidationResult(number, False, code, expected)
    if not rules:
        return ValidationResult(number, True, None, expected)
    check_failed = None
    for rule in rules:
        if not _pattern_matches(rule, number):
            continue
        if _check_passes(rule, number):
            return ValidationResult(number, True, None, expected, rule)
        if check_failed is None:
            check_failed = rule
    if check_failed is not None:
        return ValidationResult(number, False, "check_digit", expected, check_failed)
    return ValidationResult(number, False, "format", expected)


class NumberChecker:
    """:func:`validate_number` against one courier's rules, prepared once for
    many numbers (a batch of tracking rows, R-WB-2).

    ``checker.validate(raw)`` returns exactly ``validate_number(raw, rules)``:
    the labels, compiled patterns and check functions of the rules are looked
    up once instead of at every number. It is a snapshot of ``rules``.
    """

    __slots__ = ("_tests", "expected", "rules")

    def __init__(self, rules: Iterable[NumberRule]) -> None:
        self.rules = tuple(rules)
        self.expected = tuple(dict.fromkeys(rule.label for rule in self.rules))
        self._tests = tuple(
            (
                rule,
                _compile(rule.pattern) if isinstance(rule.pattern, str) else None,
                _CHECKS.get(rule.check) if isinstance(rule.check, str) else None,
            )
            for rule in self.rules
        )

    def validate(self, raw: object) -> ValidationResult:
        """Same as ``validate_number(raw, self.rules)``."""
        number = normalize_number(raw)
        expected = self.expected
        code = _generic_code(number)
        if code is not None:
            return ValidationResult(number, False, code, expected)
        if not self._tests:
            return ValidationResult(number, True, None, expected)
        check_failed = None
        for rule, compiled, check in self._tests:
            if compiled is None or compiled.fullmatch(number) is None:
                continue
            if check is not None and check(number):
                return ValidationResult(number, True, None, expected, rule)
            if check_failed is None:
                check_failed = rule
        if check_failed is not None:
            return ValidationResult(
                number, False, "check_digit", expected, check_failed
            )
        return ValidationResult(number, False, "format", expected)


# ---------------------------------------------------------------------------
# Courier detection
# ---------------------------------------------------------------------------

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# A position is "pinned" by a rule when fewer characters than a full digit
# class may stand there: a literal (1), [34] (2), [189] (3), [ECRLVUH] (7).
_PINNED_BELOW = 10


def _pinned_positions(rule: NumberRule, number: str) -> int:
    """Count the positions of ``number`` that ``rule``'s pattern pins down.

    Measured by trying every character of A-Z0-9 at each position and counting
    how many the pattern still accepts. This works for any regex an
    administrator may type, without parsing it.
    """
    pinned = 0
    for index in range(len(number)):
        head, tail = number[:index], number[index + 1 :]
        allowed = sum(_pattern_matches(rule, head + char + tail) for char in _ALPHABET)
        if allowed < _PINNED_BELOW:
            pinned += 1
    return pinned


def candidate_couriers(
    raw: object,
    rules_by_courier: Mapping[str, Iterable[NumberRule]] | None = None,
) -> list[str]:
    """Return the codes of the couriers whose rules accept ``raw`` (R-WB-2).

    Ordering, most specific first: a courier ranks by the best of its rules
    that accept the number, compared by

    1. whether the rule has a check digit (a verified check beats any pattern);
    2. how many characters of the number the rule's pattern pins down: a
       position counts when fewer than 10 of the 36 characters A-Z0-9 may
       stand there (a literal prefix such as ``SF`` pins 2, ``[189]`` pins 1,
       ``\\d``, ``[A-Z]`` or ``[0-9A-Z]`` pin nothing), so ``SF\\d{13}`` beats
       ``[189]\\d{12}``, which beats a pure-digit ``\\d{13}``;
    3. ties keep the order of ``rules_by_courier``.

    Couriers without rules are left out: accepting anything, they say nothing
    about the number. A number failing the generic checks gives ``[]``.
    ``rules_by_courier`` defaults to :data:`DEFAULT_RULES`.
    """
    if rules_by_courier is None:
        rules_by_courier = DEFAULT_RULES
    number = normalize_number(raw)
    if _generic_code(number) is not None:
        return []
    ranked = []
    for position, (courier, rules) in enumerate(rules_by_courier.items()):
        accepting = [
            rule
            for rule in rules
            if _pattern_matches(rule, number) and _check_passes(rule, number)
        ]
        if not accepting:
            continue
        best = max(
            (rule.check != "none", _pinned_positions(rule, number))
            for rule in accepting
        )
        ranked.append((best, -position, courier))
    ranked.sort(reverse=True)
    return [courier for _best, _position, courier in ranked]


# ---------------------------------------------------------------------------
# Tracking references and tracking pages
# ---------------------------------------------------------------------------

# Separators between the numbers of one tracking reference: Odoo joins
# several with commas (send_to_shipper); people type ; 、 or spaces, in
# full-width forms too. Dashes are NOT separators: they belong to numbers.
_REFERENCE_SEPARATORS = re.compile(r"[,;，；、\s]+")


def split_numbers(reference: object) -> list[str]:
    """The normalised waybill numbers of a tracking reference (R-WB-6).

    ``"sf3299150988269, SF1234567890123"`` gives both numbers normalised, in
    order, without repeats or empty parts. Validation is the caller's.
    """
    if not isinstance(reference, str):
        return []
    numbers = []
    for part in _REFERENCE_SEPARATORS.split(reference):
        number = normalize_number(part)
        if number and number not in numbers:
            numbers.append(number)
    return numbers


#: Placeholder of a courier's tracking URL template.
URL_PLACEHOLDER = "{number}"


def tracking_url_problem(template: object) -> str | None:
    """``None`` when ``template`` is a usable tracking URL template, else a
    code: ``scheme`` (not http:// or https://) or ``placeholder`` (no
    ``{number}``). An empty template is usable (the courier has no page)."""
    if not template:
        return None
    if not isinstance(template, str) or not template.startswith(
        ("http://", "https://")
    ):
        return "scheme"
    if URL_PLACEHOLDER not in template:
        return "placeholder"
    return None


def render_tracking_url(template: object, number: object) -> str | None:
    """The courier's page for ``number``, or ``None`` without a usable
    template or number."""
    number = normalize_number(number)
    if not number or not template or tracking_url_problem(template):
        return None
    return template.replace(URL_PLACEHOLDER, number)
