# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rules of the customers' parcel pages (R-PT-1) and of the public tracking
look-up (R-PT-2), free of Odoo.

* :func:`lookup_last4` reads the "last 4 digits of a phone" a visitor types;
* :func:`lookup_retry_after` throttles repeated failed look-ups per client;
* :func:`mask_text` hides phone and ID numbers inside the free text of scan
  events (couriers write "派送中(联系电话:13800138000)") before a public page
  shows it (GB/T 41833-2022, REFERENCE.md 7.2);
* :func:`ticket_kind` is the kind of the ticket a customer opens on a parcel.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta

from .masking import mask_id_number, mask_phone

__all__ = [
    "LOOKUP_FAILURE_LIMIT",
    "LOOKUP_WINDOW",
    "PORTAL_REQUESTS",
    "lookup_last4",
    "lookup_retry_after",
    "mask_text",
    "ticket_kind",
]

#: failed look-ups one client may make within :data:`LOOKUP_WINDOW`
LOOKUP_FAILURE_LIMIT = 10
LOOKUP_WINDOW = timedelta(minutes=15)

#: what a customer may ask about a parcel from the portal (R-PT-1)
PORTAL_REQUESTS = ("chase", "complaint")

# a Chinese mobile (optionally +86 / 0086), a landline with its area code, an
# 18- or 15-character resident ID number: never inside a longer digit run
_PHONE_OR_ID = re.compile(
    r"(?<![0-9])(?:"
    r"(?P<id>[1-9][0-9]{16}[0-9Xx]|[1-9][0-9]{14})"  # resident ID, 18 or 15
    r"|(?P<phone>(?:(?:\+|00)86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}"  # mobile
    r"|0[1-9][0-9]{1,2}[ -]?[0-9]{7,8})"  # landline with its area code
    r")(?![0-9Xx])",
    re.ASCII,
)


def lookup_last4(value: object) -> str | None:
    """The 4 digits a visitor typed as "last 4 digits of the phone", or
    ``None`` unless exactly 4 digits (full-width digits and surrounding
    spaces accepted)."""
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    if len(text) != 4 or not text.isascii() or not text.isdigit():
        return None
    return text


def lookup_retry_after(
    failures: Iterable[datetime],
    now: datetime,
    limit: int = LOOKUP_FAILURE_LIMIT,
    window: timedelta = LOOKUP_WINDOW,
) -> timedelta | None:
    """R-PT-2: ``None`` when a client whose failed look-ups happened at
    ``failures`` may look up now; else how long it has to wait.

    A client is refused while it has ``limit`` or more failures in the last
    ``window``; it may try again when enough of them have left the window to
    fall below ``limit``. A failure stamped after ``now`` (clock skew) counts
    until it is ``window`` old.
    """
    recent = sorted(moment for moment in failures if now - moment < window)
    if len(recent) < limit:
        return None
    # the oldest failure that must leave the window to fall below the limit
    return recent[len(recent) - limit] + window - now


def mask_text(text: str | None) -> str:
    """``text`` with every phone number and resident ID number masked
    (:func:`masking.mask_phone`, :func:`masking.mask_id_number`); the rest
    is kept. Full-width digits are read as digits."""
    if not text:
        return ""
    normalized = unicodedata.normalize("NFKC", str(text))

    def hide(match: re.Match) -> str:
        if match.group("id"):
            return mask_id_number(match.group("id"))
        return mask_phone(match.group("phone"))

    return _PHONE_OR_ID.sub(hide, normalized)


def ticket_kind(request: str, direction: str) -> str | None:
    """The ``logistics_kind`` of the ticket a customer opens on a parcel
    from the portal (R-PT-1): a complaint is a complaint; a chase is an
    outbound chase for a parcel sent by us, a delivery chase for one we
    deliver. ``None`` for a request that is not offered."""
    if request == "complaint":
        return "complaint"
    if request == "chase":
        return "outbound_chase" if direction == "outbound" else "delivery_chase"
    return None
