# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""File import: tables from CSV and XLSX, column mapping, rejected rows."""

import codecs
import csv
import io
import sys
from datetime import date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_followup.core import importer
from logistics_followup.core.events import (
    ROW_FIELDS,
)
from logistics_followup.core.importer import (
    FILE_ERROR_CODES,
    HEADER_ALIASES,
    IGNORE,
    CellIssue,
    ImportFileError,
    build_rows,
    cell_text,
    guess_mapping,
    read_table,
    rejected_report_csv,
    text_key,
)

CHINESE_HEADERS = ["运单号", "快递公司", "时间", "地点", "状态", "描述", "操作员"]
LINES = [
    [
        "SF3299150988269",
        "SF",
        "2026-11-10 09:00:00",
        "深圳宝安",
        "已揽收",
        "收件",
        "张三",
    ],
    ["SF3299150988269", "SF", "2026-11-10 21:00:00", "深圳转运中心", "运输中", "", ""],
    ["SF3299150988269", "SF", "2026-11-11 08:00:00", "杭州西湖", "派送中", "", "李四"],
]


def trimmed(rows):
    """Rows as read: without their trailing empty cells."""
    result = []
    for row in rows:
        row = list(row)
        while row and not row[-1]:
            row.pop()
        result.append(row)
    return result


def csv_bytes(rows, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def error_of(callable_, *args, **kwargs):
    with pytest.raises(ImportFileError) as info:
        callable_(*args, **kwargs)
    assert info.value.code in FILE_ERROR_CODES
    return info.value


# ---------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------


def test_aliases_cover_every_field_once():
    assert tuple(HEADER_ALIASES) == ROW_FIELDS
    keys = [text_key(alias) for aliases in HEADER_ALIASES.values() for alias in aliases]
    assert len(keys) == len(set(keys))
    for field_name, aliases in HEADER_ALIASES.items():
        for alias in aliases:
            assert guess_mapping([alias]) == {0: field_name}, alias


def test_chinese_headers():
    headers = ["运单号", "快递公司", "扫描时间", "扫描网点", "扫描类型", "轨迹描述"]
    headers += ["快递员", "快递员电话"]
    assert guess_mapping(headers) == dict(enumerate(ROW_FIELDS))
    assert guess_mapping(["快递单号", "承运商", "操作时间", "站点", "快件状态"]) == {
        0: "waybill",
        1: "courier",
        2: "time",
        3: "place",
        4: "status",
    }


def test_english_headers_spaces_case_and_decorations():
    headers = [
        "  Tracking Number ",
        "CARRIER",
        "Scan  Time",
        "location",
        "Event",
        "Details",
        "OPERATOR",
        "Phone",
    ]
    assert guess_mapping(headers) == dict(enumerate(ROW_FIELDS))
    assert guess_mapping(["tracking_no.", "时间（北京时间）", "运单号*", "状 态"]) == {
        0: "waybill",
        1: "time",
        3: "status",
    }
    # full-width letters and spaces (Chinese input methods)
    assert guess_mapping(["Ｗａｙｂｉｌｌ\u3000", "ＴＩＭＥ"]) == {
        0: "waybill",
        1: "time",
    }


def test_first_match_wins_and_unknown_headers_are_left_out():
    assert guess_mapping(["序号", "单号", "运单号", "备注", "时间", "日期时间"]) == {
        1: "waybill",
        4: "time",
    }
    assert guess_mapping([]) == {}
    assert guess_mapping(["", None, "收件人"]) == {}


# ---------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ("", False)),
        (True, ("TRUE", False)),
        (42, ("42", False)),
        (123456789012345678, ("123456789012345678", False)),  # an exact integer
        (7.3190553102532e13, ("73190553102532", False)),
        (786187979245.0, ("786187979245", False)),
        (1.2345678901234567e18, ("1234567890123456768", True)),
        (3.5, ("3.5", False)),
        (0.1 + 0.2, ("0.3", False)),
        (datetime(2026, 11, 10, 9, 0, 0), ("2026-11-10 09:00:00", False)),
        # Excel times are fractions of a day: round to the second
        (datetime(2026, 11, 10, 8, 59, 59, 999_997), ("2026-11-10 09:00:00", False)),
        (datetime(2026, 11, 10, 9, 0, 0, 400_000), ("2026-11-10 09:00:00", False)),
        (date(2026, 11, 10), ("2026-11-10", False)),
        (time(21, 30, 0), ("21:30:00", False)),
        ("已签收", ("已签收", False)),
        ("7.3190553102532E+13", ("73190553102532", False)),
        ("7.31906E+13", ("73190600000000", True)),
        ("1E+12", ("1000000000000", True)),
        ("2E3", ("2E3", False)),  # small: some other text
        ("7.5E+00", ("7.5E+00", False)),
    ],
)
def test_cell_text(value, expected):
    assert cell_text(value) == expected


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_csv_encodings(encoding):
    data = csv_bytes([CHINESE_HEADERS, *LINES], encoding=encoding)
    headers, rows = read_table(data, "轨迹.csv")
    assert headers == CHINESE_HEADERS
    assert rows == trimmed(LINES)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters(delimiter):
    lines = [[*LINES[0][:5], "收件, 已揽收; 备注\t说明"], LINES[1][:6]]
    data = csv_bytes([CHINESE_HEADERS[:6], *lines], delimiter=delimiter)
    headers, rows = read_table(data, "export.CSV")
    assert headers == CHINESE_HEADERS[:6]
    assert rows == trimmed(lines)


def test_csv_title_line_blank_lines_and_line_numbers():
    text = (
        "顺丰速运 运单轨迹导出 2026-11-12\r\n"
        "\r\n"
        "运单号,时间,状态,备注\r\n"
        "SF3299150988269,2026-11-10 09:00:00,1,\r\n"
        ",,,\r\n"
        "\r\n"
        'SF3299150988269,2026-11-10 21:00:00,0,"two\nlines"\r\n'
        "\r\n"
        "\r\n"
    )
    table = read_table(text.encode("gbk"), "trace.csv")
    assert table.headers == ["运单号", "时间", "状态", "备注"]
    assert table.first_line == 4
    mapping = guess_mapping(table.headers)
    assert build_rows(table.rows, mapping, first_line=table.first_line) == [
        (
            4,
            {
                "waybill": "SF3299150988269",
                "time": "2026-11-10 09:00:00",
                "status": "1",
            },
        ),
        (
            7,
            {
                "waybill": "SF3299150988269",
                "time": "2026-11-10 21:00:00",
                "status": "0",
            },
        ),
    ]
    assert table.issues == ()


def test_csv_scientific_numbers_and_limit():
    data = csv_bytes(
        [
            ["快递单号", "时间", "状态"],
            ["7.3190553102532E+13", "2026-11-10 09:00:00", "1"],
            ["7.31906E+13", "2026-11-10 09:00:00", "1"],
            ["531258620413", "2026-11-10 09:00:00", "1"],
        ]
    )
    table = read_table(data, "zto.csv")
    assert [row[0] for row in table.rows] == [
        "73190553102532",
        "73190600000000",
        "531258620413",
    ]
    assert table.issues == (CellIssue(3, 0, "precision", "73190600000000"),)
    preview = read_table(data, "zto.csv", limit=1)
    assert preview.rows == [table.rows[0]]
    assert preview.issues == ()


def test_csv_ragged_lines():
    data = "运单号,时间,状态\nSF3299150988269,2026-11-10 09:00:00\nSF1,t,1,extra,\n"
    table = read_table(data.encode(), "a.csv")
    assert table.headers == ["运单号", "时间", "状态", ""]
    mapping = guess_mapping(table.headers)
    assert [row for _line, row in build_rows(table.rows, mapping)] == [
        {"waybill": "SF3299150988269", "time": "2026-11-10 09:00:00", "status": ""},
        {"waybill": "SF1", "time": "t", "status": "1"},
    ]


# ---------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------


def xlsx_bytes(sheets):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_first_sheet_numbers_and_datetimes():
    data = xlsx_bytes(
        [
            (
                "轨迹",
                [
                    ["中通快递 轨迹"],
                    ["Tracking Number", "Scan Time", "Status", "Location", "Phone"],
                    [
                        7.3190553102532e13,
                        datetime(2026, 11, 10, 9, 0, 0),
                        "已揽收",
                        "上海青浦",
                        13800138000,
                    ],
                    [None],
                    [1.2345678901234567e18, "2026-11-10 21:00:00", 0, None, None],
                    [None, None],
                ],
            ),
            ("other", [["运单号"], ["SF0000000000000"]]),
        ]
    )
    table = read_table(data, "export.xlsx")
    assert table.headers == [
        "Tracking Number",
        "Scan Time",
        "Status",
        "Location",
        "Phone",
    ]
    assert table.first_line == 3
    # the writer keeps 16 or 17 digits of the float: any of them is wrong
    lossy = table.rows[2][0]
    assert len(lossy) == 19
    assert lossy.startswith("123456789012345")
    assert table.rows == [
        ["73190553102532", "2026-11-10 09:00:00", "已揽收", "上海青浦", "13800138000"],
        [],
        [lossy, "2026-11-10 21:00:00", "0"],
    ]
    assert table.issues == (CellIssue(5, 0, "precision", lossy),)
    lines = build_rows(
        table.rows, guess_mapping(table.headers), "ZTO", table.first_line
    )
    assert lines[0] == (
        3,
        {
            "waybill": "73190553102532",
            "time": "2026-11-10 09:00:00",
            "status": "已揽收",
            "place": "上海青浦",
            "operator_phone": "13800138000",
            "courier": "ZTO",
        },
    )
    assert [line for line, _row in lines] == [3, 5]
    # the content decides when the name has no known extension
    assert read_table(data, "export").rows == table.rows


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


def test_error_empty():
    assert error_of(read_table, b"", "a.csv").code == "empty"
    assert error_of(read_table, b"\r\n ,, \r\n\r\n", "a.csv").code == "empty"
    assert error_of(read_table, "运单号,时间\n".encode(), "a.csv").code == "empty"
    assert error_of(read_table, codecs.BOM_UTF8, "a.csv").code == "empty"


def test_error_empty_xlsx():
    assert error_of(read_table, xlsx_bytes([("s", [])]), "a.xlsx").code == "empty"


def test_error_format():
    error = error_of(read_table, b"%PDF-1.7 ...", "scan.pdf")
    assert (error.code, error.params) == ("format", {"extension": "pdf"})
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
    assert error_of(read_table, ole, "old.xls").code == "format"
    assert error_of(read_table, ole, "renamed.csv").code == "format"
    assert error_of(read_table, b"no extension", "README").code == "format"


def test_error_format_broken_xlsx():
    pytest.importorskip("openpyxl")
    assert error_of(read_table, b"not a zip", "a.xlsx").code == "format"
    assert error_of(read_table, b"PK\x03\x04broken", "a.xlsx").code == "format"


def test_error_encoding():
    data = "运单号,时间\n".encode() + b"SF1,\x80\x80\n"
    assert error_of(read_table, data, "a.csv").code == "encoding"


LATIN_LINES = [
    ("waybill", "time", "status", "place"),
    ("SF3299150988269", "2026-11-11 08:00:00", "delivered", "Montréal Gare Centrale"),
    ("SF3299150988270", "2026-11-11 09:00:00", "delivered", "Zürich Hauptbahnhof"),
]


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_latin_csv_detected_and_noted(encoding):
    """Issue 11 item 10: a Latin-1 / Windows-1252 CSV is no longer read as
    GB18030 mojibake without a word: the charset detector's encoding is used
    and the table carries a note for the user to check it."""
    pytest.importorskip("chardet")
    table = read_table(csv_bytes(LATIN_LINES, encoding=encoding), "a.csv")
    assert table.rows[0][3] == "Montréal Gare Centrale"
    assert table.rows[1][3] == "Zürich Hauptbahnhof"
    assert table.encoding_note == "encoding_guessed"
    assert table.encoding in ("iso-8859-1", "windows-1252")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_chinese_and_utf_csv_read_without_note(encoding):
    """GB18030 / GBK / UTF-8 (BOM or not) / UTF-16 exports stay exactly as
    they were read before the detector, without a note."""
    table = read_table(csv_bytes([CHINESE_HEADERS, *LINES], encoding=encoding), "a.csv")
    assert table.encoding_note is None
    assert table.headers[: len(CHINESE_HEADERS)] == list(CHINESE_HEADERS)


def test_gb18030_without_detector_or_unsure(monkeypatch):
    """Without chardet, or when it is not sure, a non-UTF-8 CSV is read as
    GB18030 and noted as uncertain."""
    data = csv_bytes([CHINESE_HEADERS, *LINES], encoding="gbk")
    monkeypatch.setattr(importer, "_detect", lambda data: (None, 0.0))
    table = read_table(data, "a.csv")
    assert (table.encoding, table.encoding_note) == ("gb18030", "encoding_uncertain")
    assert table.headers[: len(CHINESE_HEADERS)] == list(CHINESE_HEADERS)


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 8,
        b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 20,
        b"\x1c\x1d\x1e\x1f\x0b" * 200,
        "运单号,时间\n".encode() + b"\x00\x00\x01",
        b"\xff\xfe" + "运单号\x00,时间\n".encode("utf-16-le"),
    ],
)
def test_binary_junk_is_not_text(data):
    """Issue 11 item 10: binary junk named .csv is ``binary`` ("not a text,
    CSV or XLSX file"), never ``empty``."""
    assert error_of(read_table, data, "a.csv").code == "binary"


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=400))
def test_any_bytes_read_or_refused_with_a_code(data):
    """Any bytes: a table, or one of the file error codes."""
    try:
        table = read_table(data, "a.csv")
    except ImportFileError as error:
        assert error.code in FILE_ERROR_CODES
    else:
        assert table.rows


def test_error_xlsx_unavailable(monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import raises ImportError
    assert error_of(read_table, b"PK\x03\x04", "a.xlsx").code == "xlsx_unavailable"


def test_error_too_many_rows(monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    data = csv_bytes([["运单号"], ["SF1"], [""], ["SF2"], ["SF3"]])
    assert len(read_table(data, "a.csv").rows) == 4  # blank lines do not count
    error = error_of(read_table, data + b"SF4\r\n", "a.csv")
    assert (error.code, error.params) == ("too_many_rows", {"max": 3})
    # a preview reads only the beginning
    assert len(read_table(data + b"SF4\r\n", "a.csv", limit=2).rows) == 3


def test_error_too_many_rows_default():
    assert importer.MAX_ROWS == 100_000
    data = b"waybill\n" + b"SF1\n" * 100_001
    error = error_of(read_table, data, "a.csv")
    assert error.params == {"max": 100_000}


# ---------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------


def test_build_rows_default_courier():
    rows = [["SF1", "t", "1", "x"], ["", "  ", "", ""], [" SF2 ", "t", "1"]]
    mapping = {0: "waybill", 1: "time", 2: "status", 3: IGNORE}
    assert build_rows(rows, mapping, "SF") == [
        (2, {"waybill": "SF1", "time": "t", "status": "1", "courier": "SF"}),
        (4, {"waybill": "SF2", "time": "t", "status": "1", "courier": "SF"}),
    ]
    # a courier column wins over the default, even when a cell is empty
    mapping[3] = "courier"
    assert [row["courier"] for _line, row in build_rows(rows, mapping, "SF")] == [
        "x",
        "",
    ]
    assert build_rows(rows, {0: "waybill"}) == [
        (2, {"waybill": "SF1"}),
        (4, {"waybill": "SF2"}),
    ]


def test_build_rows_bad_mapping():
    with pytest.raises(ValueError):
        build_rows([["a"]], {0: "number"})
    with pytest.raises(ValueError):
        build_rows([["a", "b"]], {0: "waybill", 1: "waybill"})


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def test_report_round_trip():
    rejected = [
        (3, {"waybill": "SF3299150988269", "time": "明天", "status": "1"}, "时间无效"),
        (
            5,
            {"waybill": "SF1", "courier": "顺丰速运", "description": 'a, "b"\nc'},
            "The courier code is not valid.",
        ),
    ]
    report = rejected_report_csv(rejected)
    assert report.startswith(codecs.BOM_UTF8)
    table = read_table(report, "rejected_rows.csv")
    assert table.headers == [
        "line",
        "waybill",
        "courier",
        "time",
        "status",
        "description",
        "reason",
    ]
    assert table.rows == [
        ["3", "SF3299150988269", "", "明天", "1", "", "时间无效"],
        ["5", "SF1", "顺丰速运", "", "", 'a, "b"\nc', "The courier code is not valid."],
    ]
    # the field names are recognised headers: a corrected report imports again
    assert set(guess_mapping(table.headers).values()) == {
        "waybill",
        "courier",
        "time",
        "status",
        "description",
    }


def test_report_labels_and_formulas():
    report = rejected_report_csv(
        [
            (
                2,
                {
                    "waybill": '=HYPERLINK("http://x")',
                    "operator_phone": "+86 138-0013-8000",
                    "place": "@SUM(A1)",
                },
                "-bad",
            )
        ],
        labels={"line": "行号", "reason": "原因", "waybill": "运单号"},
    )
    rows = list(csv.reader(io.StringIO(report.decode("utf-8-sig"), newline="")))
    assert rows == [
        ["行号", "运单号", "place", "operator_phone", "原因"],
        ["2", '\'=HYPERLINK("http://x")', "'@SUM(A1)", "+86 138-0013-8000", "'-bad"],
    ]
    assert rejected_report_csv([]) == codecs.BOM_UTF8 + b"line,reason\r\n"


_CELL = st.text(
    alphabet=st.sampled_from(list("运单号顺丰已签收 abcXYZ0123456789,;\"'\n.:/")),
    max_size=12,
).filter(lambda text: text.strip() == text)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {"waybill": _CELL, "place": _CELL, "description": _CELL}
        ).filter(lambda row: any(row.values())),
        min_size=1,
        max_size=5,
    )
)
def test_report_round_trip_property(rows):
    """Whatever the text, the report reads back as written."""
    rejected = [(line, row, "原因") for line, row in enumerate(rows, start=2)]
    table = read_table(rejected_report_csv(rejected), "rejected_rows.csv")
    mapping = guess_mapping(table.headers)
    assert [(int(r[0]), r[-1]) for r in table.rows] == [
        (n, "原因") for n, _r, _ in rejected
    ]
    assert [row for _line, row in build_rows(table.rows, mapping)] == rows
