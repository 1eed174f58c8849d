# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-PP-1 delivery-round reports and R-PP-2 delivery-area matching."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_followup.core import delivery
from logistics_followup.core.delivery import Area, ReportLine

END = datetime(2026, 11, 11, 15, 30)
DAY = date(2026, 11, 11)

# ------------------------------------------------------------------ deadline


def test_deadline_after_end_default():
    """R-PP-1: by default the report is due 2 hours after the round ended."""
    assert delivery.report_deadline(END) == END + timedelta(hours=2)
    assert delivery.report_deadline(END, "after_end", 0.5) == END + timedelta(
        minutes=30
    )
    assert delivery.report_deadline(END, "after_end", -3) == END


@pytest.mark.parametrize(
    ("end", "cutoff", "expected"),
    [
        (END, 20.0, datetime(2026, 11, 11, 20, 0)),
        (END, 15.5, datetime(2026, 11, 11, 15, 30)),
        (END, 12.0, datetime(2026, 11, 12, 12, 0)),
        (END, 0.0, datetime(2026, 11, 12, 0, 0)),
        (END, 24.0, datetime(2026, 11, 11, 23, 59)),
        (END, 18.25, datetime(2026, 11, 11, 18, 15)),
    ],
)
def test_deadline_cutoff(end, cutoff, expected):
    """R-PP-1: 'by HH:MM' on the round's day, else the next day's cut-off."""
    assert delivery.report_deadline(end, "cutoff", cutoff_hour=cutoff) == expected


def test_deadline_unknown_mode():
    with pytest.raises(ValueError):
        delivery.report_deadline(END, "weekly")


@given(
    end=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    cutoff=st.floats(min_value=0, max_value=23.98, allow_nan=False),
)
def test_cutoff_deadline_is_within_a_day_after_the_end(end, cutoff):
    deadline = delivery.report_deadline(end, "cutoff", cutoff_hour=cutoff)
    assert end <= deadline < end + timedelta(days=1)


@given(
    end=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    hours=st.floats(min_value=0, max_value=72, allow_nan=False),
)
def test_after_end_deadline_grows_with_hours(end, hours):
    deadline = delivery.report_deadline(end, "after_end", hours)
    assert deadline >= end
    assert delivery.report_deadline(end, "after_end", hours + 1) > deadline


def test_is_late():
    """R-PP-1: filed after the deadline is late; filed at it is on time; a
    report not filed yet is late once the deadline passed."""
    deadline = END + timedelta(hours=2)
    assert not delivery.is_late(deadline, deadline)
    assert delivery.is_late(deadline, deadline + timedelta(seconds=1))
    assert not delivery.is_late(deadline, END)
    assert not delivery.is_late(deadline, None, deadline)
    assert delivery.is_late(deadline, None, deadline + timedelta(minutes=1))
    assert not delivery.is_late(deadline, None, None)
    assert not delivery.is_late(None, deadline + timedelta(days=9))


@given(
    deadline=st.datetimes(),
    submitted=st.datetimes(),
    now=st.datetimes(),
)
def test_submitted_lateness_ignores_now(deadline, submitted, now):
    """Once filed, lateness is fixed: the clock does not change it."""
    assert delivery.is_late(deadline, submitted, now) == (submitted > deadline)


# -------------------------------------------------------------- line checks

COMPLETE = ReportLine(
    reason="nobody_home",
    signed=True,
    signed_at=END,
    disposition="next_round",
    storage_place="A-03",
)


def test_complete_line_passes():
    assert delivery.check_line(COMPLETE, DAY) == []


def test_empty_line_lists_every_fault_in_order():
    assert delivery.check_line(ReportLine()) == [
        "missing_reason",
        "not_signed",
        "missing_disposition",
        "missing_storage_place",
    ]


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({"reason": "other"}, ["missing_note"]),
        ({"reason": "other", "note": "  "}, ["missing_note"]),
        ({"reason": "other", "note": "dog at the door"}, []),
        ({"reason": "bogus"}, ["missing_reason"]),
        ({"signed": False}, ["not_signed"]),
        ({"signed_at": None}, ["missing_sign_time"]),
        ({"disposition": "another_day"}, ["missing_appointment"]),
        (
            {"disposition": "another_day", "appointment_date": DAY},
            ["appointment_too_early"],
        ),
        (
            {"disposition": "another_day", "appointment_date": DAY + timedelta(1)},
            [],
        ),
        ({"disposition": "return"}, []),
        ({"disposition": "hold"}, []),
        ({"storage_place": " "}, ["missing_storage_place"]),
    ],
)
def test_line_faults(changes, codes):
    """R-PP-1: reason, sign-off, disposition (appointment for another day)
    and storage place are all needed to submit."""
    values = dict(COMPLETE.__dict__, **changes)
    assert delivery.check_line(ReportLine(**values), DAY) == codes


def test_check_report_keeps_only_faulty_lines():
    faults = delivery.check_report(
        {"a": COMPLETE, "b": ReportLine(reason="refused"), "c": COMPLETE}, DAY
    )
    assert list(faults) == ["b"]
    assert "not_signed" in faults["b"]


def test_latest_line():
    lines = [
        (datetime(2026, 1, 2), 5, 9, "second"),
        (datetime(2026, 1, 1), 7, 10, "first"),
        (datetime(2026, 1, 2), 6, 1, "third"),
    ]
    assert delivery.latest_line(lines) == "third"
    assert delivery.latest_line(reversed(lines)) == "third"
    assert delivery.latest_line([]) is None


# ------------------------------------------------------------ area matching

STREET = Area(1, ("张江路",), province="上海市")
PARK = Area(2, ("张江路50号", "张江高科技园区"), province="上海市")
SCHOOL = Area(3, ("复旦大学",), city="上海市", district="杨浦区")
BEIJING = Area(4, ("建国路",), province="北京市")
ANY_JIANGUO = Area(5, ("建国路",))
AREAS = (STREET, PARK, SCHOOL, BEIJING, ANY_JIANGUO)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("上海市浦东新区张江路50号9栋3单元301室", 2),
        ("上海市浦东新区张江路187号8栋1单元404室", 1),
        ("上海浦东张江路187号", 1),
        ("上海市 浦东新区 张江高科技园区 3号楼", 2),
        ("上海市杨浦区邯郸路220号复旦大学", 3),
        ("上海市徐汇区复旦大学附属中山医院", None),
        ("北京市朝阳区建国路61号9栋2单元603室", 4),
        ("广州市天河区建国路1号", 5),
        ("江苏省南京市张江路1号", None),
        ("", None),
        (None, None),
    ],
)
def test_match_area(address, expected):
    """R-PP-2: the longest keyword wins, places narrow the candidates, equal
    keywords go to the area naming more places."""
    assert delivery.match_area(address, AREAS) == expected


def test_match_is_normalised():
    area = Area(1, ("Tower B", "ＳＯＨＯ"))
    assert delivery.match_area("建国路 soho tower b", [area]) == 1


def test_parse_keywords():
    assert delivery.parse_keywords("张江路\n 张江路 \n\n张江高科，Tower B;x") == (
        "张江路",
        "张江高科",
        "towerb",
        "x",
    )
    assert delivery.parse_keywords(False) == ()


def test_match_area_of_addresses():
    addresses = {10: "上海市浦东新区张江路50号", 11: "nowhere"}
    result = {key: delivery.match_area(text, AREAS) for key, text in addresses.items()}
    assert result == {10: 2, 11: None}


@given(
    st.permutations(AREAS),
    st.sampled_from(
        [
            "上海市浦东新区张江路50号",
            "上海市浦东新区张江路1号",
            "北京市朝阳区建国路61号",
            "广州建国路",
        ]
    ),
)
def test_match_does_not_depend_on_area_order(areas, address):
    assert delivery.match_area(address, areas) == delivery.match_area(address, AREAS)


@given(
    st.lists(
        st.tuples(
            st.integers(1, 50), st.text("张江路号高科园区ab", min_size=1, max_size=6)
        ),
        max_size=8,
    ),
    st.text("张江路号高科园区ab12", max_size=20),
)
def test_match_tie_goes_to_lowest_id(specs, address):
    """Deterministic on ties: same keyword length -> the lowest id."""
    areas = [Area(i, (k,)) for i, k in specs]
    found = delivery.match_area(address, areas)
    hits = [
        (len(delivery.normalize(k)), -i)
        for i, k in specs
        if delivery.normalize(k) in delivery.normalize(address)
    ]
    if not hits:
        assert found is None
    else:
        best_len = max(h[0] for h in hits)
        # several areas may share an id here: the id is what counts
        assert found == -max(h for h in hits if h[0] == best_len)[1]
