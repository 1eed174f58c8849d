# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The caller look-up: what a caller's words can be (issue 15, item 1).

A customer on the phone gives a waybill number ("sf 3299 1509 88269"), his
phone ("+86 138-0013-8000"), the last 4 digits of it ("尾号5678") or a name.
:func:`classify` reads the words once and tells which of these they can be;
the ORM layer searches the waybills for every reading at once (one query)
and lands on the parcel, the candidates, or the offer to track a new number.

* the number is read by :func:`~.waybill.normalize_number` (R-WB-2), the one
  normalisation of waybill numbers;
* phones are compared in one canonical form, :func:`normalize_phone`: the
  national digits with their trunk prefix, so that ``+86 755 1234 5678``,
  ``0755-1234 5678`` and ``(0755)12345678`` are the same number, as are
  ``+86 138 0013 8000``, ``0086 13800138000`` and ``138-0013-8000``;
* the last 4 digits are those of :func:`~.masking.phone_last4` (R-PT-2).

Codes only, no text: the ORM layer says what is accepted, translated.
"""

import re
import unicodedata
from dataclasses import dataclass

from .waybill import MAX_LENGTH, MIN_LENGTH, normalize_number

__all__ = [
    "INVALID_CODES",
    "KINDS",
    "LAST4_PREFIXES",
    "NAME_MAX_LENGTH",
    "NAME_MIN_LENGTH",
    "CallerQuery",
    "classify",
    "normalize_phone",
]

#: What a caller's words can be, in the order the ORM layer tries them.
KINDS = ("waybill", "phone", "last4", "name")

#: Values of :attr:`CallerQuery.code` when the words are none of
#: :data:`KINDS`: nothing typed, or no form recognised.
INVALID_CODES = ("empty", "unrecognised")

#: Words callers put before the last 4 digits ("尾号5678").
LAST4_PREFIXES = ("尾号", "尾號", "尾数", "尾數")

#: Shortest and longest name searched: one character would match half the
#: customers; a longer text is not a name.
NAME_MIN_LENGTH = 2
NAME_MAX_LENGTH = 64

# foreign numbers are kept with their country code, up to 15 digits (E.164)
_FOREIGN_MAX = 15
_CHINA = "86"
_PHONE_CHARS = re.compile(r"\+?[0-9 ().\-/]*")
_DIGIT = re.compile(r"[0-9]")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# a landline with its trunk 0 and area code (0 + 2 or 3 digits + 7 or 8
# digits), or a local number without area code (7 or 8 digits)
_LANDLINE = re.compile(r"0[1-9][0-9]{8,10}|[2-9][0-9]{6,7}")


def _clean(raw: object) -> str:
    if not isinstance(raw, str):
        return ""
    text = unicodedata.normalize("NFKC", raw)
    # invisible format characters come with copy-paste (see waybill.py)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


def normalize_phone(raw: object) -> str:
    """The canonical form of a phone number, or ``""`` when ``raw`` is not
    one.

    NFKC first (full-width digits), then only digits, spaces, ``( ) . - /``
    and one leading ``+`` may appear. A Chinese number (``+86``, ``0086``,
    or ``86`` before an 11-digit mobile) gives its national digits: a mobile
    as its 11 digits, a landline with its trunk ``0`` (``+86 10 1234 5678``
    gives ``01012345678``, as ``010-1234 5678`` does). Another country's
    number keeps ``+`` and its country code (7 to 15 digits). Of the
    national digits, only a mobile (11 digits starting with 13 to 19), a
    landline with its trunk ``0`` and area code (10 to 12 digits) or a local
    number (7 or 8 digits, not starting with 0 or 1) is a phone: a 12-digit
    string such as ``786187979245`` is not (it is a waybill number).
    """
    text = _clean(raw)
    if not text or not _PHONE_CHARS.fullmatch(text):
        return ""
    digits = "".join(_DIGIT.findall(text))
    international = text.startswith("+")
    if not international and digits.startswith("00"):
        international, digits = True, digits[2:]
    elif (
        not international
        and digits.startswith(_CHINA)
        and _MOBILE.fullmatch(digits[2:])
    ):
        international = True
    if international:
        if not digits.startswith(_CHINA):
            return f"+{digits}" if 7 <= len(digits) <= _FOREIGN_MAX else ""
        digits = digits[len(_CHINA) :]
        if not _MOBILE.fullmatch(digits) and not digits.startswith("0"):
            # the trunk prefix is dropped after a country code: put it back
            digits = "0" + digits
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return digits
    return ""


@dataclass(frozen=True)
class CallerQuery:
    """What :func:`classify` read in a caller's words.

    Each reading is ``None`` when the words cannot be it: ``number`` (a
    normalised waybill number), ``phone`` (:func:`normalize_phone`),
    ``last4`` (4 digits), ``name`` (the words, spaces collapsed). ``code``
    is ``None`` when there is at least one reading, else one of
    :data:`INVALID_CODES`.
    """

    text: str
    number: str | None = None
    phone: str | None = None
    last4: str | None = None
    name: str | None = None
    code: str | None = None

    @property
    def kinds(self) -> tuple[str, ...]:
        """The readings found, in the order of :data:`KINDS`."""
        values = {
            "waybill": self.number,
            "phone": self.phone,
            "last4": self.last4,
            "name": self.name,
        }
        return tuple(kind for kind in KINDS if values[kind])


def _as_number(text: str) -> str | None:
    number = normalize_number(text)
    if (
        MIN_LENGTH <= len(number) <= MAX_LENGTH
        and re.fullmatch(r"[A-Z0-9]*", number)
        # every courier's numbers have digits: "ZHANGSAN" is a name
        and _DIGIT.search(number)
    ):
        return number
    return None


def _as_last4(text: str) -> str | None:
    for prefix in LAST4_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :].lstrip(" :：")
            break
    digits = text.replace(" ", "").replace("-", "")
    return digits if len(digits) == 4 and digits.isdigit() else None


def _as_name(text: str) -> str | None:
    if _DIGIT.search(text) or not any(ch.isalpha() for ch in text):
        return None
    if not NAME_MIN_LENGTH <= len(text.replace(" ", "")) <= NAME_MAX_LENGTH:
        return None
    return text


def classify(raw: object) -> CallerQuery:
    """Read a caller's words (issue 15, item 1).

    * 4 digits (spaces or dashes between them allowed, ``尾号`` before them)
      are the last 4 digits of a sender's or receiver's phone;
    * a phone (:func:`normalize_phone`) is a full phone;
    * letters and digits giving a normalised number of 6 to 32 characters
      with at least one digit are a waybill number (R-WB-2: its format is
      the courier's business, checked when it is tracked);
    * text with letters (Chinese or Latin) and no digit, 2 to 64 characters
      without spaces, is a name.

    Some words have two readings: ``12345678`` is a local phone and may be
    a number; both are searched.
    """
    text = _clean(raw)
    if not text:
        return CallerQuery(text="", code="empty")
    last4 = _as_last4(text)
    if last4:
        return CallerQuery(text=text, last4=last4)
    query = CallerQuery(
        text=text,
        number=_as_number(text),
        phone=normalize_phone(text) or None,
        name=_as_name(text),
    )
    if not query.kinds:
        return CallerQuery(text=text, code="unrecognised")
    return query
