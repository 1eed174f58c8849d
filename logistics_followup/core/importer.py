# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""File import of tracking events: tables, column mapping, rejected rows.

The import wizard reads a CSV or XLSX export (a courier's back office, a
warehouse system, a spreadsheet kept by hand) with :func:`read_table`, guesses
which column holds which field of an incoming row with :func:`guess_mapping`
(Chinese and English headers, :data:`HEADER_ALIASES`), turns the lines into
rows for ``logistics.tracking.event.ingest`` with :func:`build_rows` and gives
the user the rejected lines back with :func:`rejected_report_csv`.

Decisions:

* CSV text is UTF-16 when it starts with a UTF-16 byte order mark (Excel's
  "Unicode text"), else UTF-8 (with or without BOM), else GB18030 (a superset
  of GBK and GB2312, what Chinese Excel saves by default) unless the charset
  detector (chardet) is fairly sure of another encoding (a Latin-1 or
  Windows-1252 export) that GB18030 would turn into rare characters; the
  :class:`Table` then carries a note the user is warned with, and so does a
  GB18030 reading the detector is not sure of. Bytes that are no text (NUL
  or control bytes) are a ``binary`` error, not an empty file. The delimiter is
  the one of ``,`` ``;`` and tab that splits the first lines most consistently.
* The header is the line, among the first :data:`HEADER_SCAN_ROWS` non-blank
  ones, that has the most recognised headers (the first non-blank line when
  none is recognised): exports often start with a title line. Lines keep the
  numbers a spreadsheet shows (the first line is 1).
* Every cell becomes text. Spreadsheet numbers that are integral lose their
  ``.0`` (waybill numbers typed into Excel are numbers, not text); a
  datetime becomes ``YYYY-MM-DD HH:MM:SS`` rounded to the second. Excel keeps
  only 15 significant digits, so an integral float of more than 15 digits,
  or a text like ``7.31906E+13`` (Excel's display of a long number, saved
  as is into a CSV) whose digits are not all given, lost digits: the cell is
  rendered anyway and reported as a :class:`CellIssue` with code
  ``"precision"``, so that the caller rejects the line instead of importing a
  wrong number.

Codes and parameters only, never translated text (see ``core/__init__.py``).
"""

import codecs
import csv
import dataclasses
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from .events import ROW_FIELDS

__all__ = [
    "CELL_ISSUE_CODES",
    "FILE_ERROR_CODES",
    "HEADER_ALIASES",
    "HEADER_SCAN_ROWS",
    "IGNORE",
    "MAX_DIGITS",
    "MAX_ROWS",
    "CellIssue",
    "Decoded",
    "ImportFileError",
    "Table",
    "alias_index",
    "build_rows",
    "cell_text",
    "courier_index",
    "decode",
    "guess_mapping",
    "match_courier",
    "read_table",
    "rejected_report_csv",
    "split_aliases",
    "text_key",
]

#: Most data lines a file may have (blank lines are not counted).
MAX_ROWS = 100_000

#: Significant digits a spreadsheet number keeps (IEEE double as Excel shows it).
MAX_DIGITS = 15

#: How many non-blank lines at the top of a file may hold the header.
HEADER_SCAN_ROWS = 20

#: Mapping value of a column that is not imported.
IGNORE = "ignore"

#: Codes of :class:`ImportFileError`; parameters: ``format``: ``extension``;
#: ``too_many_rows``: ``max``.
FILE_ERROR_CODES = (
    "empty",
    "format",
    "binary",
    "encoding",
    "xlsx_unavailable",
    "too_many_rows",
)
#: Values of :attr:`Table.encoding_note`: the CSV was not UTF-8 and its
#: encoding is a guess the user should check (``encoding_guessed``: read in
#: :attr:`Table.encoding` as the charset detector found; ``encoding_uncertain``:
#: read as GB18030 though the detector is not sure it is Chinese text).
ENCODING_NOTES = ("encoding_guessed", "encoding_uncertain")

#: Codes of :class:`CellIssue`.
CELL_ISSUE_CODES = ("precision",)

#: Recognised column headers of each field of :data:`ROW_FIELDS`, compared
#: by :func:`text_key` (case, width, spaces, punctuation and a bracketed
#: qualifier such as ``(北京时间)`` do not matter).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "waybill": (
        "运单号",
        "快递单号",
        "单号",
        "运单编号",
        "物流单号",
        "运单号码",
        "快递单号码",
        "waybill",
        "waybill number",
        "waybill no",
        "tracking number",
        "tracking no",
    ),
    "courier": (
        "快递公司",
        "承运商",
        "快递",
        "物流公司",
        "courier",
        "carrier",
    ),
    "time": (
        "时间",
        "扫描时间",
        "操作时间",
        "发生时间",
        "日期时间",
        "time",
        "datetime",
        "scan time",
        "event time",
    ),
    "place": (
        "地点",
        "网点",
        "扫描网点",
        "所在地",
        "站点",
        "place",
        "location",
    ),
    "status": (
        "状态",
        "扫描类型",
        "物流状态",
        "快件状态",
        "status",
        "event",
    ),
    "description": (
        "描述",
        "详情",
        "轨迹",
        "轨迹描述",
        "内容",
        "description",
        "details",
    ),
    "operator": (
        "操作员",
        "扫描员",
        "快递员",
        "业务员",
        "operator",
    ),
    "operator_phone": (
        "操作员电话",
        "快递员电话",
        "联系电话",
        "phone",
        "operator phone",
    ),
}


class ImportFileError(ValueError):
    """A file that cannot be read as a table: ``code`` (one of
    :data:`FILE_ERROR_CODES`) and ``params`` for the translated message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class CellIssue:
    """A cell read with a problem: ``line`` (1-based, as a spreadsheet shows
    it), ``column`` (0-based), ``code`` (:data:`CELL_ISSUE_CODES`) and the
    cell's text ``value``."""

    line: int
    column: int
    code: str
    value: str


@dataclass(frozen=True)
class Table:
    """What :func:`read_table` read. Unpacks as ``headers, rows``.

    ``rows`` are the lines after the header, blank ones included (as empty
    lists, except at the end) so that ``rows[i]`` is line ``first_line + i``;
    every row has at most ``len(headers)`` cells.
    """

    headers: list[str]
    rows: list[list[str]]
    first_line: int = 2
    issues: tuple[CellIssue, ...] = field(default=())
    #: the encoding a CSV was read in (:attr:`Decoded.encoding`; "" for
    #: XLSX) and, when it is a guess, one of :data:`ENCODING_NOTES`
    encoding: str = ""
    encoding_note: str | None = None

    def __iter__(self) -> Iterator[object]:
        return iter((self.headers, self.rows))


# ---------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------

_QUALIFIER = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")


def text_key(text: object) -> str:
    """Compare key of a header (or of any label): NFKC, case-folded, without
    bracketed qualifiers, keeping only letters and digits.

    ``" Tracking No. "``, ``"TRACKING_NO"`` and ``"tracking no"`` give the
    same key; ``"时间（北京时间）"`` gives ``"时间"``.
    """
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    text = _QUALIFIER.sub("", text)
    return "".join(char for char in text if char.isalnum())


def alias_index(aliases: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """``{text_key(alias): field}`` of a header alias table such as
    :data:`HEADER_ALIASES`; an alias of two fields is a programming error."""
    index: dict[str, str] = {}
    for field_name, names in aliases.items():
        for alias in names:
            key = text_key(alias)
            if index.setdefault(key, field_name) != field_name:  # pragma: no cover
                raise AssertionError(f"header alias {alias!r} of two fields")
    return index


_ALIASES = alias_index(HEADER_ALIASES)


def guess_mapping(
    headers: Sequence[object], aliases: Mapping[str, str] | None = None
) -> dict[int, str]:
    """Map column indexes to fields of :data:`ROW_FIELDS` from the headers.

    A header is recognised when its :func:`text_key` is the key of one of
    :data:`HEADER_ALIASES`; the first column recognised as a field wins, each
    field is used once, and unrecognised columns are left out.

    :param aliases: another file's alias index (:func:`alias_index`), e.g.
        the station directory's (``core.station``); default the tracking
        events' one
    """
    index_of = _ALIASES if aliases is None else aliases
    mapping: dict[int, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        field_name = index_of.get(text_key(header))
        if field_name and field_name not in used:
            mapping[index] = field_name
            used.add(field_name)
    return mapping


# ---------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"\s*(\d)(?:\.(\d+))?[eE]\+?(\d{1,3})\s*", re.ASCII)

#: Excel shows a number in scientific notation from 12 digits on.
_SCIENTIFIC_MIN_EXPONENT = 11


def _scientific_text(text: str) -> tuple[str, bool] | None:
    """``("73190553102532", False)`` for ``"7.3190553102532E+13"``; the flag
    says digits were lost. ``None`` for any other text."""
    match = _SCIENTIFIC.fullmatch(text)
    if not match:
        return None
    head, fraction, exponent = match.group(1), match.group(2) or "", int(match.group(3))
    if exponent < _SCIENTIFIC_MIN_EXPONENT or len(fraction) > exponent:
        return None  # a small or non-integral number: some other text
    digits = head + fraction
    significant = len(digits.rstrip("0")) if digits.strip("0") else 1
    number = digits + "0" * (exponent - len(fraction))
    # the trailing zeros are not known to be zeros unless the text gives them
    lost = len(number) > len(digits) or significant > MAX_DIGITS
    return number, lost


def _round_second(value: datetime) -> datetime:
    try:
        return (value + timedelta(microseconds=500_000)).replace(microsecond=0)
    except OverflowError:
        return value.replace(microsecond=0)


def cell_text(value: object) -> tuple[str, bool]:
    """Text of a spreadsheet cell and whether digits were lost.

    ``None`` is ``""``; booleans ``TRUE``/``FALSE``; integral numbers have no
    ``.0`` (``7.3190553102532e13`` is ``"73190553102532"``), and an integral
    float of more than :data:`MAX_DIGITS` digits is flagged; other floats
    keep 15 significant digits. Datetimes are ``YYYY-MM-DD HH:MM:SS`` (rounded
    to the second: spreadsheet times are fractions of a day), dates
    ``YYYY-MM-DD``, times ``HH:MM:SS``. Texts in Excel's scientific notation of
    a long number (``7.31906E+13``) are expanded and flagged unless every digit
    is given.
    """
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, int):
        return str(value), False
    if isinstance(value, float):
        if value.is_integer():
            text = str(int(value))
            return text, len(text.lstrip("-")) > MAX_DIGITS
        return format(value, f".{MAX_DIGITS}g"), False
    if isinstance(value, datetime):
        return _round_second(value).isoformat(sep=" ", timespec="seconds"), False
    if isinstance(value, date):
        return value.isoformat(), False
    if isinstance(value, time):
        rounded = _round_second(datetime.combine(date(2000, 1, 1), value))
        return rounded.time().isoformat(timespec="seconds"), False
    text = value if isinstance(value, str) else str(value)
    return _scientific_text(text) or (text, False)


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------

_CSV_EXTENSIONS = ("csv", "tsv", "txt")
_ZIP_MAGIC = b"PK\x03\x04"
# Excel 97-2003 (.xls) and other OLE2 compound files: not supported
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DELIMITERS = (",", ";", "\t")
_SNIFF_CHARS = 65_536
_SNIFF_RECORDS = 50


def _extension(filename: str) -> str:
    name = (filename or "").strip().lower()
    return name.rsplit(".", 1)[1] if "." in name else ""


# what the charset detector (chardet) calls the encodings GB18030 covers
_CHINESE_CHARSETS = frozenset({"gb2312", "gbk", "gb18030", "hz-gb-2312"})
_DETECT_BYTES = 64 * 1024
_DETECT_CONFIDENCE = 0.5


def _detect(data: bytes) -> tuple[str | None, float]:
    """The charset detector's ``(encoding, confidence)``, lower-case;
    ``(None, 0.0)`` without chardet (an Odoo dependency, optional here)."""
    try:
        import chardet  # noqa: PLC0415
    except ImportError:
        return None, 0.0
    guess = chardet.detect(data[:_DETECT_BYTES])
    encoding = (guess.get("encoding") or "").lower() or None
    return encoding, float(guess.get("confidence") or 0.0)


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _only_gb2312(text: str) -> bool:
    # Chinese exports use the common characters; text read from Latin-1 or
    # Windows-1252 bytes as GB18030 turns into the rare ones of its extension
    try:
        text[:_DETECT_BYTES].encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 1 % of control bytes other than tab, line
    feed, carriage return and form feed: not text in any encoding we read."""
    sample = data[:_DETECT_BYTES]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\x0c")
    return controls * 100 > len(sample)


@dataclass(frozen=True)
class Decoded:
    """What :func:`decode` found: the ``text``, the ``encoding`` it was read
    in (``"utf-8"``, ``"utf-8-sig"`` for UTF-8 with a byte order mark,
    ``"utf-16"``, ``"gb18030"`` or the charset detector's name) and, when
    that encoding is a guess, a ``note`` (one of :data:`ENCODING_NOTES`)."""

    text: str
    encoding: str
    note: str | None = None


def decode(data: bytes) -> Decoded:
    """Decode a CSV file's bytes: the one decoding of the import, its
    preview included.

    UTF-16 with a byte order mark; else UTF-8 (``utf-8-sig`` when it starts
    with a BOM); else GB18030 (GBK, GB2312) when the charset detector finds
    Chinese; else the detector's encoding when it is fairly sure and the
    GB18030 reading is implausible (rare characters only); else GB18030 with
    a note.

    :raises ImportFileError: ``empty`` (no bytes), ``binary`` (no text),
        ``encoding`` (text in none of these encodings)
    """
    if not data:
        raise ImportFileError("empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try_decode(data, "utf-16")
        if text is None:
            raise ImportFileError("encoding")
        return Decoded(text, "utf-16")
    if _looks_binary(data):
        raise ImportFileError("binary")
    if data.startswith(codecs.BOM_UTF8):
        text = _try_decode(data, "utf-8-sig")
        if text is not None:
            return Decoded(text, "utf-8-sig")
    text = _try_decode(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8")
    guess, confidence = _detect(data)
    chinese = _try_decode(data, "gb18030")
    if guess in _CHINESE_CHARSETS and chinese is not None:
        note = None if confidence >= _DETECT_CONFIDENCE else "encoding_uncertain"
        return Decoded(chinese, "gb18030", note)
    if (
        guess
        and guess not in _CHINESE_CHARSETS
        and not guess.startswith("utf")
        and confidence >= _DETECT_CONFIDENCE
        and (chinese is None or not _only_gb2312(chinese))
    ):
        other = _try_decode(data, guess)
        if other is not None:
            return Decoded(other, guess, "encoding_guessed")
    if chinese is not None:
        return Decoded(chinese, "gb18030", "encoding_uncertain")
    raise ImportFileError("encoding")


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the largest share of the first non-blank
    records into one same number (more than one) of columns; ties go to the
    larger number of columns, then to ``,``."""
    sample = text[:_SNIFF_CHARS]
    best, best_score = ",", (0.0, 0)
    for delimiter in _DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        widths = []
        try:
            for record in reader:
                if any(cell.strip() for cell in record):
                    widths.append(len(record))
                    if len(widths) >= _SNIFF_RECORDS:
                        break
        except csv.Error:
            continue
        counts = Counter(width for width in widths if width > 1)
        if not counts:
            continue
        width, frequency = max(counts.items(), key=lambda item: (item[1], item[0]))
        score = (frequency / len(widths), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(text: str) -> Iterator[list[object]]:
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text), strict=False
    )
    try:
        yield from reader
    except csv.Error as exc:
        raise ImportFileError("format", extension="csv") from exc


def _xlsx_rows(data: bytes) -> Iterator[Sequence[object]]:
    try:
        # optional and imported here: Odoo ships openpyxl, the core needs only
        # the standard library
        import openpyxl  # noqa: PLC0415
    except ImportError as exc:
        raise ImportFileError("xlsx_unavailable") from exc
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True
        )
    except Exception as exc:  # any broken or foreign file: zip, XML, openpyxl errors
        raise ImportFileError("format", extension="xlsx") from exc
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        # the stored dimensions may be wrong (files written by other tools)
        sheet.reset_dimensions()
        try:
            yield from sheet.iter_rows(values_only=True)
        except Exception as exc:  # broken sheet XML
            raise ImportFileError("format", extension="xlsx") from exc
    finally:
        workbook.close()


def _is_blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _trimmed(cells: list[str]) -> list[str]:
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


def _text_rows(
    raw_rows: Iterable[Sequence[object]],
) -> Iterator[tuple[int, list[str], list[int]]]:
    """``(line, cells, columns whose digits were lost)`` of each raw line."""
    for line, raw in enumerate(raw_rows, start=1):
        cells, lost = [], []
        for column, value in enumerate(raw or ()):
            text, lossy = cell_text(value)
            cells.append(text)
            if lossy:
                lost.append(column)
        yield line, _trimmed(cells), lost


def _header_score(cells: Sequence[str], aliases: Mapping[str, str] | None) -> int:
    return len(guess_mapping(cells, aliases))


def read_table(
    data: bytes,
    filename: str,
    limit: int | None = None,
    aliases: Mapping[str, str] | None = None,
) -> Table:
    """Read the first sheet of an XLSX file or a CSV file as text.

    :param data: the file's content
    :param filename: its name. A zip archive is read as XLSX whatever its
        name; other content as CSV when the extension is ``.csv``, ``.tsv`` or
        ``.txt``; anything else (an ``.xls`` file too) is a ``format`` error
    :param limit: stop after this many non-blank data lines (a preview);
        ``None`` reads everything and enforces :data:`MAX_ROWS`
    :param aliases: the alias index (:func:`alias_index`) the header line is
        recognised with; default the tracking events' (:data:`HEADER_ALIASES`)
    :returns: a :class:`Table`, which unpacks as ``headers, rows``
    :raises ImportFileError: ``empty`` (no data line), ``format`` (not a
        CSV or XLSX file; ``extension``), ``binary`` (a ``.csv`` whose bytes
        are no text: NUL or control bytes), ``encoding`` (a CSV neither
        UTF-8, UTF-16 with BOM, GB18030 nor what the charset detector
        recognises), ``xlsx_unavailable`` (openpyxl is not
        installed), ``too_many_rows`` (more than :data:`MAX_ROWS` data lines;
        ``max``)
    """
    if not data:
        raise ImportFileError("empty")
    extension = _extension(filename)
    encoding, note = "", None
    if data.startswith(_ZIP_MAGIC):
        # whatever its name says: an XLSX file renamed .csv is still read
        raw_rows: Iterator[Sequence[object]] = _xlsx_rows(data)
    elif data.startswith(_OLE_MAGIC):
        raise ImportFileError("format", extension="xls")
    elif extension in _CSV_EXTENSIONS:
        decoded = decode(data)
        if "\x00" in decoded.text:  # UTF-16 text holding a NUL
            raise ImportFileError("binary")
        encoding, note = decoded.encoding, decoded.note
        raw_rows = _csv_rows(decoded.text)
    else:
        raise ImportFileError("format", extension=extension)

    lines = _text_rows(raw_rows)
    try:
        table = _table(lines, limit, aliases)
        return dataclasses.replace(table, encoding=encoding, encoding_note=note)
    finally:
        # a preview stops early: close the workbook now
        lines.close()
        raw_rows.close()


def _table(
    lines: Iterator[tuple[int, list[str], list[int]]],
    limit: int | None,
    aliases: Mapping[str, str] | None = None,
) -> Table:
    # the header: the best of the first non-blank lines
    head: list[tuple[int, list[str], list[int]]] = []
    for item in lines:
        if not _is_blank(item[1]):
            head.append(item)
            if len(head) >= HEADER_SCAN_ROWS:
                break
    if not head:
        raise ImportFileError("empty")
    header_at = max(
        range(len(head)), key=lambda i: (_header_score(head[i][1], aliases), -i)
    )
    header_line, headers, _lost = head[header_at]
    headers = [cell.strip() for cell in headers]

    rows: list[list[str]] = []
    issues: list[CellIssue] = []
    blank: list[str] = []
    pending_blanks = 0
    count = 0

    def data_lines() -> Iterator[tuple[int, list[str], list[int]]]:
        yield from head[header_at + 1 :]
        yield from lines

    previous = header_line
    for line, cells, lost in data_lines():
        # blank lines (also those left out of ``head``) only count when data
        # follows them: spreadsheets often have thousands of formatted empty
        # lines at the end
        pending_blanks += line - previous - 1
        previous = line
        if _is_blank(cells):
            pending_blanks += 1
            continue
        if limit is not None and count >= limit:
            break
        count += 1
        if limit is None and count > MAX_ROWS:
            raise ImportFileError("too_many_rows", max=MAX_ROWS)
        rows.extend([blank] * pending_blanks)
        pending_blanks = 0
        rows.append(cells)
        issues.extend(
            CellIssue(line, column, "precision", cells[column]) for column in lost
        )
    if not rows:
        raise ImportFileError("empty")
    width = max(len(headers), *(len(cells) for cells in rows))
    headers += [""] * (width - len(headers))
    return Table(
        headers=headers,
        rows=rows,
        first_line=header_line + 1,
        issues=tuple(issues),
    )


# ---------------------------------------------------------------------------
# Rows for ingest, report of rejected rows
# ---------------------------------------------------------------------------


def build_rows(
    rows: Sequence[Sequence[str]],
    mapping: Mapping[int, str],
    default_courier: str | None = None,
    first_line: int = 2,
) -> list[tuple[int, dict[str, str]]]:
    """Rows for ``ingest`` from the lines of a table.

    :param rows: lines of text cells, ``rows[i]`` being line ``first_line + i``
    :param mapping: column index -> field of :data:`ROW_FIELDS` (or
        :data:`IGNORE`); a field may be mapped once
    :param default_courier: courier code added to every row when no column is
        mapped to ``courier``
    :returns: ``[(line, row)]`` for the lines that are not completely empty;
        ``row`` has the mapped fields only (stripped; ``""`` for an empty or
        missing cell: ``ingest`` rejects what is required)
    :raises ValueError: on an unknown field or a field mapped twice
    """
    columns = sorted((index, name) for index, name in mapping.items() if name != IGNORE)
    names = [name for _index, name in columns]
    for name in names:
        if name not in ROW_FIELDS:
            raise ValueError(f"unknown field {name!r}")
        if names.count(name) > 1:
            raise ValueError(f"field {name!r} mapped twice")
    add_courier = bool(default_courier) and "courier" not in names
    result = []
    for offset, cells in enumerate(rows):
        cells = ["" if cell is None else str(cell) for cell in cells]
        if _is_blank(cells):
            continue
        row = {
            name: cells[index].strip() if index < len(cells) else ""
            for index, name in columns
        }
        if add_courier:
            row["courier"] = default_courier
        result.append((first_line + offset, row))
    return result


_PLAIN_NUMBER = re.compile(r"[+-][\d\s().-]*", re.ASCII)


def _neutralised(text: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (CSV injection):
    prefix ``'`` to a text starting with ``= + - @``, tab or CR, except a
    signed plain number or phone (``+86 138-0013-8000``)."""
    if text and text[0] in "=+-@\t\r" and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def rejected_report_csv(
    lines: Iterable[tuple[int, Mapping[str, object], str]],
    labels: Mapping[str, str] | None = None,
    fields: Sequence[str] = ROW_FIELDS,
) -> bytes:
    """The rejected lines as a CSV file for Excel: UTF-8 with a BOM.

    :param lines: ``(line, row, reason)``; ``row`` as given to ``ingest``
    :param labels: column titles by ``"line"``, ``"reason"`` and field name;
        default the names themselves (the field names are recognised headers:
        the corrected report imports again)
    :param fields: the fields a row may have, in the order of the columns;
        default those of a scan (:data:`ROW_FIELDS`), e.g. a station file's
        (``core.station.FIELDS``)
    :returns: the file: columns line, the fields of ``fields`` present in
        some row, reason; a cell that a spreadsheet would run as a formula
        gets a leading ``'``
    """
    lines = list(lines)
    labels = dict(labels or {})
    present = {name for _line, row, _reason in lines for name in row}
    names = [name for name in fields if name in present]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [
            labels.get("line", "line"),
            *(labels.get(name, name) for name in names),
            labels.get("reason", "reason"),
        ]
    )
    for line, row, reason in lines:
        values = ("" if row.get(name) is None else str(row[name]) for name in names)
        writer.writerow(
            [
                str(line),
                *(_neutralised(value) for value in values),
                _neutralised(reason),
            ]
        )
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


# ---------------------------------------------------------------------------
# Courier names
# ---------------------------------------------------------------------------

_ALIAS_SEPARATORS = re.compile(r"[,;\n\r\t，；、]+")


def split_aliases(text: str | None) -> list[str]:
    """The names of an alias list: separated by commas, semicolons, line
    breaks or the Chinese ``，；、``; stripped, blanks and repeats left out.

    ``"顺丰, 順豐；SF Express"`` gives ``["顺丰", "順豐", "SF Express"]``.
    """
    names: list[str] = []
    for name in _ALIAS_SEPARATORS.split(text or ""):
        name = name.strip()
        if name and name not in names:
            names.append(name)
    return names


def courier_index(
    couriers: Iterable[tuple[str, Iterable[str]]],
) -> dict[str, str]:
    """The courier code of each text a courier column may hold, by
    :func:`text_key`.

    :param couriers: ``(code, names)`` of each courier; ``names`` are its
        name in every language, its aliases (short and full, simplified and
        traditional Chinese, English: ``顺丰``, ``順豐速運``, ``SF Express``)
        and other codes (Kuaidi100's ``shunfeng``)
    :returns: ``{key: code}``; a courier's own code always names it; a name
        that two couriers share names neither (the row is then refused as an
        unknown courier rather than given to the wrong one)
    """
    codes: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    for code, texts in couriers:
        code_key = text_key(code)
        if code_key:
            codes[code_key] = code
        for text in texts:
            key = text_key(text)
            if key:
                names.setdefault(key, set()).add(code)
    index = {key: next(iter(found)) for key, found in names.items() if len(found) == 1}
    index.update(codes)
    return index


def match_courier(text: object, index: Mapping[str, str]) -> str | None:
    """The code of the courier ``text`` names in ``index`` (see
    :func:`courier_index`), ``None`` when it names none."""
    key = text_key(text)
    return index.get(key) if key else None
