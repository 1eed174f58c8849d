# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Property tests of ``RowBatch``: the shortcuts of a batch change nothing
(R-WB-3).

``ingest`` normalises its rows and computes their dedup keys through a
``RowBatch``; every row must give exactly what ``normalize_row`` gives (the
same row, or the same rejection with the same parameters) and every key
exactly ``IngestRow.key_for`` (existing databases hold those keys).
"""

import hashlib
import json
import unicodedata
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_followup.core.events import (
    _CLEAN_NUMBER,
    IngestRow,
    RowBatch,
    TrackingError,
    _row_number,
    dedup_key,
    normalize_row,
    parse_event_time,
)
from logistics_followup.core.status import (
    DEFAULT_STATUS_MAP,
    KEYWORD_PRIORITY,
    StatusTable,
)
from logistics_followup.core.waybill import normalize_number

NOW = datetime(2026, 11, 11, 12, 0, 0)
TZ = "Asia/Shanghai"
SETTINGS = settings(max_examples=400, deadline=None)

_NUMBERS = (
    "SF3299150988269",
    "sf3299150988269",
    " SF3299150988269 ",
    "SF-3299-1509-88269",
    "ＳＦ３２９９１５０９８８２６９",
    "SF12",
    "A" * 32,
    "A" * 33,
    "SF_123456",
    "",
    "   ",
    "é12345678",
)
_COURIERS = ("SF", " sf ", "", "  ", "ZTO", "bad-code", "A" * 17, "ß")
_TIMES = (
    "2026-11-11T08:30:00+08:00",
    "2026-11-11T08:30:00-05:30",
    "2026-11-11T08:30:00Z",
    "2026-11-11T08:30:00z",
    "2026-11-11T08:30:00+24:00",
    "2026-11-11T08:30:00+08:60",
    "2026-11-11T08:30:00-00:00",
    "2026-02-30T08:30:00+08:00",
    "2026-11-11T25:30:00+08:00",
    "0001-01-01T00:30:00+08:00",
    "9999-12-31T23:30:00-08:00",
    "2026-11-12T20:00:00+08:00",
    "2026-11-12T20:00:01+08:00",
    "2026-11-13T08:30:00+08:00",
    " 2026-11-11T08:30:00+08:00 ",
    "2026-11-11 08:30:00",
    "2026-11-11T08:30:00.123456+08:00",
    "2026/11/11 08:30",
    "2026-11-11",
    "",
    " ",
    "yesterday",
    "２０２６-11-11T08:30:00+08:00",
    "1989-12-31T23:59:59Z",
    "1990-01-01T00:00:00Z",
    "1990-01-01T07:59:59+08:00",
    "1995-06-01T00:00:00+08:00",
    "1970-01-01 08:00:00",
    "2026-11-11\x00T08:30:00+08:00",
)
_TEXTS = (
    "",
    "  ",
    " 深圳转运中心 ",
    "深圳\u3000转运  中心",
    "ＦＵＬＬ　ｗｉｄｔｈ",
    'quote " and \\ backslash',
    "tab\tnew\nline\r",
    "e\u0301",
    "x" * 40,
    "x" * 200,
    "\x00",
    "NUL\x00inside",
    "\ud800",
    "lone \udfff surrogate",
)
_STATUSES = (
    *sorted({code for _source, code in DEFAULT_STATUS_MAP})[:40],
    *KEYWORD_PRIORITY[:20],
    "301",
    "0301",
    " delivered ",
    "DELIVERED",
    "【深圳转运中心】已发出",
    "已签收,签收人是:门卫",
    "nothing known",
    "",
    " ",
    "x" * 70,
)

_any_value = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False))


def _field(choices, text_size=12):
    return st.one_of(st.sampled_from(choices), st.text(max_size=text_size), _any_value)


@st.composite
def rows(draw):
    row = {}
    for name, values in (
        ("waybill", _field(_NUMBERS)),
        ("courier", _field(_COURIERS)),
        (
            "time",
            st.one_of(
                _field(_TIMES),
                st.datetimes(
                    min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1)
                ),
                st.datetimes(
                    min_value=datetime(2000, 1, 1),
                    max_value=datetime(2030, 1, 1),
                    timezones=st.just(timezone(timedelta(hours=-3))),
                ),
            ),
        ),
        ("status", _field(_STATUSES)),
        ("place", _field(_TEXTS, 140)),
        ("description", _field(_TEXTS)),
        ("operator", _field(_TEXTS)),
        ("operator_phone", _field(_TEXTS)),
    ):
        if draw(st.integers(0, 9)):  # mostly present
            row[name] = draw(values)
    if not draw(st.integers(0, 30)):
        row["unknown"] = "x"
    return row


def _valid_rows():
    """Rows that mostly pass, as a feed sends them."""
    return st.fixed_dictionaries(
        {
            "waybill": st.sampled_from(_NUMBERS[:5]),
            "courier": st.sampled_from(("SF", " sf ")),
            "time": st.sampled_from(_TIMES[:3]),
            "status": st.sampled_from(("0", "301", "已签收", "【深圳】派件中")),
        },
        optional={
            "place": st.one_of(st.sampled_from(_TEXTS[:8]), st.text(max_size=20)),
            "description": st.one_of(st.sampled_from(_TEXTS), st.text(max_size=20)),
            "operator": st.sampled_from(_TEXTS[:4]),
        },
    )


def _outcome(function, *args, **kwargs):
    try:
        return ("ok", function(*args, **kwargs))
    except TrackingError as error:
        return ("rejected", error.code, error.params)
    except Exception as error:  # the same failure either way
        return ("error", type(error))


def _check_batch(batch_rows, tz_name=TZ, now=NOW, mapping=None, earliest=None):
    table = StatusTable(mapping)
    batch = RowBatch(tz_name=tz_name, mapping=table, now=now, earliest=earliest)
    for row in batch_rows:
        slow = _outcome(
            normalize_row,
            row,
            tz_name=tz_name,
            mapping=table,
            now=now,
            earliest=earliest,
        )
        fast = _outcome(batch.normalize, row)
        assert fast == slow, row
        if slow[0] != "ok":
            continue
        result = fast[1]
        assert type(result) is IngestRow
        assert hash(result) == hash(slow[1])
        for courier in (None, "", "SF", " sf ", "ZTO"):
            assert _outcome(batch.key, result, courier) == _outcome(
                result.key_for, courier
            )


@SETTINGS
@given(st.lists(rows(), max_size=8))
def test_batch_normalizes_like_normalize_row(batch_rows):
    """R-WB-3: any row, valid or not, gives what normalize_row gives; the
    caches of the batch (repeated rows) change nothing."""
    _check_batch(batch_rows + batch_rows[:3])


@SETTINGS
@given(
    st.lists(rows(), max_size=8),
    st.sampled_from((None, datetime(1995, 5, 31, 16), datetime(2026, 11, 11))),
)
def test_batch_earliest_like_normalize_row(batch_rows, earliest):
    """Issue 11 item 9: the earliest plausible time (the setting) is applied
    by the batch's shortcuts exactly as by normalize_row."""
    _check_batch(batch_rows, earliest=earliest)


@SETTINGS
@given(st.lists(_valid_rows(), min_size=1, max_size=8))
def test_batch_keys_like_key_for(batch_rows):
    """R-WB-3: the dedup keys of the batch are the keys of key_for."""
    _check_batch(batch_rows + batch_rows[:3])


@settings(max_examples=100, deadline=None)
@given(st.lists(rows(), max_size=5))
def test_batch_unknown_timezone(batch_rows):
    """An unknown company timezone rejects the rows at the same check."""
    _check_batch(batch_rows, tz_name="Not/AZone")


@settings(max_examples=100, deadline=None)
@given(st.lists(_valid_rows(), min_size=1, max_size=5))
def test_batch_without_now(batch_rows):
    """Without ``now`` the current time decides the future check: a time far
    from it gives the same result either way."""
    table = StatusTable()
    batch = RowBatch(tz_name=TZ, mapping=table)
    future = (datetime.now(timezone.utc) + timedelta(days=3)).strftime(
        "%Y-%m-%dT%H:%M:%S+00:00"
    )
    for row in [*batch_rows, {**batch_rows[0], "time": future}]:
        assert _outcome(batch.normalize, row) == _outcome(
            normalize_row, row, tz_name=TZ, mapping=table
        )


def test_batch_key_of_other_rows():
    """Rows not built by normalize_row (aware or precise times, no texts)
    take the general path, with the same key."""
    batch = RowBatch(tz_name=TZ, now=NOW)
    for time in (
        datetime(2026, 11, 11, 8, 30, 0, 123456),
        datetime(2026, 11, 11, 8, 30, tzinfo=timezone(timedelta(hours=8))),
    ):
        row = IngestRow(
            number="sf 3299-1509-88269",
            courier_code=None,
            time=time,
            state="delivered",
            signed_by=None,
            status_raw="3",
            place=None,
            description=" a  b ",
            operator="",
            operator_phone="",
        )
        assert batch.key(row, " sf ") == row.key_for(" sf ")


def test_batch_row_is_a_dataclass_row():
    """The row a batch builds is an ordinary IngestRow: equal, same hash and
    repr, still frozen."""
    row = {
        "waybill": "SF3299150988269",
        "courier": "SF",
        "time": "2026-11-11T08:30:00+08:00",
        "status": "301",
        "place": " 深圳 ",
    }
    fast = RowBatch(tz_name=TZ, now=NOW).normalize(row)
    slow = normalize_row(row, tz_name=TZ, now=NOW)
    assert fast == slow
    assert repr(fast) == repr(slow)
    assert hash(fast) == hash(slow)
    try:
        fast.state = "lost"
    except AttributeError:
        pass
    else:
        raise AssertionError("the row must stay frozen")


# ---------------------------------------------------------------------------
# The shortcuts of a batch against the general functions
# ---------------------------------------------------------------------------
# normalize_row is a batch of one row (one normaliser), so the tests above
# prove the caches of a batch; these prove its shortcuts against the general
# path they skip.

_iso_times = st.builds(
    "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}{}".format,
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 25),
    st.integers(0, 60),
    st.integers(0, 60),
    st.one_of(
        st.just("Z"),
        st.builds(
            "{}{:02d}:{:02d}".format,
            st.sampled_from("+-"),
            st.integers(0, 25),
            st.integers(0, 61),
        ),
    ),
)


@SETTINGS
@given(
    st.one_of(st.sampled_from(_TIMES), _iso_times),
    st.sampled_from((None, NOW)),
    st.sampled_from((None, datetime(1995, 5, 31, 16))),
)
def test_batch_time_shortcut_like_parse_event_time(raw_time, now, earliest):
    """R-WB-3: the ISO-with-offset shortcut of a batch reads a time exactly
    as parse_event_time does (value or rejection)."""
    batch = RowBatch(tz_name=TZ, now=now, earliest=earliest)
    assert _outcome(batch._time, raw_time) == _outcome(
        parse_event_time, raw_time, TZ, now, earliest
    )


@SETTINGS
@given(st.one_of(st.sampled_from(_NUMBERS), st.text(alphabet="AZ09az-_ ", max_size=40)))
def test_clean_number_shortcut_like_validation(number):
    """A number the batch takes as it is is what the generic checks give."""
    if _CLEAN_NUMBER.fullmatch(number):
        assert _row_number(number) == number


@SETTINGS
@given(
    st.sampled_from(_NUMBERS[:5]),
    st.one_of(st.none(), st.sampled_from(_COURIERS)),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1)),
    st.sampled_from(("created", "delivered", "lost")),
    st.one_of(st.none(), st.sampled_from(_TEXTS), st.text(max_size=8)),
    st.one_of(st.none(), st.sampled_from(_TEXTS), st.text(max_size=8)),
)
def test_dedup_key_is_the_json_recipe(number, courier, time, state, place, desc):
    """The stored keys stay valid: the one key recipe is the SHA-1 of the
    JSON text json.dumps gives (what dedup_key always computed)."""

    def collapse(value):
        return " ".join(unicodedata.normalize("NFKC", value or "").split())

    def reference():
        text = json.dumps(
            [
                "v1",
                normalize_number(number),
                (courier or "").strip().upper(),
                time.replace(microsecond=0).isoformat(timespec="seconds"),
                state,
                collapse(place),
                collapse(desc),
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    assert _outcome(dedup_key, number, courier, time, state, place, desc) == (
        _outcome(reference)
    )
