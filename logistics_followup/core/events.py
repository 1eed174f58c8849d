# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tracking events: incoming rows, dedup key and order (R-WB-3).

R-WB-3: events arrive out of order and duplicated from several sources
(manual entry, file import, carrier push, carrier pull); the timeline and the
current status must be the same whatever the arrival order, and a replayed
feed must add nothing. This module provides:

* :func:`dedup_key` gives the same key to the same event whatever its source,
  so a replayed feed adds nothing;
* :func:`event_order_key` orders events totally (the current state derived
  from them, :mod:`.state`, does not depend on arrival order);
* :func:`parse_event_time` and :func:`normalize_row` validate one incoming row
  (file import, manual entry, carrier payload flattened by the caller);
  :class:`RowBatch` does the same for the rows of one batch, with what repeats
  in a batch computed once: :func:`normalize_row` is a batch of one row, and
  both compute their keys through one recipe.

Codes and parameters only, never translated text: :class:`TrackingError`
carries one of :data:`REJECTION_CODES` and its parameters; the ORM layer turns
them into translated messages. Status resolution: :mod:`.status`.
"""

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from json.encoder import encode_basestring as _encode_string
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .status import STATE_RANK, StatusResolution, StatusTable, resolve_status
from .text import shown, storable
from .waybill import MAX_LENGTH, MIN_LENGTH, normalize_number, validate_number

__all__ = [
    "EARLIEST_EVENT_TIME",
    "MAX_LENGTHS",
    "REJECTION_CODES",
    "ROW_FIELDS",
    "IngestRow",
    "RowBatch",
    "TrackingError",
    "courier_code",
    "dedup_key",
    "event_order_key",
    "event_value",
    "normalize_row",
    "parse_event_time",
]

#: Fields of an incoming row (:func:`normalize_row`); any other key is rejected.
ROW_FIELDS = (
    "waybill",
    "courier",
    "time",
    "place",
    "status",
    "description",
    "operator",
    "operator_phone",
)

#: Maximum length (characters, after stripping) of the text fields of a row.
MAX_LENGTHS = {
    "status": 64,
    "place": 128,
    "description": 1024,
    "operator": 64,
    "operator_phone": 32,
}

#: Codes of :class:`TrackingError`. ``timezone`` is a configuration error
#: (unknown ``tz_name``), the others reject one row. Parameters:
#: ``unknown_field``/``type``/``too_long``: ``field`` (``too_long`` also
#: ``max``; ``text_invalid``: a NUL or lone surrogate, also ``field``);
#: ``waybill_invalid``: ``reason`` (a ``waybill.VALIDATION_CODES`` generic
#: code); ``courier_invalid``/``time``/``time_future``/``time_past``: ``value``;
#: ``status``: ``status``; ``timezone``: ``tz_name``.
REJECTION_CODES = (
    "not_a_dict",
    "unknown_field",
    "type",
    "waybill_missing",
    "waybill_invalid",
    "courier_invalid",
    "time",
    "time_future",
    "status_missing",
    "status",
    "too_long",
    "text_invalid",
    "time_past",
    "timezone",
)


class TrackingError(ValueError):
    """A rejected tracking input: ``code`` (see :data:`REJECTION_CODES`) and
    ``params`` for the translated message built by the ORM layer."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        return f"{self.code} {self.params!r}"


# ---------------------------------------------------------------------------
# Events: dedup key, ordering, derived state
# ---------------------------------------------------------------------------


def _collapse(value: object) -> str:
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


def _utc_naive(value: datetime) -> datetime:
    # what astimezone(timezone.utc) computes, without building the aware
    # UTC datetime: minus the offset (None when naive)
    offset = value.utcoffset()
    if offset is not None:
        value = value - offset
    return value.replace(tzinfo=None)


def _key_digest(
    number: str, courier: str, moment: str, state: str, place: str, description: str
) -> str:
    """The one recipe of the dedup key from its canonical parts: SHA-1 of
    ``json.dumps(["v1", *parts], ensure_ascii=False, separators=(",", ":"))``,
    joined from the encoded strings as the JSON encoder itself joins the
    items of a list (:func:`dedup_key` and :meth:`RowBatch.key`)."""
    text = (
        '["v1",'
        + ",".join(
            map(_encode_string, (number, courier, moment, state, place, description))
        )
        + "]"
    )
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def dedup_key(
    waybill_number: str,
    courier_code: str | None,
    time_utc: datetime,
    state: str,
    place: str | None,
    description: str | None,
) -> str:
    """Return the deduplication key of an event (R-WB-3: a replayed feed adds
    nothing).

    SHA-1 (40 lower-case hex digits) of a JSON array, so that no choice of
    field contents can make two different events serialise alike:
    ``["v1", number, courier, time, state, place, description]`` where the
    number is normalised (:func:`waybill.normalize_number`), the courier code
    upper-cased (``None`` -> ``""``), the time is naive UTC (an aware datetime
    is converted) in ISO format to the second, and place and description are
    NFKC-normalised with whitespace collapsed (``None`` -> ``""``). Operator
    and status text are not part of the key: the same event reported by two
    sources (one with the operator, one without; "签收" vs "3") has the same
    key.
    """
    moment = _utc_naive(time_utc).replace(microsecond=0)
    return _key_digest(
        normalize_number(waybill_number),
        (courier_code or "").strip().upper(),
        moment.isoformat(timespec="seconds"),
        state,
        _collapse(place),
        _collapse(description),
    )


def event_value(event: object, name: str) -> object:
    """A field of an event given as a mapping (rows) or an object (records)."""
    if isinstance(event, Mapping):
        return event.get(name)
    return getattr(event, name, None)


def event_order_key(event: object) -> tuple[datetime, int, str]:
    """Sort key of an event: ``(time, STATE_RANK[state], dedup_key)`` (R-WB-3).

    ``event`` is a mapping or an object with ``time`` (naive UTC datetime),
    ``state`` and ``dedup_key``. This is the order of the Odoo layer's
    ``ORDER BY event_time DESC, state_rank DESC, dedup_key DESC`` (reversed):
    keep both the same. ``dedup_key`` is lower-case hex of fixed length, so
    every collation orders it like Python does (``COLLATE "C"`` is safest).
    """
    return (
        event_value(event, "time"),
        STATE_RANK[event_value(event, "state")],
        event_value(event, "dedup_key"),
    )


# ---------------------------------------------------------------------------
# Incoming rows
# ---------------------------------------------------------------------------

_TIME = re.compile(
    r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})"
    r"(?:[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII | re.IGNORECASE,
)
_FUTURE_TOLERANCE = timedelta(days=1)
#: Default earliest plausible event time (naive UTC, R-WB-3): a scan dated
#: before it is a sender's bug (year 1, a unix 0), not a parcel's history.
EARLIEST_EVENT_TIME = datetime(1990, 1, 1)


def _zone(tz_name: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise TrackingError("timezone", tz_name=tz_name) from exc


def _parse_text_time(text: str) -> datetime | None:
    match = _TIME.fullmatch(text.strip())
    if not match:
        return None
    year, _sep, month, day, hour, minute, second, fraction, offset = match.groups()
    tzinfo = None
    if offset:
        if offset.upper() == "Z":
            tzinfo = timezone.utc
        else:
            digits = offset[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:] or 0)
            if hours > 23 or minutes > 59:
                return None
            delta = timedelta(hours=hours, minutes=minutes)
            tzinfo = timezone(-delta if offset[0] == "-" else delta)
    try:
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
            tzinfo=tzinfo,
        )
    except ValueError:
        return None


def parse_event_time(
    value: object,
    tz_name: str,
    now: datetime | None = None,
    earliest: datetime | None = None,
) -> datetime:
    """Parse an event time into a naive UTC datetime, to the second (R-WB-3).

    Accepted: ISO 8601 with an offset or ``Z`` (``2026-11-11T08:30:00+08:00``);
    a naive date-time, seconds and fraction optional, date separated by ``-``,
    ``/`` or ``.`` and time by ``T`` or a space (``2026-11-11 08:30:00``,
    ``2026-11-11T08:30``, ``2026/11/11 08:30:00``), read in ``tz_name``; a
    ``datetime``, aware (converted) or naive (read in ``tz_name``, like a
    spreadsheet cell). A date without a time of day is rejected: it cannot be
    ordered against the day's scans. A naive time falling in a DST gap or
    overlap takes the first offset (``fold=0``). Microseconds are dropped
    (Odoo stores seconds).

    Raise ``TrackingError("time", value=...)`` on anything else and
    ``TrackingError("time_future", value=...)`` when the time is more than one
    day after ``now`` (naive UTC or aware; default: the current time);
    ``TrackingError("time_past", value=...)`` when it is before ``earliest``
    (naive UTC; default :data:`EARLIEST_EVENT_TIME`).
    ``TrackingError("timezone")`` when ``tz_name`` is unknown.
    """
    zone = _zone(tz_name)
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        parsed = _parse_text_time(value)
    else:
        parsed = None
    if parsed is None:
        raise TrackingError("time", value=value)
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=zone)
    try:
        result = _utc_naive(parsed).replace(microsecond=0)
    except (OverflowError, ValueError) as exc:
        raise TrackingError("time", value=value) from exc
    current = (
        _utc_naive(now) if now is not None else _utc_naive(datetime.now(timezone.utc))
    )
    if result - current > _FUTURE_TOLERANCE:
        raise TrackingError("time_future", value=value)
    if result < (EARLIEST_EVENT_TIME if earliest is None else earliest):
        raise TrackingError("time_past", value=value)
    return result


@dataclass(frozen=True)
class IngestRow:
    """A validated incoming tracking row (:func:`normalize_row`).

    ``number`` is normalised, ``courier_code`` upper-case or ``None`` (the ORM
    may infer it from the number), ``time`` naive UTC, ``state`` and
    ``signed_by`` from :func:`resolve_status`, ``status_raw`` the stripped
    status as received; text fields are stripped (``""`` when absent).
    """

    number: str
    courier_code: str | None
    time: datetime
    state: str
    signed_by: str | None
    status_raw: str
    place: str
    description: str
    operator: str
    operator_phone: str

    def key_for(self, courier_code: str | None) -> str:
        """Return the :func:`dedup_key` of this row for ``courier_code``."""
        return dedup_key(
            self.number,
            courier_code,
            self.time,
            self.state,
            self.place,
            self.description,
        )


_COURIER = re.compile(r"[A-Z0-9_]{1,16}", re.ASCII)


def _text(row: Mapping, field: str) -> str:
    value = row.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TrackingError("type", field=field)
    if not storable(value):
        raise TrackingError("text_invalid", field=field)
    value = value.strip()
    if len(value) > MAX_LENGTHS[field]:
        raise TrackingError("too_long", field=field, max=MAX_LENGTHS[field])
    return value


def _row_number(raw_number: object) -> str:
    """The normalised waybill number of a row, or :class:`TrackingError`
    (``type``, ``waybill_missing``, ``waybill_invalid``)."""
    if raw_number is not None and not isinstance(raw_number, str):
        raise TrackingError("type", field="waybill")
    if raw_number is None or not raw_number.strip():
        raise TrackingError("waybill_missing")
    checked = validate_number(raw_number, ())
    if not checked.valid:
        raise TrackingError("waybill_invalid", reason=checked.code)
    return checked.number


def _row_courier(courier: object) -> str | None:
    """The upper-case courier code of a row's non-``None`` ``courier``
    (``None`` when blank), or ``TrackingError("courier_invalid")``."""
    if not isinstance(courier, str):
        raise TrackingError("courier_invalid", value=courier)
    courier_code = courier.strip().upper() or None
    if courier_code is not None and not _COURIER.fullmatch(courier_code):
        raise TrackingError("courier_invalid", value=courier)
    return courier_code


def courier_code(value: str) -> str | None:
    """The upper-case courier code ``value`` names (``" sf "`` is ``SF``), or
    ``None`` when blank or not ``[A-Z0-9_]{1,16}``."""
    try:
        return _row_courier(value)
    except TrackingError:
        return None


def normalize_row(
    row: object,
    *,
    tz_name: str,
    mapping: "Mapping | StatusTable | None" = None,
    now: datetime | None = None,
    earliest: datetime | None = None,
) -> IngestRow:
    """Validate one incoming tracking row and return an :class:`IngestRow`.

    ``row`` is a mapping whose keys are among :data:`ROW_FIELDS` (any other
    key is rejected, so that a typo in a column name is caught). Checked in
    this order, the first problem raises :class:`TrackingError`:

    * ``not_a_dict``; ``unknown_field`` (``field``);
    * ``waybill``: ``type`` unless a string, ``waybill_missing`` when absent
      or blank, ``waybill_invalid`` (``reason``: empty, bad_characters or
      length) on the generic checks of :func:`waybill.validate_number` (the
      per-courier rules are checked by the ORM);
    * ``courier``: optional; ``courier_invalid`` (``value``) unless a string
      matching ``[A-Z0-9_]{1,16}`` once stripped and upper-cased;
    * ``time``: ``time`` (also when missing) / ``time_future`` /
      ``time_past`` (:func:`parse_event_time` in ``tz_name``, before
      ``earliest``);
    * ``status``: ``type``, ``status_missing`` when absent or blank,
      ``too_long``, ``status`` (``status``) when :func:`resolve_status`
      finds nothing in ``mapping`` (a mapping or a :class:`StatusTable`);
    * ``place``, ``description``, ``operator``, ``operator_phone``: ``type``
      unless a string or ``None``, ``too_long`` (``field``, ``max``) beyond
      :data:`MAX_LENGTHS` (after stripping);
    * any text field (``status`` included): ``text_invalid`` (``field``) when
      it holds a NUL character or a lone surrogate, which PostgreSQL cannot
      store (:func:`text.storable`).
    """
    return RowBatch(
        tz_name=tz_name, mapping=mapping, now=now, earliest=earliest
    ).normalize(row)


# ---------------------------------------------------------------------------
# Batches of rows
# ---------------------------------------------------------------------------

_ROW_FIELD_SET = frozenset(ROW_FIELDS)
_TEXT_FIELDS = ("place", "description", "operator", "operator_phone")
# A waybill number that normalize_number returns as it is and that passes the
# generic checks of validate_number (characters, length): valid as it is.
_CLEAN_NUMBER = re.compile(rf"[A-Z0-9]{{{MIN_LENGTH},{MAX_LENGTH}}}", re.ASCII)
# The common ISO 8601 form with an offset (what couriers send): a subset of
# what _TIME accepts, with no surrounding space to strip.
_ISO_WITH_OFFSET = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})",
    re.ASCII,
)
_UNSET = object()


class RowBatch:
    """:func:`normalize_row` and :meth:`IngestRow.key_for` for the rows of one
    batch (R-WB-3), with what repeats in a batch computed once.

    ``batch.normalize(row)`` returns (or raises) exactly what
    ``normalize_row(row, tz_name=tz_name, mapping=mapping, now=now)`` does,
    and ``batch.key(row, courier_code)`` is ``row.key_for(courier_code)``:
    the same SHA-1 of the same JSON text. The shortcuts, each proven equal by
    the property tests of ``tests/core``:

    * the status mapping is a :class:`StatusTable` and each distinct status
      text is resolved once per batch; courier codes and the collapsed place
      and description of the key likewise;
    * a waybill number already canonical and of a valid length skips
      :func:`waybill.validate_number`;
    * a time in the form ``2026-11-11T08:30:00+08:00`` (or ``Z``) is read
      without the general pattern, its offset parsed once per batch;
    * without ``now``, the current time is read once per batch; a time that
      looks too far in the future against it is checked again against the
      time of that row (the current time only grows, so a row accepted
      against the batch's earlier time is accepted against its own too);
    * the key's JSON text is joined from the encoded strings, as the JSON
      encoder itself joins the items of a list.
    """

    def __init__(
        self,
        *,
        tz_name: str,
        mapping: "Mapping | StatusTable | None" = None,
        now: datetime | None = None,
        earliest: datetime | None = None,
    ) -> None:
        self.tz_name = tz_name
        self.earliest = EARLIEST_EVENT_TIME if earliest is None else earliest
        self.table = (
            mapping if isinstance(mapping, StatusTable) else StatusTable(mapping)
        )
        self.now = now
        self._current = (
            _utc_naive(now)
            if now is not None
            else _utc_naive(datetime.now(timezone.utc))
        )
        self._zone_ok: bool | None = None  # checked at the first time
        self._statuses: dict[str, StatusResolution | None] = {}
        self._couriers: dict[str, str | None] = {}
        self._offsets: dict[str, timedelta] = {}
        self._numbers: dict[str, str] = {}
        self._key_couriers: dict[str, str] = {}
        self._collapsed: dict[str, str] = {}

    # -- rows ---------------------------------------------------------------

    def normalize(self, row: object) -> IngestRow:
        """Validate one incoming row (:func:`normalize_row`, whose checks and
        codes are those of this method) with this batch's arguments."""
        if not isinstance(row, Mapping):
            raise TrackingError("not_a_dict")
        for field in row:
            if field not in _ROW_FIELD_SET:
                raise TrackingError("unknown_field", field=shown(field))
        get = row.get

        raw_number = get("waybill")
        if type(raw_number) is str and _CLEAN_NUMBER.fullmatch(raw_number):
            number = raw_number
        else:
            number = _row_number(raw_number)

        courier = get("courier")
        if courier is None:
            courier_code = None
        elif type(courier) is str:
            courier_code = self._couriers.get(courier, _UNSET)
            if courier_code is _UNSET:
                courier_code = self._couriers[courier] = _row_courier(courier)
        else:
            courier_code = _row_courier(courier)

        raw_time = get("time")
        if raw_time is None or (isinstance(raw_time, str) and not raw_time.strip()):
            raise TrackingError("time", value=raw_time)
        time = self._time(raw_time)

        status = get("status")
        if status is not None and not isinstance(status, str):
            raise TrackingError("type", field="status")
        if status is None or not status.strip():
            raise TrackingError("status_missing")
        status = _text(row, "status")
        if type(status) is str:
            resolution = self._statuses.get(status, _UNSET)
            if resolution is _UNSET:
                resolution = self._statuses[status] = resolve_status(status, self.table)
        else:
            resolution = resolve_status(status, self.table)
        if resolution is None:
            raise TrackingError("status", status=status)

        texts = {field: _text(row, field) for field in _TEXT_FIELDS}

        # the frozen dataclass's __init__ sets each field through
        # object.__setattr__: filling its __dict__ at once gives the same
        # object (equality, hash, repr), faster
        result = object.__new__(IngestRow)
        vars(result).update(
            number=number,
            courier_code=courier_code,
            time=time,
            state=resolution.state,
            signed_by=resolution.signed_by,
            status_raw=status,
            place=texts["place"],
            description=texts["description"],
            operator=texts["operator"],
            operator_phone=texts["operator_phone"],
        )
        return result

    def _time(self, raw_time: object) -> datetime:
        """:func:`parse_event_time` of ``raw_time`` in this batch's zone."""
        if self._zone_ok is None:
            try:
                _zone(self.tz_name)
                self._zone_ok = True
            except TrackingError:
                self._zone_ok = False
        if not self._zone_ok:
            raise TrackingError("timezone", tz_name=self.tz_name)
        result = None
        if type(raw_time) is str:
            match = _ISO_WITH_OFFSET.fullmatch(raw_time)
            if match:
                result = self._iso_with_offset(match)
        if result is None:
            return parse_event_time(raw_time, self.tz_name, self.now, self.earliest)
        if result - self._current > _FUTURE_TOLERANCE:
            if self.now is not None:
                raise TrackingError("time_future", value=raw_time)
            # the time of this row, as parse_event_time reads it
            return parse_event_time(raw_time, self.tz_name, earliest=self.earliest)
        if result < self.earliest:
            raise TrackingError("time_past", value=raw_time)
        return result

    def _iso_with_offset(self, match: re.Match) -> datetime | None:
        """The naive UTC time of a match of ``_ISO_WITH_OFFSET``, as
        :func:`_parse_text_time` then :func:`parse_event_time` compute it;
        ``None`` for anything they would reject (the caller then asks them)."""
        year, month, day, hour, minute, second, offset = match.groups()
        delta = self._offsets.get(offset)
        if delta is None:
            if offset == "Z":
                delta = timedelta(0)
            else:
                hours, minutes = int(offset[1:3]), int(offset[4:6])
                if hours > 23 or minutes > 59:
                    return None
                delta = timedelta(hours=hours, minutes=minutes)
                if offset[0] == "-":
                    delta = -delta
            self._offsets[offset] = delta
        try:
            return (
                datetime(
                    int(year), int(month), int(day), int(hour), int(minute), int(second)
                )
                - delta
            )
        except (OverflowError, ValueError):
            return None

    # -- keys ---------------------------------------------------------------

    def key(self, row: IngestRow, courier_code: str | None) -> str:
        """Same as ``row.key_for(courier_code)``: :func:`dedup_key`."""
        number, time, state = row.number, row.time, row.state
        place, description = row.place, row.description
        if not (
            type(number) is str
            and type(time) is datetime
            and time.tzinfo is None
            and type(state) is str
            and (courier_code is None or type(courier_code) is str)
            and (place is None or type(place) is str)
            and (description is None or type(description) is str)
        ):
            return row.key_for(courier_code)
        numbers = self._numbers
        canonical = numbers.get(number)
        if canonical is None:
            canonical = numbers[number] = normalize_number(number)
        courier = courier_code or ""
        code = self._key_couriers.get(courier)
        if code is None:
            code = self._key_couriers[courier] = courier.strip().upper()
        collapsed = self._collapsed
        place = place or ""
        place_key = collapsed.get(place)
        if place_key is None:
            place_key = collapsed[place] = _collapse(place)
        description = description or ""
        description_key = collapsed.get(description)
        if description_key is None:
            description_key = collapsed[description] = _collapse(description)
        # isoformat to the second truncates the microseconds, as
        # replace(microsecond=0) does
        return _key_digest(
            canonical,
            code,
            time.isoformat(timespec="seconds"),
            state,
            place_key,
            description_key,
        )
