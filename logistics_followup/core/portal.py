# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rules of the customers' parcel pages (R-PT-1) and of the public tracking
look-up (R-PT-2), free of Odoo.

* :func:`lookup_last4` reads the "last 4 digits of a phone" a visitor types,
  :func:`lookup_number` the waybill number;
* :func:`lookup_retry_after` throttles repeated failed look-ups per client,
  :func:`lookup_wait` per client and waybill number;
* :func:`mask_text` hides phone and ID numbers inside the free text of scan
  events (couriers write "派送中(联系电话:13800138000)") before a public page
  shows it (GB/T 41833-2022, REFERENCE.md 7.2);
* :func:`ticket_kind` is the kind of the ticket a customer opens on a parcel.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .masking import mask_id_number, mask_name, mask_phone
from .waybill import validate_number

__all__ = [
    "LOOKUP_CLIENT_LIMIT",
    "LOOKUP_FAILURE_LIMIT",
    "LOOKUP_WINDOW",
    "PORTAL_REQUESTS",
    "local_time",
    "lookup_last4",
    "lookup_number",
    "lookup_retry_after",
    "lookup_wait",
    "mask_text",
    "ticket_kind",
]

#: failed look-ups of one waybill number one client may make within
#: :data:`LOOKUP_WINDOW`
LOOKUP_FAILURE_LIMIT = 10
#: failed look-ups of any numbers one client may make within the window: an
#: office mistyping one number is not locked out of its other parcels, a
#: client trying many numbers still is
LOOKUP_CLIENT_LIMIT = 30
LOOKUP_WINDOW = timedelta(minutes=15)

#: what a customer may ask about a parcel from the portal (R-PT-1)
PORTAL_REQUESTS = ("chase", "complaint")

# One optional separator between any two digits: "139 1234 5678",
# "139.1234.5678", "110105-19491231-002X", "139 - 1234 - 5678" are read as
# their digits.
_SEP = r"(?: ?[.\-] ?| )?"
# a Chinese mobile (optionally +86 / 0086), a landline with its area code
# (bare or bracketed), an 18- or 15-character resident ID number: never
# inside a longer digit run. Matched on the text with its Chinese numerals
# read as digits (_CN_DIGITS), so "一三九一二三四五六七八" is a mobile too.
_PHONE_OR_ID = re.compile(
    r"(?<![0-9])(?:"
    rf"(?P<id>[1-9](?:{_SEP}[0-9]){{16}}{_SEP}[0-9Xx]"  # resident ID, 18
    rf"|[1-9](?:{_SEP}[0-9]){{14}})"  # resident ID, 15
    rf"|(?P<phone>(?:(?:\+|00)86{_SEP})?1{_SEP}[3-9](?:{_SEP}[0-9]){{9}}"  # mobile
    rf"|(?:\(0[1-9][0-9]{{1,2}}\)|0[1-9][0-9]{{1,2}}){_SEP}"  # area code
    rf"[0-9](?:{_SEP}[0-9]){{6,7}})"  # local number
    r")(?![0-9Xx])",
    re.ASCII,
)
# Chinese numerals as phone digits (幺 is "one" read out on the phone, 两 a
# spoken "two"); one character for one, so that positions are kept
_CN_DIGITS = str.maketrans("〇零一幺二两三四五六七八九", "0011223456789")
# a person named after a signing or contact label: "签收人: 张三",
# "收件人是王小明", "签收:李四" (the bare 签收 / 收件 only before a colon)
_NAMED = re.compile(
    r"(?P<label>签收人|收件人|收货人|寄件人|取件人|联系人|代收人|签收|收件)"
    r"(?P<verb>是|为)?\s*(?P<colon>[:])?\s*"
    r"(?P<name>[\u3400-\u4dbf\u4e00-\u9fff·]{1,4}"
    r"|[A-Za-z][A-Za-z'\-]*(?: [A-Za-z][A-Za-z'\-]*){0,2})"
)
# who signed when it is not a person's name: kept as it is
_ROLES = (
    "本人",
    "他人",
    "门卫",
    "前台",
    "保安",
    "物业",
    "家人",
    "同事",
    "邻居",
    "快递柜",
    "丰巢",
    "驿站",
    "代收点",
    "菜鸟",
    "公司",
    "单位",
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


def lookup_number(value: object) -> str | None:
    """The waybill number a visitor typed, normalised, or ``None`` when it
    cannot be one (:func:`waybill.validate_number`'s generic checks: a NUL,
    a lone surrogate or any other foreign character, a wrong length): it is
    then neither searched nor stored as typed."""
    checked = validate_number(value if isinstance(value, str) else "", ())
    return checked.number if checked.valid else None


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


def lookup_wait(
    failures: Iterable[tuple[datetime, str]],
    number: str,
    now: datetime,
    number_limit: int = LOOKUP_FAILURE_LIMIT,
    client_limit: int = LOOKUP_CLIENT_LIMIT,
    window: timedelta = LOOKUP_WINDOW,
) -> timedelta | None:
    """R-PT-2: ``None`` when a client whose failed look-ups are ``failures``
    (``(moment, number)`` pairs, the number as recorded) may look up
    ``number`` now; else how long it has to wait.

    Two limits, each through :func:`lookup_retry_after`: ``number_limit``
    failures for this number, ``client_limit`` failures for any numbers; the
    longer wait wins.
    """
    failures = list(failures)
    waits = [
        lookup_retry_after(
            (moment for moment, failed in failures if failed == number),
            now,
            number_limit,
            window,
        ),
        lookup_retry_after(
            (moment for moment, _n in failures), now, client_limit, window
        ),
    ]
    waits = [wait for wait in waits if wait is not None]
    return max(waits) if waits else None


def local_time(moment: datetime | None, tz_name: str | None) -> datetime | None:
    """The naive local time in ``tz_name`` of ``moment`` (naive UTC, as Odoo
    stores it), for a page that prints it as it is. Never raises: an
    unknown zone reads as UTC, and a moment the zone cannot represent (year
    1 west of Greenwich, year 9999 east of it) is returned unchanged (issue
    11 item 9: a stored date must never break a page)."""
    if moment is None or moment is False:
        return None
    try:
        zone = ZoneInfo(tz_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        zone = timezone.utc
    try:
        return moment.replace(tzinfo=timezone.utc).astimezone(zone).replace(tzinfo=None)
    except (OverflowError, ValueError):
        return moment


def _national(digits: str) -> str:
    """A phone's digits without a leading 0086 / 86 country code."""
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 10:
            return digits[len(prefix) :]
    return digits


def mask_text(
    text: str | None,
    *,
    phones: Iterable[str] | None = None,
    names: Iterable[str] = (),
) -> str:
    """``text`` with phone numbers, resident ID numbers and names masked
    (:func:`masking.mask_phone`, :func:`masking.mask_id_number`,
    :func:`masking.mask_name`); the rest is kept. Issue 11 item 8 (GB/T
    41833): numbers are recognised in the common ways of writing them,
    grouped by spaces, dots or dashes, with full-width digits, Chinese
    numerals (〇/零 for 0) or a bracketed area code (``(021)66668888``).

    * every ID number, and every name after a signing or contact label
      (签收人, 收件人, 签收: ...), is masked;
    * ``phones=None`` (a public or shared page): every phone number is
      masked; else only those with the digits of one of ``phones`` (the
      other party's, on its owner's page: the courier's phone stays
      readable);
    * each of ``names`` (the other party's names) is masked wherever it
      appears.
    """
    if not text:
        return ""
    normalized = unicodedata.normalize("NFKC", str(text))
    probe = normalized.translate(_CN_DIGITS)
    hidden = None
    if phones is not None:
        hidden = {
            _national(re.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", phone)))
            for phone in phones
            if phone
        }
    parts = []
    last = 0
    for match in _PHONE_OR_ID.finditer(probe):
        if match.group("id"):
            masked = mask_id_number(re.sub(r"[ .\-]", "", match.group("id")))
        else:
            phone = match.group("phone")
            if hidden is not None and (
                _national(re.sub(r"[^0-9]", "", phone)) not in hidden
            ):
                continue
            masked = mask_phone(phone)
        parts.append(normalized[last : match.start()])
        parts.append(masked)
        last = match.end()
    parts.append(normalized[last:])
    result = _NAMED.sub(_mask_named, "".join(parts))
    for name in sorted(
        {unicodedata.normalize("NFKC", name).strip() for name in names if name},
        key=len,
        reverse=True,
    ):
        if len(name) >= 2:
            result = result.replace(name, mask_name(name))
    return result


def _mask_named(match: re.Match) -> str:
    label, name = match.group("label"), match.group("name")
    if label in ("签收", "收件") and not match.group("colon"):
        return match.group(0)
    if name.startswith(_ROLES):
        return match.group(0)
    return match.group(0)[: match.start("name") - match.start()] + mask_name(name)


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
