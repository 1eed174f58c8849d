# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-PP-11: the station directory: matching a waybill's places to a
station, parsing a station file."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_followup.core import importer, station
from logistics_followup.core.station import Contact, StationIndex, StationRef

SF, ZTO = 1, 2
NANSHAN = StationRef(10, SF, "SZ-NS01", "深圳南山科技园网点")
FUTIAN = StationRef(11, ZTO, "SZ-FT02", "深圳福田华强北网点")
TIANHE = StationRef(12, SF, "GZ-TH01", "广州天河体育中心网点")
# the same name at two couriers
ZTO_TIANHE = StationRef(13, ZTO, "GZ-TH09", "广州天河体育中心网点")
INDEX = StationIndex([NANSHAN, FUTIAN, TIANHE, ZTO_TIANHE])

COURIERS = {
    importer.text_key(text): code
    for text, code in (
        ("SF", "SF"),
        ("顺丰", "SF"),
        ("顺丰速运", "SF"),
        ("ZTO", "ZTO"),
        ("中通", "ZTO"),
    )
}


# ---------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("text", "courier", "expected"),
    [
        ("深圳南山科技园网点", SF, NANSHAN.id),  # the name
        ("SZ-NS01", SF, NANSHAN.id),  # the code
        ("szns01", SF, NANSHAN.id),  # the code, loosely written
        ("【深圳南山科技园网点】", SF, NANSHAN.id),  # a scan's bracketed place
        ("深圳南山科技園網點", SF, NANSHAN.id),  # traditional characters
        ("深圳 南山 科技园 网点", SF, NANSHAN.id),  # spaces
        ("快件已到达深圳南山科技园网点，派件员：张三", SF, NANSHAN.id),  # inside
        ("深圳南山科技园网点", ZTO, NANSHAN.id),  # another courier's station
        ("深圳南山科技园网点", None, NANSHAN.id),  # no courier known
        ("广州天河体育中心网点", SF, TIANHE.id),  # same courier first
        ("广州天河体育中心网点", ZTO, ZTO_TIANHE.id),
        ("广州天河体育中心网点", None, None),  # two stations, no guess
        ("广州天河体育中心网点", 99, None),  # neither courier's: ambiguous
        ("深圳转运中心", SF, None),  # a hub, not a station
        ("", SF, None),
        (None, SF, None),
        ("南山", SF, None),  # too short to name a station
    ],
)
def test_match(text, courier, expected):
    assert INDEX.match(text, courier) == expected


def test_match_first_prefers_the_delivering_station():
    assert INDEX.match_first(("SZ-FT02", "深圳南山科技园网点"), SF) == FUTIAN.id
    assert INDEX.match_first(("杭州西湖网点", "深圳南山科技园网点"), SF) == NANSHAN.id
    assert INDEX.match_first((None, "上海转运中心"), SF) is None


def test_longest_contained_name_wins():
    short = StationRef(20, SF, "", "南山科技园网点")
    index = StationIndex([short, NANSHAN])
    assert index.match("到达深圳南山科技园网点", SF) == NANSHAN.id
    assert index.match("到达南山科技园网点", SF) == short.id


def test_a_code_beats_a_name():
    named_like_code = StationRef(30, SF, "", "SZ-NS01")
    index = StationIndex([named_like_code, StationRef(31, SF, "SZ-NS01", "别的网点")])
    # same rank for both (code of one, name of the other): the code rank comes
    # first
    assert index.match("SZ-NS01", SF) == 31


@given(st.permutations([NANSHAN, FUTIAN, TIANHE, ZTO_TIANHE]))
def test_order_of_the_directory_does_not_matter(stations):
    index = StationIndex(stations)
    for text, courier in (
        ("深圳南山科技园网点", SF),
        ("广州天河体育中心网点", SF),
        ("广州天河体育中心网点", None),
        ("快件到达深圳福田华强北网点", ZTO),
    ):
        assert index.match(text, courier) == INDEX.match(text, courier)


@given(st.text(max_size=40), st.sampled_from([SF, ZTO, None, 7]))
def test_match_gives_a_station_of_the_index_or_none(text, courier):
    result = INDEX.match(text, courier)
    assert result in (None, NANSHAN.id, FUTIAN.id, TIANHE.id, ZTO_TIANHE.id)


def test_keys():
    assert station.normalize_code(" sz-ns01 ") == "SZ-NS01"
    assert station.normalize_code("ＳＺ－ＮＳ０１") == "SZ-NS01"
    assert station.code_key("SZ-NS01") == station.code_key("sz ns 01")
    assert station.name_key("深圳 網點") == station.name_key("深圳网点")
    assert station.province_key("广东省") == station.province_key("廣東")
    assert station.province_key("广西壮族自治区") == station.province_key("广西")
    assert station.province_key("上海市") == "上海"


# ------------------------------------------------------- hours, phones, people


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:00-21:00", "08:00-21:00"),
        ("8:00-21:00", "08:00-21:00"),
        ("8:30~20:30", "08:30-20:30"),
        ("８：３０－２０：３０", "08:30-20:30"),  # full width
        ("8.30至20.30", "08:30-20:30"),
        ("8-21", "08:00-21:00"),
        ("08:00-12:00, 13:30-18:00", "08:00-12:00, 13:30-18:00"),
        (
            "周一至周五 9:00-18:00；周六 10:00-16:00",
            "周一至周五 09:00-18:00, 周六 10:00-16:00",
        ),
        ("周六 10:00-16:00", "周六 10:00-16:00"),
        ("22:00-06:00", "22:00-06:00"),  # a night shift
        ("全天", "00:00-24:00"),
        ("24小时", "00:00-24:00"),
        ("", ""),
        ("   ", ""),
        ("08:00-08:00", None),
        ("25:00-26:00", None),
        ("08:61-21:00", None),
        ("24:00-08:00", None),
        ("always open", None),
        ("08:00", None),
    ],
)
def test_parse_hours(text, expected):
    assert station.parse_hours(text) == expected


@given(
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 23),
    st.integers(0, 59),
)
def test_parse_hours_normalises_any_valid_range(h1, m1, h2, m2):
    text = f"{h1}:{m1:02d}-{h2}:{m2:02d}"
    result = station.parse_hours(text)
    if (h1, m1) == (h2, m2):
        assert result is None
    else:
        assert result == f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}"
        assert station.parse_hours(result) == result  # idempotent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0755-26001234", ("0755-26001234",)),
        ("0755-26001234 / 0755-26001235", ("0755-26001234", "0755-26001235")),
        ("0755-26001234，13800138000", ("0755-26001234", "13800138000")),
        ("+86 755 2600 1234", ("+86 755 2600 1234",)),
        ("(0755) 2600-1234", ("(0755) 2600-1234",)),
        ("0755-26001234转8001", ("0755-26001234转8001",)),
        ("0755-26001234, 0755-26001234", ("0755-26001234",)),
        ("", ()),
        ("call me", None),
        ("123", None),
        ("0755-26001234, abc", None),
    ],
)
def test_parse_phones(text, expected):
    assert station.parse_phones(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张三 13800138000", (Contact("张三", "13800138000"),)),
        ("张三(站长) 13800138000", (Contact("张三", "13800138000", "站长"),)),
        (
            "张三 13800138000; 李四/0755-26001234",
            (Contact("张三", "13800138000"), Contact("李四", "0755-26001234")),
        ),
        ("王五", (Contact("王五"),)),
        ("Li Lei: +86 139 0013 9000", (Contact("Li Lei", "+86 139 0013 9000"),)),
        ("", ()),
        ("13800138000", None),  # a phone without a name
        ("张三 12", None),  # digits in the name: not a phone
    ],
)
def test_parse_contacts(text, expected):
    assert station.parse_contacts(text) == expected


# ------------------------------------------------------------------ import


HEADERS = [
    "网点名称",
    "网点编码",
    "快递公司",
    "城市",
    "区县",
    "电话",
    "联系人",
    "营业时间",
]


def test_guess_mapping_chinese_and_english():
    assert station.guess_mapping(HEADERS) == {
        0: "name",
        1: "code",
        2: "courier",
        3: "city",
        4: "district",
        5: "phone",
        6: "contacts",
        7: "hours",
    }
    traditional = ["網點名稱", "網點編碼", "快遞公司", "城市", "區縣", "電話", "聯絡人"]
    assert list(station.guess_mapping(traditional).values()) == [
        "name",
        "code",
        "courier",
        "city",
        "district",
        "phone",
        "contacts",
    ]
    english = ["Station Name", "Code", "Courier", "City", "Phone", "Opening Hours"]
    assert list(station.guess_mapping(english).values()) == [
        "name",
        "code",
        "courier",
        "city",
        "phone",
        "hours",
    ]


def parse(rows, default=None, headers=HEADERS):
    return station.parse_rows(
        rows, station.guess_mapping(headers), COURIERS, default_courier=default
    )


def test_parse_rows_good_and_bad_lines():
    rows = [
        [
            "深圳南山科技园网点",
            "sz-ns01",
            "顺丰",
            "深圳市",
            "南山区",
            "0755-26001234",
            "陈建国(站长) 13800001001",
            "8:00-21:00",
        ],
        [],  # blank: skipped, line numbers kept
        ["", "X1", "SF", "", "", "", "", ""],  # no name
        ["某网点", "X2", "韵达", "", "", "", "", ""],  # unknown courier
        ["某网点", "X3", "SF", "", "", "call", "", ""],  # bad phone
        ["某网点", "X4", "SF", "", "", "", "", "never"],  # bad hours
        ["某网点", "X 5!", "SF", "", "", "", "", ""],  # bad code
        ["深圳南山科技园网点", "SZ-NS01", "SF", "", "", "", "", ""],  # twice
        ["深圳福田华强北网点", "SZ-FT02", "中通", "深圳市", "福田区", "", "", ""],
        ["无编码网点", "", "", "", "", "", "", ""],  # default courier
    ]
    stations, rejected = parse(rows, default="ZTO")
    assert [s.line for s in stations] == [2, 10, 11]
    first = stations[0]
    assert (first.name, first.code, first.courier, first.hours) == (
        "深圳南山科技园网点",
        "SZ-NS01",
        "SF",
        "08:00-21:00",
    )
    assert first.contacts == (Contact("陈建国", "13800001001", "站长"),)
    assert first.phones == ("0755-26001234",)
    assert stations[2].courier == "ZTO"
    assert [(r.line, r.code) for r in rejected] == [
        (4, "name_missing"),
        (5, "courier_unknown"),
        (6, "phone_invalid"),
        (7, "hours_invalid"),
        (8, "code_invalid"),
        (9, "duplicate"),
    ]
    assert rejected[-1].params == {"line": 2}
    assert rejected[1].params == {"value": "韵达"}
    # nothing lost: every non-blank line is a station or a rejection
    assert len(stations) + len(rejected) == 9


def test_parse_rows_without_courier():
    stations, rejected = parse([["某网点", "", "", "", "", "", "", ""]])
    assert not stations
    assert rejected[0].code == "courier_missing"


def test_parse_rows_unstorable_and_too_long():
    stations, rejected = parse(
        [
            ["网点\x00", "", "SF"],
            ["长" * 200, "", "SF"],
        ]
    )
    assert not stations
    assert [r.code for r in rejected] == ["unstorable", "too_long"]
    assert rejected[1].params == {"field": "name", "max": 128}


def test_same_name_without_code_is_a_duplicate_per_courier():
    stations, rejected = parse(
        [
            ["某网点", "", "SF"],
            ["某网点", "", "ZTO"],  # another courier: another station
            ["某網點", "", "SF"],  # the same, in traditional characters
        ]
    )
    assert [s.courier for s in stations] == ["SF", "ZTO"]
    assert [(r.line, r.code) for r in rejected] == [(4, "duplicate")]


def test_parse_rows_refuses_unknown_fields():
    with pytest.raises(ValueError, match="unknown field"):
        station.parse_rows([["a"]], {0: "waybill"}, COURIERS)
    with pytest.raises(ValueError, match="mapped twice"):
        station.parse_rows([["a", "b"]], {0: "name", 1: "name"}, COURIERS)


def test_read_table_finds_the_header_of_a_station_file():
    """A title line above the header; the header has no tracking column."""
    data = (
        "深圳地区网点通讯录\n"
        "网点名称,网点编码,城市,电话\n"
        "深圳南山科技园网点,SZ-NS01,深圳市,0755-26001234\n"
    ).encode("gb18030")
    table = importer.read_table(data, "stations.csv", aliases=station.ALIAS_INDEX)
    assert table.headers == ["网点名称", "网点编码", "城市", "电话"]
    assert table.first_line == 3
    # the tracking import's header detection is unchanged
    assert importer.read_table(data, "stations.csv").first_line == 2


def test_rejected_report_with_station_fields():
    report = importer.rejected_report_csv(
        [(4, {"name": "", "code": "X1"}, "The station name is missing.")],
        labels={"line": "行", "reason": "原因", "name": "网点名称", "code": "网点编码"},
        fields=station.FIELDS,
    )
    text = report.decode("utf-8-sig").splitlines()
    assert text[0] == "行,网点名称,网点编码,原因"
    assert text[1] == "4,,X1,The station name is missing."
