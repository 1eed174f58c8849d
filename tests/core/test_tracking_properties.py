# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Property tests of the derived tracking state (R-WB-3).

R-WB-3: events arrive out of order and duplicated from several sources
(manual entry, file import, carrier push, carrier pull); the timeline and the
current status must be the same whatever the arrival order, and a replayed
feed must add nothing. Times are drawn from a few minutes only, so that ties
on the timestamp (and on the state) are frequent and the tie-breaks of
``event_order_key`` are exercised.
"""

from datetime import datetime, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from logistics_followup.core.events import (
    dedup_key,
    event_order_key,
)
from logistics_followup.core.state import (
    derive_state,
)
from logistics_followup.core.status import (
    DEFAULT_STATUS_MAP,
    KEYWORD_PRIORITY,
    SIGNED_BY,
    STATE_RANK,
    STATES,
    StatusTable,
    resolve_status,
)

BASE = datetime(2026, 11, 11, 0, 0)
NUMBER = "SF3299150988269"

SETTINGS = settings(max_examples=150, deadline=None)


@st.composite
def events(draw):
    state = draw(st.sampled_from(STATES))
    signed_by = draw(st.sampled_from((None, *SIGNED_BY)))
    time = BASE + timedelta(minutes=draw(st.integers(0, 5)))
    place = draw(st.sampled_from(("", "深圳转运中心", "福田网点", "Hub")))
    description = draw(st.sampled_from(("", "已发出", "派件中", "已签收")))
    return {
        "time": time,
        "state": state,
        "place": place,
        "signed_by": signed_by,
        "dedup_key": dedup_key(NUMBER, "SF", time, state, place, description),
    }


event_lists = st.lists(events(), min_size=1, max_size=12)


def _sorted(items):
    """The events in ``derive_state``'s order: the key triple, then, for two
    rows of one key (one event stored once), ``signed_by`` and ``place``."""
    return sorted(
        items,
        key=lambda e: (event_order_key(e), e["signed_by"] or "", e["place"] or ""),
    )


@SETTINGS
@given(event_lists, st.randoms(use_true_random=False))
def test_any_permutation_gives_the_same_state(items, rnd):
    """R-WB-3: the current status does not depend on arrival order."""
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert derive_state(shuffled) == derive_state(_sorted(items))
    assert derive_state(items[::-1]) == derive_state(_sorted(items))


@SETTINGS
@given(event_lists, st.data())
def test_duplicate_changes_nothing(items, data):
    """R-WB-3: a replayed event (same facts, same key) adds nothing."""
    duplicate = dict(data.draw(st.sampled_from(items)))
    position = data.draw(st.integers(0, len(items)))
    replayed = [*items[:position], duplicate, *items[position:]]
    assert derive_state(replayed) == derive_state(items)
    assert derive_state([*items, *items]) == derive_state(items)


@SETTINGS
@given(event_lists, events(), st.integers(1, 10_000))
def test_older_event_never_moves_state_backwards(items, late, minutes_before):
    """R-WB-3: an event older than all others, arriving late, never changes
    the current state (nor who signed, nor the last event's time and place)."""
    oldest = min(event["time"] for event in items)
    late = {**late, "time": oldest - timedelta(minutes=minutes_before)}
    before = derive_state(items)
    after = derive_state([*items, late])
    assert after.state == before.state
    assert after.signed_by == before.signed_by
    assert after.last_event_time == before.last_event_time
    assert after.last_event_place == before.last_event_place
    if late["state"] != "created":
        assert after.first_scan_time == late["time"]
    else:
        assert after.first_scan_time == before.first_scan_time


@SETTINGS
@given(event_lists)
def test_state_is_the_greatest_event(items):
    """The state is that of the maximum of (time, state rank, dedup_key), the
    order the Odoo layer uses in SQL (R-WB-3)."""
    last = _sorted(items)[-1]
    result = derive_state(items)
    assert result.state == last["state"]
    assert result.last_event_time == max(event["time"] for event in items)
    same_time = [e for e in items if e["time"] == result.last_event_time]
    assert STATE_RANK[result.state] == max(STATE_RANK[e["state"]] for e in same_time)
    expected_signed = last["signed_by"] if last["state"] == "delivered" else None
    assert result.signed_by == expected_signed
    scans = [e["time"] for e in items if e["state"] != "created"]
    assert result.first_scan_time == (min(scans) if scans else None)


@SETTINGS
@given(events(), st.sampled_from(STATES))
def test_dedup_key_separates_states(event, other_state):
    """Two events differing only in state never share a key (R-WB-3: a
    replay adds nothing, but deduplication must not merge different events)."""
    assume(other_state != event["state"])
    time, place = event["time"], event["place"]
    other = dedup_key(NUMBER, "SF", time, other_state, place, "")
    same = dedup_key(NUMBER, "SF", time, event["state"], place, "")
    assert other != same


# ---------------------------------------------------------------------------
# StatusTable: the mapping prepared once per batch resolves like the mapping
# ---------------------------------------------------------------------------

_STATUS_CODES = sorted(code for _source, code in DEFAULT_STATUS_MAP)
_FILLER = (
    "",
    " ",
    "快件",
    "【深圳转运中心】",
    "，",
    "本人",
    "门卫",
    "代收点",
    "0",
    "x",
)


@st.composite
def statuses(draw):
    """Status texts near the vocabulary: codes in any case, keywords inside
    trace texts, unknown words, digits with leading zeros."""
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(_STATUS_CODES),
                st.sampled_from(KEYWORD_PRIORITY),
                st.sampled_from(_FILLER),
                st.text(max_size=3),
            ),
            min_size=1,
            max_size=4,
        )
    )
    text = "".join(parts)
    return draw(st.sampled_from((text, text.upper(), text.lower(), f" 0{text}")))


@st.composite
def mappings(draw):
    """The default map, some entries dropped, overridden or added (extra
    words, codes differing only in case)."""
    mapping = dict(DEFAULT_STATUS_MAP)
    for key in draw(st.lists(st.sampled_from(sorted(mapping)), max_size=20)):
        mapping.pop(key, None)
    values = st.tuples(st.sampled_from(STATES), st.sampled_from((None, *SIGNED_BY)))
    extra = st.tuples(
        st.sampled_from(("state", "kuaidi100", "aftership", "word")),
        st.one_of(
            st.sampled_from(("海关", "海关扣留", "DELIVERED", "intransit", "200")),
            st.text(min_size=1, max_size=4),
        ),
    )
    for key, value in draw(st.lists(st.tuples(extra, values), max_size=6)):
        mapping[key] = value
    return mapping


@settings(max_examples=300, deadline=None)
@given(statuses(), st.one_of(st.none(), mappings()))
def test_status_table_resolves_like_the_mapping(status, mapping):
    """R-WB-3: ``ingest`` builds a StatusTable once per batch; the result of
    every status is the one of the mapping itself."""
    table = StatusTable(mapping)
    assert resolve_status(status, table) == resolve_status(status, mapping)
