# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Import preview: the one decoding of a file, courier names and aliases."""

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_followup.core import importer
from logistics_followup.core.importer import (
    ImportFileError,
    courier_index,
    decode,
    match_courier,
    read_table,
    split_aliases,
)

CSV_TEXT = (
    "运单号,快递公司,时间,地点,状态\r\n"
    "SF3299150988269,顺丰,2026-11-10 09:00:00,深圳宝安,已揽收\r\n"
    "SF3299150988269,顺丰速运,2026-11-10 21:00:00,深圳转运中心,运输中\r\n"
)


def code_of(function, *args):
    with pytest.raises(ImportFileError) as info:
        function(*args)
    return info.value.code


# ---------------------------------------------------------------------------
# decode
# ---------------------------------------------------------------------------


def test_decode_utf8():
    decoded = decode(CSV_TEXT.encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.note) == (CSV_TEXT, "utf-8", None)


def test_decode_utf8_bom():
    """Excel's "CSV UTF-8": the BOM is said and not part of the text."""
    decoded = decode(codecs.BOM_UTF8 + CSV_TEXT.encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.note) == (
        CSV_TEXT,
        "utf-8-sig",
        None,
    )


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "gb2312"])
def test_decode_gb18030(encoding):
    """What Chinese Excel saves: read as GB18030 (a superset of GBK and
    GB2312), never an ``encoding`` error."""
    decoded = decode(CSV_TEXT.encode(encoding))
    assert decoded.text == CSV_TEXT
    assert decoded.encoding == "gb18030"


def test_decode_gb18030_only_characters():
    """Characters GBK lacks (four-byte GB18030 sequences) are read too."""
    text = CSV_TEXT + "SF3299150988269,顺丰,2026-11-11 08:00:00,𠀾𡈽镇,派送中\r\n"
    data = text.encode("gb18030")
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    decoded = decode(data)
    assert (decoded.text, decoded.encoding) == (text, "gb18030")


def test_decode_gb18030_unsure_without_detector(monkeypatch):
    monkeypatch.setattr(importer, "_detect", lambda data: (None, 0.0))
    decoded = decode(CSV_TEXT.encode("gb18030"))
    assert (decoded.text, decoded.encoding, decoded.note) == (
        CSV_TEXT,
        "gb18030",
        "encoding_uncertain",
    )


def test_decode_utf16():
    decoded = decode(CSV_TEXT.encode("utf-16"))
    assert (decoded.text, decoded.encoding) == (CSV_TEXT, "utf-16")


def test_decode_empty():
    assert code_of(decode, b"") == "empty"


def test_decode_binary():
    assert code_of(decode, b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 20) == "binary"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (CSV_TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + CSV_TEXT.encode("utf-8"), "utf-8-sig"),
        (CSV_TEXT.encode("gb18030"), "gb18030"),
    ],
)
def test_table_keeps_the_decoding(data, encoding):
    """``read_table`` reads CSV through :func:`decode`, also for a preview
    (``limit``): both say the same encoding and give the same rows."""
    full = read_table(data, "scans.csv")
    preview = read_table(data, "scans.csv", limit=1)
    assert full.encoding == preview.encoding == encoding
    assert preview.rows == full.rows[:1]
    assert full.headers[:2] == ["运单号", "快递公司"]


def test_table_empty_after_bom():
    assert code_of(read_table, codecs.BOM_UTF8, "a.csv") == "empty"


@given(st.text(alphabet=st.characters(codec="gb18030", exclude_categories=["Cs"])))
def test_decode_round_trips_what_is_text(text):
    """Any UTF-8 text decodes to itself; GB18030 bytes decode without an
    error to a text (the same one unless they are valid UTF-8 too)."""
    text = text.replace("\x00", "")
    if not text:
        return
    try:
        decoded = decode(text.encode("utf-8"))
    except ImportFileError as error:
        assert error.code == "binary"
    else:
        assert decoded.text == text
        assert decoded.encoding == "utf-8"


# ---------------------------------------------------------------------------
# courier names
# ---------------------------------------------------------------------------

COURIERS = [
    (
        "SF",
        [
            "SF Express",
            "顺丰速运",
            "顺丰, 顺丰速运, 順豐, 順豐速運, 顺丰快递",
            "shunfeng",
        ],
    ),
    ("ZTO", ["ZTO Express", "中通, 中通快递, 中通快遞", "zhongtong"]),
    ("YTO", ["YTO Express", "圆通, 圆通速递, 圓通, 圓通速遞", "yuantong"]),
    ("EMS", ["EMS (China Post Express)", "邮政EMS, 郵政EMS", "ems"]),
]


def index_of(couriers):
    return courier_index(
        (code, [name for text in texts for name in split_aliases(text)])
        for code, texts in couriers
    )


def test_split_aliases():
    assert split_aliases("顺丰, 順豐；SF Express、顺丰\n 顺丰速运 ,,") == [
        "顺丰",
        "順豐",
        "SF Express",
        "顺丰速运",
    ]
    assert split_aliases("") == split_aliases(None) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("顺丰", "SF"),
        ("顺丰速运", "SF"),
        ("順豐", "SF"),
        ("順豐速運", "SF"),
        ("SF", "SF"),
        ("sf", "SF"),
        ("SF Express", "SF"),
        (" sf-express ", "SF"),
        ("ＳＦ　Ｅｘｐｒｅｓｓ", "SF"),
        ("shunfeng", "SF"),
        ("中通", "ZTO"),
        ("中通快递", "ZTO"),
        ("中通快遞", "ZTO"),
        ("ZTO", "ZTO"),
        ("圆通", "YTO"),
        ("圓通速遞", "YTO"),
        ("yto express", "YTO"),
        ("EMS", "EMS"),
        ("邮政EMS", "EMS"),
        ("EMS (China Post Express)", "EMS"),
    ],
)
def test_match_courier(text, code):
    assert match_courier(text, index_of(COURIERS)) == code


@pytest.mark.parametrize("text", ["", "  ", "韵达", "unknown courier", None])
def test_match_courier_unknown(text):
    assert match_courier(text, index_of(COURIERS)) is None


def test_shared_name_names_no_courier_but_codes_win():
    """A name two couriers share is refused rather than guessed; a code
    always names its own courier, even when it is another one's alias."""
    index = courier_index([("SF", ["快递", "JD"]), ("JD", ["快递", "京东"])])
    assert match_courier("快递", index) is None
    assert match_courier("JD", index) == "JD"
    assert match_courier("京东", index) == "JD"


@given(
    st.dictionaries(
        st.from_regex(r"[A-Z]{2,6}", fullmatch=True),
        st.lists(st.text(min_size=1, max_size=8), max_size=4),
        max_size=6,
    ),
    st.text(max_size=10),
)
def test_match_courier_is_one_of_the_codes_and_unambiguous(couriers, text):
    index = courier_index(couriers.items())
    found = match_courier(text, index)
    if found is None:
        return
    assert found in couriers
    key = importer.text_key(text)
    owners = {
        code
        for code, names in couriers.items()
        if key in {importer.text_key(name) for name in names}
    }
    by_code = {code for code in couriers if importer.text_key(code) == key}
    # a code names its courier; otherwise exactly one courier has the name
    assert found in by_code or owners == {found}
