# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Signed receipts (回单): validation, return deadlines, envelopes (R-RC-1..9).

``validate_receipt`` checks a receipt as signed (R-RC-2..R-RC-5) and returns
``Violation`` objects: a stable ``code`` plus parameters, never text. The
ORM layer (``models/logistics_receipt.py``) translates them.

Violation codes:

``signer_missing``         nobody signed: no signer name.
``id_missing``             an ID is required (R-RC-2, R-RC-3, R-RC-5) but its
                           type or number is not recorded (``role``).
``id_type_not_accepted``   the document type is not in the accepted list
                           (R-RC-2; ``role``, ``doc_type``).
``id_photocopy``           the ID shown was a photocopy, never valid (R-RC-2;
                           ``role``).
``id_number_invalid``      the number fails ``identity.validate_document``
                           (check digit, birth date, format...; ``role``,
                           ``reason`` = the identity code).
``name_mismatch``          signer name differs from the consignee by at least
                           one character (R-RC-4; ``consignee``, ``signer``);
                           lifted by a consignee-change proof.
``delegate_incomplete``    delegate pickup without the delegate's name, or
                           without both IDs (R-RC-3; ``missing`` = tuple of
                           "consignee_id" / "delegate_name" / "delegate_id").
``seal_missing``           company consignee, or seal required, without the
                           official seal on the receipt nor a sealed written
                           authorisation plus the picker's ID (R-RC-5).
``shipper_document_missing`` the shipper's own document was required (R-RC-1)
                           and is not marked as returned signed.

``role`` is ``signer`` (the consignee, or the picker for a company) or
``delegate``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import identity
from .hanzi_variants import same_character
from .state import ARRIVED_STATES

__all__ = [
    "ACTION_FROM_STATES",
    "DEFAULT_DEADLINE_DAYS",
    "OPEN_STATES",
    "PARCEL_AT_DESTINATION_STATES",
    "PARCEL_STEPS",
    "REQUIREMENTS",
    "EnvelopeCheck",
    "ReceiptData",
    "Violation",
    "check_envelope",
    "check_typed_id",
    "classify",
    "names_match",
    "normalize_name",
    "normalize_waybill_number",
    "parcel_ready",
    "parse_numbers",
    "return_deadline",
    "validate_receipt",
]

# R-RC-1: what the shipper requires on the returned receipt.
REQ_SIGNATURE = "signature"
REQ_SIGNATURE_ID = "signature_id"
REQ_SEAL = "seal"
REQ_SHIPPER_DOCUMENT = "shipper_document"
REQUIREMENTS = (REQ_SIGNATURE, REQ_SIGNATURE_ID, REQ_SEAL, REQ_SHIPPER_DOCUMENT)

# Receipts not yet back at the origin: they can be overdue (R-RC-8).
OPEN_STATES = ("required", "signed", "rejected", "sent", "missing")

#: R-RC-6 / R-RC-7 lifecycle: the states each action of a receipt starts
#: from. required -> signed -> sent (envelope) -> received -> verified ->
#: handed_over; a non-compliant receipt goes back (rejected) for re-signing;
#: a receipt not in its envelope is missing until found (then received).
ACTION_FROM_STATES = {
    "sign": ("required", "rejected"),
    "reject": ("signed", "sent", "received"),
    "verify": ("received",),
    "hand_over": ("verified",),
    "mark_missing": ("required", "signed", "rejected", "sent"),
    "found": ("missing",),
}

ROLE_SIGNER = "signer"
ROLE_DELEGATE = "delegate"


# --------------------------------------------------------------------------
# The parcel first (R-RC-7)
# --------------------------------------------------------------------------
#: Waybill states of a parcel at its delivering station or delivered
#: (``core.state``: ``at_station`` plus :data:`~.state.ARRIVED_STATES`).
PARCEL_AT_DESTINATION_STATES = ("at_station", *ARRIVED_STATES)

#: The receipt state each step leads to, for the steps that need the parcel
#: at its destination: a receipt is signed where the parcel is handed out,
#: and it cannot come back (received) nor be handed over before that.
PARCEL_STEPS = {"signed": "sign", "received": "receive", "handed_over": "hand_over"}


def parcel_ready(state: str | None, arrived: bool = False) -> bool:
    """R-RC-7: whether a receipt can be signed, received or handed over, its
    parcel being in waybill ``state`` (``arrived``: the waybill has an
    arrival date).

    True at the delivering station, out for delivery or delivered
    (:data:`PARCEL_AT_DESTINATION_STATES`), and for an ``exception`` after
    the parcel arrived (a failed delivery: the consignee may still sign at
    the station). False before (created, never scanned, picked up, in
    transit), and when the parcel goes back or is lost (returning,
    returned, lost), whatever the arrival date.
    """
    if state in PARCEL_AT_DESTINATION_STATES:
        return True
    return state == "exception" and bool(arrived)


def _citizen_shaped(number: str) -> bool:
    return (len(number) == 18 and number[:17].isdigit()) or (
        len(number) == 15 and number.isdigit()
    )


def check_typed_id(
    doc_type: str | None, number: str | None, today: date | None = None
) -> identity.DocumentResult | None:
    """R-RC-2: the check of an ID number as soon as it is typed (signing
    checks it again, ``validate_receipt``).

    With a document type: ``identity.validate_document``. Without one, a
    number shaped like a citizen ID number (18 characters with 17 digits
    first, or 15 digits) is checked as a resident ID card: the common case,
    and a wrong check digit is caught before the type is chosen. ``None``
    when nothing can be checked yet (no number; no type and another shape).
    """
    normalized = identity.normalize_number(number)
    if not normalized:
        return None
    if not doc_type:
        if not _citizen_shaped(normalized):
            return None
        doc_type = "resident_id"
    return identity.validate_document(doc_type, number, today)


# --------------------------------------------------------------------------
# Names (R-RC-4)
# --------------------------------------------------------------------------
def normalize_name(name: str | None) -> str:
    """NFKC (full-width -> half-width), every whitespace removed, case kept
    for CJK and folded for Latin letters."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", str(name))
    return "".join(text.split()).casefold()


def names_match(consignee: str | None, signer: str | None) -> bool:
    """R-RC-4: the same name, character for character.

    Traditional and simplified forms of one character are equal (杨 = 楊,
    ``hanzi_variants``); width and spaces do not count; any other difference,
    even one character (楊民敬 / 楊明靜), is a mismatch. Empty never matches.
    """
    a, b = normalize_name(consignee), normalize_name(signer)
    if not a or not b or len(a) != len(b):
        return False
    return all(same_character(x, y) for x, y in zip(a, b, strict=True))


# --------------------------------------------------------------------------
# Validation (R-RC-2..R-RC-5)
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Violation:
    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ReceiptData:
    """What ``validate_receipt`` needs to know about one receipt.

    ``signer_*`` is the ID of the consignee (a person consignee) or of the
    picker (a company consignee). ``delegate_*`` is the person who collected
    for the consignee (被委托人, R-RC-3). ``accepted_types`` are the document
    type codes accepted as valid ID (configuration, R-RC-2).
    """

    requirement: str = REQ_SIGNATURE
    consignee_name: str = ""
    consignee_is_company: bool = False
    signer_name: str = ""
    signer_id_type: str = ""
    signer_id_number: str = ""
    signer_id_photocopy: bool = False
    is_delegate: bool = False
    delegate_name: str = ""
    delegate_id_type: str = ""
    delegate_id_number: str = ""
    delegate_id_photocopy: bool = False
    seal_present: bool = False
    sealed_authorisation: bool = False
    consignee_change_proof: bool = False
    shipper_document_returned: bool = False
    accepted_types: frozenset[str] = frozenset(identity.DEFAULT_ACCEPTED_TYPES)


def _check_id(
    role: str, doc_type: str, number: str, photocopy: bool, data: ReceiptData, today
) -> list[Violation]:
    """The checks of one ID; ``[id_missing]`` when nothing is recorded."""
    if not doc_type or not (number or "").strip():
        return [Violation("id_missing", {"role": role})]
    found = []
    if doc_type not in data.accepted_types:
        found.append(
            Violation("id_type_not_accepted", {"role": role, "doc_type": doc_type})
        )
    if photocopy:
        found.append(Violation("id_photocopy", {"role": role}))
    result = identity.validate_document(doc_type, number, today)
    if not result.valid:
        found.append(
            Violation(
                "id_number_invalid",
                {"role": role, "doc_type": doc_type, "reason": result.code},
            )
        )
    return found


def validate_receipt(data: ReceiptData, today: date | None = None) -> list[Violation]:
    """Every rule a signed receipt breaks; ``[]`` when it is compliant.

    * a signer is always needed;
    * the signer's ID is required for ``signature_id``, for a delegate pickup
      (the consignee's ID, R-RC-3) and for a company consignee or a seal
      requirement without the seal stamped on the receipt (the picker's ID
      next to the sealed authorisation, R-RC-5); an ID that is recorded is
      always checked (type accepted, no photocopy, valid number, R-RC-2);
    * a person consignee: signer name = consignee name (R-RC-4) unless a
      consignee-change proof is attached;
    * delegate pickup: delegate name and ID, plus the consignee's ID (R-RC-3);
    * company consignee or seal requirement: seal on the receipt, or sealed
      authorisation plus the picker's ID (R-RC-5);
    * shipper's own document: it came back signed (R-RC-1).
    """
    today = today or date.today()
    found: list[Violation] = []
    company = data.consignee_is_company
    needs_seal = company or data.requirement == REQ_SEAL
    if not normalize_name(data.signer_name):
        found.append(Violation("signer_missing"))

    signer_id_needed = (
        data.requirement == REQ_SIGNATURE_ID
        or (data.is_delegate and not company)
        or (needs_seal and not data.seal_present)
    )
    signer_id_recorded = bool(data.signer_id_type or data.signer_id_number)
    signer_checks: list[Violation] = []
    if signer_id_needed or signer_id_recorded:
        signer_checks = _check_id(
            ROLE_SIGNER,
            data.signer_id_type,
            data.signer_id_number,
            data.signer_id_photocopy,
            data,
            today,
        )
    signer_id_missing = any(v.code == "id_missing" for v in signer_checks)

    if data.is_delegate:
        missing = []
        if not company and signer_id_missing:
            missing.append("consignee_id")
        if not normalize_name(data.delegate_name):
            missing.append("delegate_name")
        delegate_checks = _check_id(
            ROLE_DELEGATE,
            data.delegate_id_type,
            data.delegate_id_number,
            data.delegate_id_photocopy,
            data,
            today,
        )
        if any(v.code == "id_missing" for v in delegate_checks):
            missing.append("delegate_id")
        if missing:
            found.append(Violation("delegate_incomplete", {"missing": tuple(missing)}))
            if "consignee_id" in missing:
                signer_checks = [v for v in signer_checks if v.code != "id_missing"]
        found.extend(v for v in delegate_checks if v.code != "id_missing")
    found.extend(signer_checks)

    if (
        not company
        and normalize_name(data.signer_name)
        and not data.consignee_change_proof
        and not names_match(data.consignee_name, data.signer_name)
    ):
        found.append(
            Violation(
                "name_mismatch",
                {"consignee": data.consignee_name, "signer": data.signer_name},
            )
        )

    # with a sealed authorisation the picker's ID is required: reported above
    # as the signer's id_missing / invalid ID.
    if needs_seal and not data.seal_present and not data.sealed_authorisation:
        found.append(Violation("seal_missing", {"company": company}))

    if data.requirement == REQ_SHIPPER_DOCUMENT and not data.shipper_document_returned:
        found.append(Violation("shipper_document_missing"))
    return found


# --------------------------------------------------------------------------
# Deadlines (R-RC-8)
# --------------------------------------------------------------------------
DEFAULT_DEADLINE_DAYS = {
    "direct": 10,
    "one_transfer": 15,
    "two_transfers": 20,
    "per_extra_transfer": 5,
    "max": 25,
}


def return_deadline(
    arrival: date | None,
    transfers: int | None,
    *,
    direct: int = 10,
    one_transfer: int = 15,
    two_transfers: int = 20,
    per_extra_transfer: int = 5,
    maximum: int = 25,
) -> date | None:
    """R-RC-8: the day the signed receipt must be back at the origin.

    Counted from the arrival date (the last batch of a split shipment): 10
    days for direct delivery, 15 with one transfer, 20 with two. The seed
    says nothing about three or more transfers; we add ``per_extra_transfer``
    (5) days per further transfer, and never go beyond ``maximum`` (25) days
    (so 3 and more transfers give 25 days with the defaults). None without
    an arrival date. Negative transfer counts count as 0.
    """
    if not arrival:
        return None
    n = max(0, int(transfers or 0))
    if n == 0:
        days = direct
    elif n == 1:
        days = one_transfer
    else:
        days = two_transfers + (n - 2) * per_extra_transfer
    return arrival + timedelta(days=min(days, maximum))


def classify(
    state: str,
    due: date | None,
    received: date | None,
    rejected_count: int,
    today: date,
) -> str:
    """Monthly summary class (R-RC-9) of one receipt.

    ``missing`` (lost, state missing) > ``abnormal`` (returned for re-signing
    at least once) > ``late`` (received after the due date, or not received
    and past it) > ``on_time`` (received by the due date) > ``pending``.
    The SQL report (``logistics.receipt.report``) uses the same rules.
    """
    if state == "missing":
        return "missing"
    if rejected_count:
        return "abnormal"
    if received:
        return "late" if due and received > due else "on_time"
    if due and today > due:
        return "late"
    return "pending"


# --------------------------------------------------------------------------
# Envelopes (R-RC-7)
# --------------------------------------------------------------------------
def normalize_waybill_number(number: str | None) -> str:
    """As waybills store them: NFKC, no spaces or dashes, upper case."""
    if not number:
        return ""
    text = unicodedata.normalize("NFKC", str(number))
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


def parse_numbers(text: str | None) -> list[str]:
    """Waybill numbers typed or scanned into one field: separated by
    newlines, spaces, commas or semicolons; duplicates kept once, order
    kept."""
    if not text:
        return []
    text = unicodedata.normalize("NFKC", str(text))
    for sep in ",;，；、":
        text = text.replace(sep, " ")
    seen: dict[str, None] = {}
    for token in text.split():
        number = normalize_waybill_number(token)
        if number:
            seen.setdefault(number, None)
    return list(seen)


@dataclass(frozen=True)
class EnvelopeCheck:
    """Listed vs found: ``matched`` in list order, ``missing`` listed but not
    inside, ``extra`` inside but not listed (in the order found)."""

    matched: tuple[str, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.missing and not self.extra


def check_envelope(listed: Iterable[str], found: Iterable[str]) -> EnvelopeCheck:
    """R-RC-7: compare the envelope's list with the receipts found inside."""
    listed_n = list(dict.fromkeys(normalize_waybill_number(n) for n in listed))
    found_n = list(dict.fromkeys(normalize_waybill_number(n) for n in found))
    listed_n = [n for n in listed_n if n]
    found_set = {n for n in found_n if n}
    listed_set = set(listed_n)
    return EnvelopeCheck(
        matched=tuple(n for n in listed_n if n in found_set),
        missing=tuple(n for n in listed_n if n not in found_set),
        extra=tuple(n for n in found_n if n and n not in listed_set),
    )
