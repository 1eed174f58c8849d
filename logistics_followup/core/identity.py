# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Identity documents shown when a signed receipt is signed (R-RC-2..R-RC-4).

R-RC-2: a valid ID (有效证件) is an official document bearing the citizen ID
number; resident ID numbers are checked with their check digit. This module
knows the document types, the PRC citizen ID number (公民身份号码,
GB 11643-1999, ISO 7064 MOD 11-2) and the number formats of the other
documents (REFERENCE.md sections 1 and 2).

Every failure is a code plus parameters, never text: ``IdentityError`` for the
parsing functions, ``DocumentResult`` for ``validate_document``. The ORM layer
translates the codes.

Codes:

``empty``         nothing entered.
``format``        the shape is wrong (length, characters).
``legacy_15``     a 15-digit first-generation number (no check digit).
``region``        the leading address code is impossible for this document.
``birth_date``    not a real date, before 1800-01-01 or after ``today``.
``check_digit``   the MOD 11-2 check character does not match. No parameters on
                  purpose: telling which character was expected would let
                  anyone "repair" a mistyped number into a valid-looking one.
``too_long``      free-text number longer than ``FREE_TEXT_MAX_LENGTH``.
``unknown_type``  ``validate_document`` got a type code it does not know.

What this module does NOT do: decide whether a photocopy is acceptable (it
never is, R-RC-2: that is a flag on the receipt), nor compare the holder's
name with the consignee's (R-RC-4, done where the names are known).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

__all__ = [
    "DEFAULT_ACCEPTED_TYPES",
    "DOCUMENT_TYPES",
    "DOCUMENT_TYPES_BY_CODE",
    "FREE_TEXT_MAX_LENGTH",
    "DocumentResult",
    "DocumentType",
    "IdentityError",
    "ResidentId",
    "convert_15_to_18",
    "get_document_type",
    "mod112_check_char",
    "normalize_number",
    "parse_resident_id",
    "validate_document",
]

# --------------------------------------------------------------------------
# Schemes: how a document's number is validated.
# --------------------------------------------------------------------------
SCHEME_CITIZEN = "citizen_id"  # 公民身份号码, GB 11643-1999
SCHEME_HMT_RESIDENCE = "hmt_residence_permit"  # 81/82/83 + 0000, MOD 11-2
SCHEME_FOREIGN_PR = "foreign_permanent_resident"  # 2017 and 2023 forms
SCHEME_HK_MACAU = "hk_macau_permit"
SCHEME_TAIWAN = "taiwan_permit"
SCHEME_PASSPORT = "passport"
SCHEME_SERVICE_ID = "service_id"  # military / armed police
SCHEME_FREE_TEXT = "free_text"  # format unknown: any non-empty text

FREE_TEXT_MAX_LENGTH = 64


@dataclass(frozen=True)
class DocumentType:
    """One kind of identity document.

    ``citizen_number`` is True when the number on the document IS the holder's
    公民身份号码 (so it is checked with its MOD 11-2 check digit, R-RC-2).
    ``confidence`` is REFERENCE.md's label for the format: V (verified),
    S (secondary source), U (unverified).
    """

    code: str
    label: str
    format: str
    scheme: str
    citizen_number: bool
    confidence: str


DOCUMENT_TYPES: tuple[DocumentType, ...] = (
    DocumentType(
        "resident_id",
        "Resident ID card",
        "18 characters (GB 11643-1999), MOD 11-2 check character",
        SCHEME_CITIZEN,
        True,
        "V",
    ),
    DocumentType(
        "temporary_resident_id",
        "Temporary resident ID card",
        "the holder's 18-character citizen ID number",
        SCHEME_CITIZEN,
        True,
        "S",
    ),
    DocumentType(
        "household_register",
        "Household register",
        "the member's 18-character citizen ID number",
        SCHEME_CITIZEN,
        True,
        "S",
    ),
    # A driving licence's number is the holder's 身份证明号码: for PRC citizens
    # the 公民身份号码 (REFERENCE.md 2.2, [S]). Only that form is validated;
    # a holder without one records their own identity document instead.
    DocumentType(
        "driving_licence",
        "Driving licence",
        "licence number = the holder's 18-character citizen ID number",
        SCHEME_CITIZEN,
        True,
        "S",
    ),
    DocumentType(
        "military_id",
        "Military ID (officer card / PLA ID)",
        "'X字第NNNNNNNN号' or 10-18 letters/digits",
        SCHEME_SERVICE_ID,
        False,
        "S",
    ),
    DocumentType(
        "armed_police_id",
        "Armed police ID",
        "'X字第NNNNNNNN号' or 10-18 letters/digits",
        SCHEME_SERVICE_ID,
        False,
        "S",
    ),
    DocumentType(
        "passport",
        "PRC passport",
        "E/G/D/S/P/H/K + 8 digits, or EA-EF/DE/SE/PE/KJ/MA/14/15 + 7 digits",
        SCHEME_PASSPORT,
        False,
        "S",
    ),
    DocumentType(
        "hk_macau_permit",
        "Mainland travel permit for Hong Kong and Macau residents",
        "H or M + 8 digits (or + 10 digits on older booklets)",
        SCHEME_HK_MACAU,
        False,
        "S",
    ),
    DocumentType(
        "taiwan_permit",
        "Mainland travel permit for Taiwan residents",
        "8 digits; one-time permits 10-12 letters/digits",
        SCHEME_TAIWAN,
        False,
        "S",
    ),
    DocumentType(
        "hmt_residence_permit",
        "Residence permit for Hong Kong, Macau and Taiwan residents",
        "18 characters starting 810000/820000/830000, MOD 11-2 check character",
        SCHEME_HMT_RESIDENCE,
        False,
        "S",
    ),
    DocumentType(
        "foreign_permanent_resident",
        "Foreign permanent resident ID card",
        "2023: 18 characters starting 9, MOD 11-2; 2017: 3 letters + 12 digits",
        SCHEME_FOREIGN_PR,
        False,
        "S",
    ),
    DocumentType(
        "marriage_certificate",
        "Marriage certificate",
        f"format unknown: any text up to {FREE_TEXT_MAX_LENGTH} characters",
        SCHEME_FREE_TEXT,
        False,
        "U",
    ),
    DocumentType(
        "other",
        "Other official document",
        f"any text up to {FREE_TEXT_MAX_LENGTH} characters",
        SCHEME_FREE_TEXT,
        False,
        "U",
    ),
)

DOCUMENT_TYPES_BY_CODE: dict[str, DocumentType] = {t.code: t for t in DOCUMENT_TYPES}

# R-RC-2 (seed 003) lists: resident ID card, military officer card, household
# register, driver's licence, marriage certificate "and similar". We ship that
# list as it is; administrators extend it ("and similar") in Settings.
# Note: the marriage certificate is in no official list REFERENCE.md found
# (section 2.1, [U]); it is kept because the seed names it.
DEFAULT_ACCEPTED_TYPES: tuple[str, ...] = (
    "resident_id",
    "military_id",
    "household_register",
    "driving_licence",
    "marriage_certificate",
)


def get_document_type(code: str) -> DocumentType | None:
    """The ``DocumentType`` with this code, or None."""
    return DOCUMENT_TYPES_BY_CODE.get(code)


# --------------------------------------------------------------------------
# Errors and results
# --------------------------------------------------------------------------
class IdentityError(ValueError):
    """A number failed validation: ``code`` plus ``params`` (never text)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:  # for logs and tracebacks only
        if not self.params:
            return self.code
        return f"{self.code} {self.params!r}"


@dataclass(frozen=True)
class ResidentId:
    """A parsed citizen ID number (or HK/Macau/Taiwan residence permit number).

    ``generation`` is the numbering scheme: 1 = 15 digits (GB 11643-1989, no
    check digit), 2 = 18 characters (GB 11643-1999). ``number`` is the
    normalised input; ``number18`` the 18-character form (converted for
    generation 1).
    """

    number: str
    number18: str
    region_code: str
    birth_date: date
    sequence: str
    sex: str  # "male" | "female"
    generation: int

    @property
    def check_char(self) -> str:
        return self.number18[-1]


@dataclass(frozen=True)
class DocumentResult:
    """Outcome of ``validate_document``.

    ``code`` is None when ``valid``; otherwise one of the codes listed in the
    module docstring. ``normalized`` is the number as it should be stored
    (spaces removed, letters upper-cased), also filled for invalid input so
    the form can show what was checked. ``params`` always holds ``doc_type``,
    plus the failure's parameters or, for a valid citizen-scheme number, the
    birth date (ISO) and sex.
    """

    valid: bool
    code: str | None
    normalized: str
    params: dict[str, object] = field(default_factory=dict)


# --------------------------------------------------------------------------
# GB 11643-1999 through python-stdnum (stdnum.cn.ric: structure, birth date,
# MOD 11-2 check digit), behind our codes. Its region table is NOT used to
# reject: codes are retired and renumbered while people keep their number
# (REFERENCE.md 1.5), see _check_citizen_region.
# --------------------------------------------------------------------------
_MIN_BIRTH_DATE = date(1800, 1, 1)

_RE_17_DIGITS = re.compile(r"[0-9]{17}")
_RE_18 = re.compile(r"[0-9]{17}[0-9X]")
_RE_15 = re.compile(r"[0-9]{15}")
_HMT_PREFIXES = ("810000", "820000", "830000")


def normalize_number(number: str | None) -> str:
    """NFKC (full-width digits -> ASCII), drop all whitespace, upper-case."""
    if not number:
        return ""
    text = unicodedata.normalize("NFKC", str(number))
    return "".join(text.split()).upper()


def mod112_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character (0-9 or X) of 17 ASCII digits, the
    first 17 of a resident ID number (GB 11643-1999, REFERENCE.md 1.2):
    ``stdnum.cn.ric.calc_check_digit``. Raises ``IdentityError`` ("format")
    unless given exactly 17 ASCII digits."""
    if not isinstance(first17, str) or not _RE_17_DIGITS.fullmatch(first17):
        raise IdentityError("format", expected="17 digits")
    # calc_check_digit takes the number with its check digit, and ignores it
    return ric.calc_check_digit(first17 + "0")


def _birth_date(number18: str, today: date) -> date:
    """The birth date of an 18-character number (``stdnum.cn.ric``), or
    ``IdentityError("birth_date")``: not a date, before 1800, in the future."""
    yyyymmdd = number18[6:14]
    try:
        born = ric.get_birth_date(number18)
    except InvalidComponent:
        raise IdentityError("birth_date", value=yyyymmdd, reason="not_a_date") from None
    if born < _MIN_BIRTH_DATE:
        raise IdentityError("birth_date", value=yyyymmdd, reason="too_early")
    if born > today:
        raise IdentityError("birth_date", value=yyyymmdd, reason="future")
    return born


def _check_citizen_region(number: str) -> None:
    """Citizens: first digit 1-8 (province-level area, REFERENCE.md 1.5).

    The address code is NOT looked up in a table: codes are retired and
    renumbered (Chongqing 51xxxx -> 50xxxx) but the people keep their number.
    A number shaped like another document's gets a ``suggested_type``.
    """
    region = number[:6]
    if number[0] == "9":
        raise IdentityError(
            "region", region_code=region, suggested_type="foreign_permanent_resident"
        )
    if region in _HMT_PREFIXES:
        raise IdentityError(
            "region", region_code=region, suggested_type="hmt_residence_permit"
        )
    if number[0] not in "12345678":
        raise IdentityError("region", region_code=region)


def _check_hmt_region(number: str) -> None:
    region = number[:6]
    if region not in _HMT_PREFIXES:
        params: dict[str, object] = {"region_code": region}
        if number[0] in "12345678":
            params["suggested_type"] = "resident_id"
        elif number[0] == "9":
            params["suggested_type"] = "foreign_permanent_resident"
        raise IdentityError("region", **params)


def convert_15_to_18(number15: str, *, century: int = 19) -> str:
    """Convert a first-generation 15-digit number to its 18-character form.

    Inserts the century before the YYMMDD birth date and appends the MOD 11-2
    check character: ``110105491231002`` -> ``11010519491231002X``
    (REFERENCE.md 1.4). ``century`` defaults to 19, the standard rule; under
    GB 11643-1989 sequence codes 996-999 were reserved for centenarians, so a
    migration may pass ``century=18`` for those after checking the person.

    The input is validated first (shape, first digit 1-8, real birth date),
    otherwise garbage would come out with a valid check digit.
    """
    number = normalize_number(number15)
    if not number:
        raise IdentityError("empty")
    if not _RE_15.fullmatch(number):
        raise IdentityError("format", length=len(number), expected="15 digits")
    if century not in (18, 19):
        raise IdentityError("format", century=century, expected="18 or 19")
    if number[0] not in "12345678":
        raise IdentityError("region", region_code=number[:6])
    first17 = number[:6] + str(century) + number[6:]
    try:
        ric.get_birth_date(first17 + "0")
    except InvalidComponent:
        raise IdentityError(
            "birth_date", value=first17[6:14], reason="not_a_date"
        ) from None
    return first17 + mod112_check_char(first17)


def _parse(
    number: str, today: date | None, region_check: Callable[[str], None]
) -> ResidentId:
    if not number:
        raise IdentityError("empty")
    today = today or date.today()
    if len(number) == 15 and _RE_15.fullmatch(number):
        # Generation 1: region rule as for citizens, no check digit.
        _check_citizen_region(number)
        number18 = convert_15_to_18(number)
        born = _birth_date(number18, today)
        generation = 1
    else:
        if not _RE_18.fullmatch(number):
            raise IdentityError("format", length=len(number), expected="18")
        region_check(number)
        born = _birth_date(number, today)
        expected = mod112_check_char(number[:17])
        if number[17] != expected:
            raise IdentityError("check_digit")
        number18 = number
        generation = 2
    sequence = number18[14:17]
    return ResidentId(
        number=number,
        number18=number18,
        region_code=number18[:6],
        birth_date=born,
        sequence=sequence,
        # odd sequence = male, even = female (GB 11643-1999)
        sex="male" if int(sequence[-1]) % 2 else "female",
        generation=generation,
    )


def parse_resident_id(
    number: str, today: date | None = None, *, hmt_permit: bool = False
) -> ResidentId:
    """Parse and validate a citizen ID number (R-RC-2).

    Accepts the 18-character form (checked with its MOD 11-2 check character)
    and the legacy 15-digit form (``generation`` 1; it has no check digit, so
    ``validate_document`` refuses it for receipts: see there). Spaces are
    removed and a lower-case ``x`` is read as ``X``.

    Checks, in order: ``empty``, ``format``, ``region``, ``birth_date``,
    ``check_digit``; raises ``IdentityError`` with that code.

    ``hmt_permit=True`` parses a HK/Macau/Taiwan residence permit number
    instead: same structure and check digit, but the address code must be
    810000, 820000 or 830000 (and there is no 15-digit form).
    """
    normalized = normalize_number(number)
    if hmt_permit:
        if len(normalized) == 15 and _RE_15.fullmatch(normalized):
            raise IdentityError("format", length=15, expected="18")
        return _parse(normalized, today, _check_hmt_region)
    return _parse(normalized, today, _check_citizen_region)


# --------------------------------------------------------------------------
# Other documents' formats (REFERENCE.md section 2.2, all [S])
# --------------------------------------------------------------------------
_RE_FOREIGN_PR_2017 = re.compile(r"[A-Z]{3}[0-9]{12}")
_RE_PASSPORT = re.compile(r"[EKGDSPH][0-9]{8}|(?:E[A-F]|DE|SE|PE|KJ|MA|1[45])[0-9]{7}")
_RE_HK_MACAU = re.compile(r"[HM](?:[0-9]{8}|[0-9]{10})")
# REFERENCE.md: lifetime number = 8 digits; one-time permits 10-12
# alphanumerics (the brief said 10; we follow the reference, it is wider).
_RE_TAIWAN = re.compile(r"[0-9]{8}|[0-9A-Z]{10,12}")
# Confidence S: community validators only. "军字第12345678号" form, or 10-18
# letters/digits/Chinese characters with at least one digit (newer cards may
# carry a citizen-like number). Tolerant on purpose: a false rejection at the
# counter is worse than a loose pattern.
_RE_SERVICE_ID = re.compile(
    r"[\u4e00-\u9fff]字第[0-9A-Z]{4,8}号?"
    r"|(?=[^0-9]*[0-9])[0-9A-Z\u4e00-\u9fff]{10,18}"
)


def _check_foreign_pr(number: str) -> None:
    """Foreign permanent resident ID card (外国人永久居留身份证).

    2023 form: 17 digits + MOD 11-2 check character, first digit 9. The
    position of the birth date is not stated in REFERENCE.md, so it is not
    checked. 2017 form: 3 letters (nationality) + 12 digits, no check digit.
    """
    if _RE_FOREIGN_PR_2017.fullmatch(number):
        return
    if not _RE_18.fullmatch(number):
        raise IdentityError("format", length=len(number))
    if number[0] != "9":
        params: dict[str, object] = {"region_code": number[:6]}
        if number[:6] in _HMT_PREFIXES:
            params["suggested_type"] = "hmt_residence_permit"
        elif number[0] in "12345678":
            params["suggested_type"] = "resident_id"
        raise IdentityError("region", **params)
    expected = mod112_check_char(number[:17])
    if number[17] != expected:
        raise IdentityError("check_digit")


def _check_pattern(pattern: re.Pattern[str], number: str) -> None:
    if not pattern.fullmatch(number):
        raise IdentityError("format", length=len(number))


def validate_document(
    doc_type: str, number: str | None, today: date | None = None
) -> DocumentResult:
    """Validate the number of an identity document of type ``doc_type``.

    Dispatch by the type's scheme:

    * citizen ID (resident ID, temporary resident ID, household register,
      driving licence): 18 characters, real birth date, MOD 11-2 check
      character (R-RC-2). The legacy 15-digit form is refused with
      ``legacy_15`` for EVERY document type, the household register included:
      R-RC-2 requires resident ID numbers to be checked with their check
      digit and a 15-digit number has none, so a typo could not be caught and
      R-RC-4's exact match would rest on an unverifiable number. Every citizen
      has had an 18-character number since GB 11643-1999, first-generation
      cards are no longer valid ID (REFERENCE.md 1.4), and a household
      register still showing 15 digits is out of date. ``params["converted"]``
      carries the 18-character form so the agent can ask the holder to
      confirm it; migrations call ``convert_15_to_18``.
    * HK/Macau/Taiwan residence permit: as above, prefix 810000/820000/830000.
    * foreign permanent resident: 2023 or 2017 form (``_check_foreign_pr``).
    * HK/Macau permit, Taiwan permit, PRC passport, military/armed police ID:
      community patterns (confidence S).
    * marriage certificate and other: any non-empty text up to 64 characters;
      no format is known, none is invented.
    """
    doc = DOCUMENT_TYPES_BY_CODE.get(doc_type)
    base: dict[str, object] = {"doc_type": doc_type}
    if doc is None:
        return DocumentResult(False, "unknown_type", normalize_number(number), base)
    today = today or date.today()

    if doc.scheme == SCHEME_FREE_TEXT:
        text = unicodedata.normalize("NFC", str(number or "")).strip()
        if not text:
            return DocumentResult(False, "empty", "", base)
        if len(text) > FREE_TEXT_MAX_LENGTH:
            params = dict(base, length=len(text), max_length=FREE_TEXT_MAX_LENGTH)
            return DocumentResult(False, "too_long", text, params)
        return DocumentResult(True, None, text, base)

    normalized = normalize_number(number)
    if not normalized:
        return DocumentResult(False, "empty", "", base)
    try:
        extra = _validate_structured(doc, normalized, today)
    except IdentityError as error:
        return DocumentResult(False, error.code, normalized, {**base, **error.params})
    return DocumentResult(True, None, normalized, {**base, **extra})


def _validate_structured(
    doc: DocumentType, number: str, today: date
) -> dict[str, object]:
    scheme = doc.scheme
    if scheme in (SCHEME_CITIZEN, SCHEME_HMT_RESIDENCE):
        if len(number) == 15 and _RE_15.fullmatch(number):
            if scheme == SCHEME_HMT_RESIDENCE:
                raise IdentityError("format", length=15, expected="18")
            try:
                converted = convert_15_to_18(number)
            except IdentityError:
                raise IdentityError("legacy_15") from None
            raise IdentityError("legacy_15", converted=converted)
        parsed = parse_resident_id(
            number, today, hmt_permit=scheme == SCHEME_HMT_RESIDENCE
        )
        return {"birth_date": parsed.birth_date.isoformat(), "sex": parsed.sex}
    if scheme == SCHEME_FOREIGN_PR:
        _check_foreign_pr(number)
    elif scheme == SCHEME_HK_MACAU:
        _check_pattern(_RE_HK_MACAU, number)
    elif scheme == SCHEME_TAIWAN:
        _check_pattern(_RE_TAIWAN, number)
    elif scheme == SCHEME_PASSPORT:
        _check_pattern(_RE_PASSPORT, number)
    elif scheme == SCHEME_SERVICE_ID:
        _check_pattern(_RE_SERVICE_ID, number)
    else:  # pragma: no cover - every scheme of DOCUMENT_TYPES is handled
        raise AssertionError(scheme)
    return {}
