# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Stations (网点): the directory agents call when they cannot solve a
problem themselves (R-PP-11, R-PP-2, R-PP-7, R-CP-6).

Two jobs:

* **Matching** (:class:`StationIndex`): which station of the directory a
  waybill's delivering station, else its last scan place, names. By code or
  by name, the waybill's own courier first (:meth:`StationIndex.match`).
  Names compare without case, width, spaces, punctuation or bracket marks
  (``【深圳南山科技园网点】`` is ``深圳南山科技园网点``), traditional and
  simplified forms of a character being equal (``hanzi_variants``); a place
  text naming a station among other words (``深圳南山科技园网点 派件中``)
  matches it, the longest name winning. Ambiguous answers (two stations of
  the same rank) match nothing: the agent chooses, the code never guesses.
* **Import** (:func:`parse_rows`): the lines of a station file (CSV or XLSX
  read by ``core.importer``; Chinese or English headers,
  :data:`HEADER_ALIASES`) become :class:`StationRow` objects; a bad line is
  rejected alone as a :class:`Rejection` with a code and parameters
  (:data:`REJECTION_CODES`), never text.

Working hours (:func:`parse_hours`), phones (:func:`parse_phones`) and
contact people (:func:`parse_contacts`) are parsed and normalised here too,
for the import and for the station form alike.

Codes and parameters only, never translated text (see ``core/__init__.py``).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .hanzi_variants import variants_of
from .importer import IGNORE, alias_index, match_courier
from .importer import guess_mapping as _guess_mapping
from .text import shown, storable

__all__ = [
    "ALIAS_INDEX",
    "FIELDS",
    "HEADER_ALIASES",
    "MAX_LENGTHS",
    "MIN_CONTAINED_NAME",
    "REJECTION_CODES",
    "Contact",
    "Rejection",
    "StationIndex",
    "StationRef",
    "StationRow",
    "code_key",
    "guess_mapping",
    "name_key",
    "normalize_code",
    "parse_contacts",
    "parse_hours",
    "parse_phones",
    "parse_rows",
    "province_key",
]

# ---------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------

#: Shortest name key (characters) that may match inside a longer place text:
#: shorter names (``南山``) would match too many places.
MIN_CONTAINED_NAME = 4

_FOLD_CACHE: dict[str, str] = {}


def _fold(char: str) -> str:
    """One representative of the traditional / simplified variants of a
    character (the smallest code point), so that 網點 and 网点 compare equal."""
    folded = _FOLD_CACHE.get(char)
    if folded is None:
        folded = _FOLD_CACHE[char] = min(variants_of(char) | {char})
    return folded


def name_key(name: object) -> str:
    """Compare key of a station name or a place text: NFKC, case-folded,
    letters and digits only (spaces, punctuation and brackets dropped), each
    Chinese character folded to one form of its variants."""
    text = unicodedata.normalize("NFKC", str(name or "")).casefold()
    return "".join(_fold(char) for char in text if char.isalnum())


def normalize_code(code: object) -> str:
    """A station code as stored: NFKC, trimmed, upper case, inner spaces
    removed (``" sz-ns01 "`` is ``"SZ-NS01"``)."""
    text = unicodedata.normalize("NFKC", str(code or ""))
    return "".join(text.split()).upper()


def code_key(code: object) -> str:
    """Compare key of a code: upper-case letters and digits only
    (``SZ-NS01``, ``sz ns01`` and ``SZNS01`` are the same code)."""
    text = unicodedata.normalize("NFKC", str(code or "")).upper()
    return "".join(char for char in text if char.isascii() and char.isalnum())


@dataclass(frozen=True)
class StationRef:
    """What the matching knows of a station: its ``id``, its ``courier``
    (any hashable: an id or a code; ``None`` for none), ``code`` and ``name``."""

    id: int
    courier: object
    code: str
    name: str


class StationIndex:
    """The stations of one company, indexed once for many look-ups (a batch
    of waybills costs one read of the directory, no query per waybill)."""

    def __init__(self, stations: Iterable[StationRef]) -> None:
        self._codes: dict[str, list[StationRef]] = {}
        self._names: dict[str, list[StationRef]] = {}
        self._contained: list[tuple[str, StationRef]] = []
        for station in stations:
            key = code_key(station.code)
            if key:
                self._codes.setdefault(key, []).append(station)
            key = name_key(station.name)
            if key:
                self._names.setdefault(key, []).append(station)
                if len(key) >= MIN_CONTAINED_NAME:
                    self._contained.append((key, station))
        # longest names first: "深圳南山科技园网点" before "南山科技园网点"
        self._contained.sort(key=lambda item: -len(item[0]))

    def __len__(self) -> int:
        return len({s.id for refs in self._names.values() for s in refs})

    @staticmethod
    def _one(candidates: Iterable[StationRef]) -> tuple[bool, int | None]:
        """``(found, id)``: found when there is at least one candidate; the
        id when exactly one station (else ambiguous: ``None``)."""
        ids = {station.id for station in candidates}
        if not ids:
            return False, None
        return True, (ids.pop() if len(ids) == 1 else None)

    def match(self, text: object, courier: object = None) -> int | None:
        """The id of the station ``text`` names, or ``None``.

        Ranks, the first that finds something decides (an ambiguous rank
        gives ``None``): among the stations of ``courier``, then among the
        others (any courier when ``courier`` is ``None``): the same code; the
        same name; the longest station name contained in the text (at least
        :data:`MIN_CONTAINED_NAME` characters).
        """
        if not text or not str(text).strip():
            return None
        ckey, nkey = code_key(text), name_key(text)
        scopes = (
            (lambda s: s.courier == courier, lambda s: s.courier != courier)
            if courier is not None
            else (lambda s: True,)
        )
        for in_scope in scopes:
            found, station_id = self._one(
                s for s in self._codes.get(ckey, ()) if in_scope(s)
            )
            if not found:
                found, station_id = self._one(
                    s for s in self._names.get(nkey, ()) if in_scope(s)
                )
            if not found and nkey:
                found, station_id = self._contained_match(nkey, in_scope)
            if found:
                return station_id
        return None

    def _contained_match(self, nkey: str, in_scope) -> tuple[bool, int | None]:
        best = None
        hits = []
        for key, station in self._contained:
            if best is not None and len(key) < best:
                break
            if len(key) <= len(nkey) and key in nkey and in_scope(station):
                best = len(key)
                hits.append(station)
        return self._one(hits)

    def match_first(
        self, texts: Iterable[object], courier: object = None
    ) -> int | None:
        """The station named by the first of ``texts`` that names one (the
        delivering station, else the last scan place)."""
        for text in texts:
            station_id = self.match(text, courier)
            if station_id is not None:
                return station_id
        return None


# ---------------------------------------------------------------------------
# Working hours, phones, contacts
# ---------------------------------------------------------------------------

_ALL_DAY = frozenset(
    name_key(text)
    for text in ("全天", "24小时", "24h", "24 hours", "24/7", "00:00-24:00")
)
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?"
_RANGE = re.compile(
    rf"(?P<label>[^\d]*?)\s*{_TIME}\s*(?:-|~|至|到|–|—|－|to)\s*{_TIME}\s*",
    re.IGNORECASE,
)
_HOURS_SEPARATORS = re.compile(r"[,;，；、/\n]+")


def _hhmm(hours: str, minutes: str | None) -> tuple[int, int] | None:
    h, m = int(hours), int(minutes or 0)
    if m > 59 or h > 24 or (h == 24 and m):
        return None
    return h, m


def parse_hours(text: object) -> str | None:
    """Working hours normalised as ``HH:MM-HH:MM``, several ranges joined by
    ``", "``; a range may keep a day label (``周六 10:00-16:00``). ``""`` for
    an empty text; ``None`` when the text is no working hours.

    Accepted: ``8:00-21:00``, ``08:00~21:00``, ``8.30至20.30``, ``8-21``,
    full-width characters, ``全天`` / ``24小时`` / ``24h`` (``00:00-24:00``).
    An end before the start is a night shift (``22:00-06:00``); the same
    start and end is refused.
    """
    raw = unicodedata.normalize("NFKC", str(text or "")).strip()
    if not raw:
        return ""
    if name_key(raw) in _ALL_DAY:
        return "00:00-24:00"
    ranges = []
    for segment in _HOURS_SEPARATORS.split(raw):
        segment = segment.strip()
        if not segment:
            continue
        match = _RANGE.fullmatch(segment)
        if not match:
            return None
        label = " ".join(match.group("label").split()).rstrip(":")
        start = _hhmm(match.group(2), match.group(3))
        end = _hhmm(match.group(4), match.group(5))
        if not start or not end or start == end or start == (24, 0):
            return None
        value = f"{start[0]:02d}:{start[1]:02d}-{end[0]:02d}:{end[1]:02d}"
        ranges.append(f"{label} {value}" if label else value)
    return ", ".join(ranges) if ranges else None


_PHONE = re.compile(
    r"\+?\(?\d[\d\s()\-]*\d(?:\s*(?:转|ext\.?|x|#)\s*\d{1,6})?", re.IGNORECASE
)
_PHONE_SEPARATORS = re.compile(r"[,;，；、/\n]+")
_MIN_PHONE_DIGITS = 5
_MAX_PHONE_DIGITS = 20


def _phone(text: str) -> str | None:
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    if not _PHONE.fullmatch(text):
        return None
    digits = sum(char.isdigit() for char in text)
    if not _MIN_PHONE_DIGITS <= digits <= _MAX_PHONE_DIGITS:
        return None
    return text


def parse_phones(text: object) -> tuple[str, ...] | None:
    """The phones of a cell (separated by ``,`` ``;`` ``/`` ``、`` or new
    lines), each normalised (NFKC, single spaces); ``()`` when empty,
    ``None`` when one of them is no phone number (5 to 20 digits, ``+`` ``-``
    spaces and brackets, an extension after ``转`` / ``ext`` / ``x``)."""
    raw = str(text or "").strip()
    if not raw:
        return ()
    phones = []
    for part in _PHONE_SEPARATORS.split(raw):
        if not part.strip():
            continue
        phone = _phone(part)
        if phone is None:
            return None
        if phone not in phones:
            phones.append(phone)
    return tuple(phones)


@dataclass(frozen=True)
class Contact:
    """A contact person of a station: name, phone, job (``function``)."""

    name: str
    phone: str = ""
    function: str = ""


_CONTACT_SEPARATORS = re.compile(r"[;；,，、\n]+")
_CONTACT_PHONE = re.compile(
    r"\+?\(?\d[\d\s\-()]{3,}\d(?:\s*(?:转|ext\.?|x)\s*\d{1,6})?"
)
_CONTACT_FUNCTION = re.compile(r"[(\[【]([^()\[\]【】]*)[)\]】]")
_CONTACT_TRIM = " \t:/-|"


def parse_contacts(text: object) -> tuple[Contact, ...] | None:
    """The contact people of a cell: entries separated by ``;`` ``,`` ``、``
    or new lines, each a name, an optional job in brackets and an optional
    phone (``张三(站长) 13800138000``, ``李四/0755-26001234``). ``()`` when
    empty; ``None`` when an entry has no name or an invalid phone."""
    raw = unicodedata.normalize("NFKC", str(text or "")).strip()
    if not raw:
        return ()
    contacts = []
    for entry in _CONTACT_SEPARATORS.split(raw):
        entry = entry.strip()
        if not entry:
            continue
        phone = ""
        match = _CONTACT_PHONE.search(entry)
        if match:
            phone = _phone(match.group())
            if phone is None:
                return None
            entry = entry[: match.start()] + " " + entry[match.end() :]
        function = ""
        match = _CONTACT_FUNCTION.search(entry)
        if match:
            function = " ".join(match.group(1).split())
            entry = entry[: match.start()] + " " + entry[match.end() :]
        name = " ".join(entry.split()).strip(_CONTACT_TRIM)
        if not name or any(char.isdigit() for char in name):
            return None
        contacts.append(Contact(name=name, phone=phone, function=function))
    return tuple(contacts)


# ---------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------

_PROVINCE_SUFFIXES = tuple(
    name_key(suffix)
    for suffix in (
        "壮族自治区",
        "回族自治区",
        "维吾尔自治区",
        "特别行政区",
        "自治区",
        "province",
        "省",
        "市",
    )
)


def province_key(text: object) -> str:
    """Compare key of a province: :func:`name_key` without the suffix of its
    kind (``广东省``, ``广东`` and ``廣東`` are the same; ``广西壮族自治区`` is
    ``广西``; ``北京市`` is ``北京``)."""
    key = name_key(text)
    for suffix in _PROVINCE_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


#: Fields of a station line, in the order of a rejected-lines report.
FIELDS = (
    "name",
    "code",
    "courier",
    "province",
    "city",
    "district",
    "address",
    "phone",
    "email",
    "contacts",
    "hours",
)

#: Recognised column headers of each field (compared by
#: ``importer.text_key``: case, width, spaces, punctuation and a bracketed
#: qualifier do not matter).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "网点名称",
        "网点",
        "站点名称",
        "站点",
        "名称",
        "station",
        "station name",
        "name",
    ),
    "code": (
        "网点编码",
        "网点代码",
        "网点编号",
        "编码",
        "代码",
        "code",
        "station code",
    ),
    "courier": ("快递公司", "快递", "承运商", "物流公司", "courier", "carrier"),
    "province": ("省份", "省", "province", "state"),
    "city": ("城市", "市", "city"),
    "district": ("区县", "区/县", "区", "县", "district", "county"),
    "address": ("地址", "详细地址", "网点地址", "address", "street"),
    "phone": (
        "电话",
        "联系电话",
        "联络电话",
        "网点电话",
        "电话号码",
        "phone",
        "phones",
        "telephone",
    ),
    "email": ("邮箱", "电子邮件", "电子邮箱", "email", "e-mail", "mail"),
    "contacts": (
        "联系人",
        "联络人",
        "负责人",
        "联系人员",
        "contact",
        "contacts",
        "contact person",
    ),
    "hours": (
        "营业时间",
        "工作时间",
        "服务时间",
        "hours",
        "working hours",
        "opening hours",
    ),
}

_MAX_SPELLINGS = 32


def _spellings(alias: str) -> list[str]:
    """``alias`` and its spellings in the other forms of its characters
    (网点名称, 網點名稱...): headers typed in traditional characters are
    recognised too."""
    spellings = [""]
    for char in alias:
        options = sorted(variants_of(char) | {char})
        spellings = [s + o for s in spellings for o in options][:_MAX_SPELLINGS]
    return spellings


#: The alias index to give ``importer.read_table`` so that it finds the
#: header line of a station file (traditional spellings included).
ALIAS_INDEX = alias_index(
    {
        field_name: tuple(
            dict.fromkeys(
                spelling for alias in aliases for spelling in _spellings(alias)
            )
        )
        for field_name, aliases in HEADER_ALIASES.items()
    }
)

#: Longest text of each field (characters).
MAX_LENGTHS = {
    "name": 128,
    "code": 32,
    "courier": 64,
    "province": 64,
    "city": 64,
    "district": 64,
    "address": 256,
    "phone": 128,
    "email": 128,
    "contacts": 1024,
    "hours": 128,
}

#: Codes of :class:`Rejection` and their parameters:
#: ``name_missing``; ``courier_missing``; ``courier_unknown`` (``value``);
#: ``code_invalid`` (``value``); ``phone_invalid`` (``value``);
#: ``email_invalid`` (``value``); ``contacts_invalid`` (``value``);
#: ``hours_invalid`` (``value``); ``too_long`` (``field``, ``max``);
#: ``unstorable`` (``field``); ``duplicate`` (``line``: the first line of
#: the same station in the file).
REJECTION_CODES = (
    "name_missing",
    "courier_missing",
    "courier_unknown",
    "code_invalid",
    "phone_invalid",
    "email_invalid",
    "contacts_invalid",
    "hours_invalid",
    "too_long",
    "unstorable",
    "duplicate",
)

_CODE = re.compile(r"[A-Z0-9][A-Z0-9._/-]*", re.ASCII)
_EMAIL = re.compile(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+")


def guess_mapping(headers: Sequence[object]) -> dict[int, str]:
    """Column index -> field of :data:`FIELDS`, from the headers."""
    return _guess_mapping(headers, ALIAS_INDEX)


@dataclass(frozen=True)
class StationRow:
    """A valid station line: texts normalised, ``courier`` a courier code."""

    line: int
    name: str
    courier: str
    code: str = ""
    province: str = ""
    city: str = ""
    district: str = ""
    address: str = ""
    phones: tuple[str, ...] = ()
    email: str = ""
    contacts: tuple[Contact, ...] = ()
    hours: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """Identity of the station within a courier: its code, else its name."""
        return (
            ("code", code_key(self.code))
            if self.code
            else ("name", name_key(self.name))
        )


@dataclass(frozen=True)
class Rejection:
    """A rejected line: ``line`` number, its ``row`` (field -> text as read),
    ``code`` (:data:`REJECTION_CODES`) and ``params``."""

    line: int
    row: dict[str, str]
    code: str
    params: dict[str, object] = field(default_factory=dict)


def _cells(
    cells: Sequence[object], columns: Sequence[tuple[int, str]]
) -> dict[str, str]:
    return {
        name: (
            str(cells[index]).strip()
            if index < len(cells) and cells[index] is not None
            else ""
        )
        for index, name in columns
    }


def _check_row(
    row: Mapping[str, str],
    couriers: Mapping[str, str],
    default_courier: str | None,
) -> tuple[str, dict[str, object]] | StationRow:
    for name, value in row.items():
        if not storable(value):
            return "unstorable", {"field": name}
        if len(value) > MAX_LENGTHS[name]:
            return "too_long", {"field": name, "max": MAX_LENGTHS[name]}
    name = " ".join(unicodedata.normalize("NFKC", row.get("name", "")).split())
    if not name:
        return "name_missing", {}
    courier_text = row.get("courier", "")
    if courier_text:
        courier = match_courier(courier_text, couriers)
        if not courier:
            return "courier_unknown", {"value": shown(courier_text)}
    elif default_courier:
        courier = default_courier
    else:
        return "courier_missing", {}
    code = normalize_code(row.get("code", ""))
    if code and not _CODE.fullmatch(code):
        return "code_invalid", {"value": shown(row["code"])}
    phones = parse_phones(row.get("phone", ""))
    if phones is None:
        return "phone_invalid", {"value": shown(row["phone"])}
    email = unicodedata.normalize("NFKC", row.get("email", "")).strip()
    if email and not _EMAIL.fullmatch(email):
        return "email_invalid", {"value": shown(row["email"])}
    contacts = parse_contacts(row.get("contacts", ""))
    if contacts is None:
        return "contacts_invalid", {"value": shown(row["contacts"])}
    hours = parse_hours(row.get("hours", ""))
    if hours is None:
        return "hours_invalid", {"value": shown(row["hours"])}

    def text(key: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", row.get(key, "")).split())

    return StationRow(
        line=0,
        name=name,
        courier=courier,
        code=code,
        province=text("province"),
        city=text("city"),
        district=text("district"),
        address=text("address"),
        phones=phones,
        email=email,
        contacts=contacts,
        hours=hours,
    )


def parse_rows(
    rows: Sequence[Sequence[object]],
    mapping: Mapping[int, str],
    couriers: Mapping[str, str],
    default_courier: str | None = None,
    first_line: int = 2,
) -> tuple[list[StationRow], list[Rejection]]:
    """The stations of a file's lines, and the lines rejected with a reason.

    :param rows: lines of cells, ``rows[i]`` being line ``first_line + i``
        (``importer.read_table``); blank lines are skipped
    :param mapping: column index -> field of :data:`FIELDS` (or
        ``importer.IGNORE``), e.g. from :func:`guess_mapping`
    :param couriers: courier code by ``importer.text_key`` of each text a
        courier cell may hold (code, names, aliases)
    :param default_courier: the courier code of lines without one
    :returns: ``(stations, rejections)``; every non-blank line is in exactly
        one of them. The second line naming the same station (same courier
        and code, else same courier and name) is rejected as ``duplicate``.
    :raises ValueError: on an unknown field or a field mapped twice
    """
    columns = sorted((i, name) for i, name in mapping.items() if name != IGNORE)
    names = [name for _i, name in columns]
    for name in names:
        if name not in FIELDS:
            raise ValueError(f"unknown field {name!r}")
        if names.count(name) > 1:
            raise ValueError(f"field {name!r} mapped twice")
    stations: list[StationRow] = []
    rejections: list[Rejection] = []
    seen: dict[tuple[str, tuple[str, str]], int] = {}
    for offset, cells in enumerate(rows):
        if not any(str(cell or "").strip() for cell in cells):
            continue
        line = first_line + offset
        row = _cells(cells, columns)
        result = _check_row(row, couriers, default_courier)
        if not isinstance(result, StationRow):
            code, params = result
            rejections.append(Rejection(line, row, code, params))
            continue
        key = (result.courier, result.key)
        if key in seen:
            rejections.append(Rejection(line, row, "duplicate", {"line": seen[key]}))
            continue
        seen[key] = line
        stations.append(dataclasses.replace(result, line=line))
    return stations, rejections
