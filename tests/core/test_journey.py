# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The journey (progress line) of a waybill from its state and events
(issue 15, item 9; R-WB-3: independent of the arrival order)."""

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from logistics_followup.core.journey import MARKERS, STEPS, journey
from logistics_followup.core.state import derive_state
from logistics_followup.core.status import STATES

T0 = datetime(2026, 11, 10, 8, 0)


def event(hours, state, place=None):
    return {
        "time": T0 + timedelta(hours=hours),
        "state": state,
        "place": place,
        "dedup_key": f"{hours:04d}{state}",
    }


def statuses(result):
    return [step.status for step in result.steps]


def test_every_state_is_a_step_a_marker_or_created():
    assert set(STEPS) | set(MARKERS) | {"created"} == set(STATES)


def test_nothing_reached_before_pickup():
    result = journey("created", [])
    assert result.current is None
    assert result.marker is None
    assert statuses(result) == ["todo"] * 5


def test_in_transit_counts_hubs_and_shows_the_last_one():
    events = [
        event(0, "picked_up", "上海浦东网点"),
        event(5, "in_transit", "上海转运中心"),
        event(20, "in_transit", "北京转运中心"),
        event(22, "in_transit", "北京转运中心"),
    ]
    result = journey("in_transit", events)
    assert result.current == "in_transit"
    assert statuses(result) == ["done", "current", "todo", "todo", "todo"]
    hubs = result.steps[1]
    assert hubs.places == 2
    assert hubs.place == "北京转运中心"
    assert hubs.time == T0 + timedelta(hours=5)
    assert result.steps[0].place == "上海浦东网点"
    assert result.steps[2].time is None


def test_delivered_without_station_scan_went_through_the_station():
    events = [event(0, "picked_up"), event(30, "delivered", "北京海淀网点")]
    result = journey("delivered", events)
    assert statuses(result) == ["done", "done", "done", "done", "current"]
    assert result.steps[2].time is None  # no scan, but done


def test_exception_marks_the_step_reached():
    events = [
        event(0, "picked_up"),
        event(5, "in_transit"),
        event(20, "at_station"),
        event(21, "out_for_delivery"),
        event(25, "exception", "北京海淀网点"),
    ]
    result = journey("exception", events)
    assert result.current == "out_for_delivery"
    assert result.marker == "exception"
    assert statuses(result) == ["done", "done", "done", "current", "todo"]


def test_back_at_the_station_after_a_failed_delivery():
    """The latest step scan counts, not the furthest one."""
    events = [
        event(0, "picked_up"),
        event(21, "out_for_delivery"),
        event(25, "exception"),
        event(26, "at_station"),
    ]
    assert journey("at_station", events).current == "at_station"
    assert journey("exception", events[:3]).current == "out_for_delivery"


def test_return_and_loss_are_markers():
    events = [event(0, "picked_up"), event(5, "in_transit"), event(40, "returning")]
    result = journey("returning", events)
    assert (result.current, result.marker) == ("in_transit", "returning")
    assert journey("lost", []).current is None
    assert journey("lost", []).marker == "lost"


# --- properties -----------------------------------------------------------

events_strategy = st.lists(
    st.builds(
        event,
        st.integers(min_value=0, max_value=200),
        st.sampled_from([s for s in STATES if s != "created"]),
        st.sampled_from([None, "A", "B", "C"]),
    ),
    max_size=12,
    unique_by=lambda e: e["dedup_key"],
)


@given(events_strategy, st.randoms())
def test_arrival_order_changes_nothing(events, rnd):
    derived = derive_state(events)
    state = derived.state if derived else "created"
    shuffled = list(events)
    rnd.shuffle(shuffled)
    assert journey(state, shuffled) == journey(state, events)


@given(events_strategy)
def test_line_is_done_then_current_then_todo(events):
    derived = derive_state(events)
    state = derived.state if derived else "created"
    result = journey(state, events)
    labels = statuses(result)
    if result.current is None:
        assert labels == ["todo"] * 5
    else:
        index = STEPS.index(result.current)
        assert labels == ["done"] * index + ["current"] + ["todo"] * (4 - index)
    if state in STEPS:
        # the current step is the waybill's state (derive_state's)
        assert result.current == state and result.marker is None
    else:
        assert result.marker == (state if state in MARKERS else None)
    for step in result.steps:
        if step.status == "todo":
            assert (step.time, step.place, step.places) == (None, None, 0)
