# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Delivery-side problem parcels: round reports and delivery areas.

R-PP-1: every delivery round (频次) the courier of the delivering station
reports each undelivered parcel with an exception reason and an exception
sign-off (异常签收) within the company deadline. Each parcel is classified
(next round, another day by appointment 预约派送, cannot be delivered: return
or hold) and gets a storage place so it is found fast (归类存放).

The company deadline is configurable in two shapes, both seed-faithful
("within the company deadline" says nothing more):

- ``after_end`` (default): N hours after the round ended (default 2 hours);
- ``cutoff``: by a local time of day (e.g. 20:00) on the round's day; a round
  that ends after the cut-off is due at the cut-off of the next day.

R-PP-2: delivery areas (片区: streets, estates, schools, companies) map to
their courier. An address is matched against each area's keywords (one per
line); see :func:`match_area` for the rule.

Everything here is pure Python: datetimes are naive and in one frame chosen
by the caller (the ORM layer passes local times of the company for a
cut-off); functions return codes, never translated text.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

DEADLINE_MODES = ("after_end", "cutoff")
DEFAULT_DEADLINE_MODE = "after_end"
DEFAULT_DEADLINE_HOURS = 2.0
#: 20:00, as a float hour (Odoo's ``float_time``).
DEFAULT_CUTOFF_HOUR = 20.0

REASONS = (
    "nobody_home",
    "refused",
    "bad_address",
    "phone_unreachable",
    "appointment",
    "damaged",
    "other",
)
DISPOSITIONS = ("next_round", "another_day", "return", "hold")

#: Validation codes of a report line, in the order they are reported.
LINE_CODES = (
    "missing_reason",
    "missing_note",
    "not_signed",
    "missing_sign_time",
    "missing_disposition",
    "missing_appointment",
    "appointment_too_early",
    "missing_storage_place",
)


# ------------------------------------------------------------------ deadline


def report_deadline(
    round_end: datetime,
    mode: str = DEFAULT_DEADLINE_MODE,
    hours: float = DEFAULT_DEADLINE_HOURS,
    cutoff_hour: float = DEFAULT_CUTOFF_HOUR,
) -> datetime:
    """When the exception report of a round ending at ``round_end`` is due.

    ``after_end``: ``round_end + hours``. ``cutoff``: ``cutoff_hour`` on the
    day of ``round_end``, or of the next day when the round ends after it.
    Negative hours count as zero; the cut-off is clamped to [0, 24).
    Unknown modes raise ``ValueError``.
    """
    if mode == "after_end":
        return round_end + timedelta(hours=max(float(hours or 0.0), 0.0))
    if mode == "cutoff":
        minutes = min(round(max(float(cutoff_hour or 0.0), 0.0) * 60), 24 * 60 - 1)
        deadline = datetime.combine(round_end.date(), time(minutes // 60, minutes % 60))
        if deadline < round_end:
            deadline += timedelta(days=1)
        return deadline
    raise ValueError(f"unknown deadline mode {mode!r}")


def is_late(
    deadline: datetime | None,
    submitted_at: datetime | None,
    now: datetime | None = None,
) -> bool:
    """A report is late when filed after its deadline, or, not filed yet,
    when ``now`` is past the deadline (it can only be filed late then).
    Without a deadline nothing is late."""
    if not deadline:
        return False
    if submitted_at:
        return submitted_at > deadline
    return bool(now and now > deadline)


# -------------------------------------------------------------- line checks


@dataclass(frozen=True)
class ReportLine:
    """What a report line says about one undelivered parcel."""

    reason: str | None = None
    note: str | None = None
    signed: bool = False
    signed_at: datetime | None = None
    disposition: str | None = None
    appointment_date: date | None = None
    storage_place: str | None = None


def check_line(line: ReportLine, round_date: date | None = None) -> list[str]:
    """The codes (see ``LINE_CODES``) that keep ``line`` from being
    submitted; an empty list means the line is complete.

    R-PP-1: a reason (``other`` needs a note), the exception sign-off with its
    time, a disposition (``another_day`` needs an appointment date after the
    round's day), and a storage place for every line.
    """
    codes = []
    if line.reason not in REASONS:
        codes.append("missing_reason")
    elif line.reason == "other" and not (line.note or "").strip():
        codes.append("missing_note")
    if not line.signed:
        codes.append("not_signed")
    elif not line.signed_at:
        codes.append("missing_sign_time")
    if line.disposition not in DISPOSITIONS:
        codes.append("missing_disposition")
    elif line.disposition == "another_day":
        if not line.appointment_date:
            codes.append("missing_appointment")
        elif round_date and line.appointment_date <= round_date:
            codes.append("appointment_too_early")
    if not (line.storage_place or "").strip():
        codes.append("missing_storage_place")
    return codes


def check_report(
    lines: Mapping[object, ReportLine], round_date: date | None = None
) -> dict[object, list[str]]:
    """``{key: codes}`` for the lines of ``lines`` that are not complete,
    in the order of ``lines``; an empty dict means the report can go."""
    faults = {}
    for key, line in lines.items():
        codes = check_line(line, round_date)
        if codes:
            faults[key] = codes
    return faults


def latest_line(lines: Iterable[tuple]) -> object | None:
    """The last of ``(round_end, round_id, line_id, payload)`` tuples, by
    round end then ids: the line whose storage place and disposition are the
    parcel's current ones. ``None`` when there is none."""
    best = None
    for item in lines:
        key = (item[0] or datetime.min, item[1] or 0, item[2] or 0)
        if best is None or key > best[0]:
            best = (key, item[3])
    return best[1] if best else None


# ------------------------------------------------------------ area matching

_SPACES = re.compile(r"\s+")
#: Administrative suffixes dropped for a second, shorter form of a place name
#: ("上海市" also matches "上海浦东…"); longest first.
_ADMIN_SUFFIXES = ("特别行政区", "自治区", "自治州", "省", "市", "区", "县")


def normalize(text: object) -> str:
    """NFKC (full-width to half-width), case-folded, without white space."""
    if not text:
        return ""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text))).casefold()


def _place_forms(name: object) -> tuple[str, ...]:
    full = normalize(name)
    if not full:
        return ()
    for suffix in _ADMIN_SUFFIXES:
        if full.endswith(suffix) and len(full) - len(suffix) >= 2:
            return (full, full[: -len(suffix)])
    return (full,)


def parse_keywords(text: object) -> tuple[str, ...]:
    """One keyword a line (commas and semicolons also split), normalised,
    blanks and duplicates dropped, in their first order."""
    seen = []
    for raw in re.split(r"[\n,;，；、]+", str(text or "")):
        keyword = normalize(raw)
        if keyword and keyword not in seen:
            seen.append(keyword)
    return tuple(seen)


@dataclass(frozen=True)
class Area:
    """A delivery area as the matcher sees it."""

    id: int
    keywords: tuple[str, ...]
    province: str | None = None
    city: str | None = None
    district: str | None = None
    _places: tuple = field(default=(), compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(
            self, "keywords", tuple(k for k in map(normalize, self.keywords) if k)
        )
        object.__setattr__(
            self,
            "_places",
            tuple(
                forms
                for forms in map(
                    _place_forms, (self.province, self.city, self.district)
                )
                if forms
            ),
        )


def match_area(address: object, areas: Iterable[Area]) -> int | None:
    """The id of the area of ``address``, or ``None``.

    An area is a candidate when every place it names (province, city,
    district; the name or the name without its administrative suffix) occurs
    in the address, and one of its keywords occurs in it too (both compared
    normalised: NFKC, case-folded, without spaces). The candidate whose
    matching keyword is the longest wins (the most specific: "张江路50号"
    beats "张江路"); on equal length the one naming more places wins; then
    the lowest id, so the result never depends on the order of ``areas``.
    """
    text = normalize(address)
    if not text:
        return None
    best_key, best_id = None, None
    for area in areas:
        if not all(any(form in text for form in forms) for forms in area._places):
            continue
        length = max((len(k) for k in area.keywords if k in text), default=0)
        if not length:
            continue
        key = (length, len(area._places), -area.id)
        if best_key is None or key > best_key:
            best_key, best_id = key, area.id
    return best_id
