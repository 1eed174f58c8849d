# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Role-based landing: a user's home action follows his role, never over
his own choice."""

from hypothesis import given
from hypothesis import strategies as st

from logistics_followup.core import navigation

DEFAULTS = {"supervisor": "dash", "agent": "queue", "receipt_clerk": "receipts"}


def test_each_role_lands_on_its_screen():
    land = navigation.landing_action
    assert land(["agent"], None, DEFAULTS) == "queue"
    assert land(["receipt_clerk"], None, DEFAULTS) == "receipts"
    assert land(["supervisor", "agent"], None, DEFAULTS) == "dash"
    assert land(["agent", "receipt_clerk"], None, DEFAULTS) == "queue"


def test_role_change_moves_the_landing():
    land = navigation.landing_action
    assert land(["supervisor", "agent"], "queue", DEFAULTS) == "dash"
    assert land(["receipt_clerk"], "queue", DEFAULTS) == "receipts"
    assert land([], "queue", DEFAULTS) is None


def test_explicit_choice_kept():
    land = navigation.landing_action
    assert land(["agent"], "discuss", DEFAULTS) == "discuss"
    assert land([], "discuss", DEFAULTS) == "discuss"


def test_missing_default_skipped():
    defaults = dict(DEFAULTS, supervisor=None)
    assert navigation.landing_action(["supervisor", "agent"], None, defaults) == "queue"


@given(
    roles=st.lists(st.sampled_from(navigation.ROLE_ORDER), unique=True),
    current=st.sampled_from([None, "dash", "queue", "receipts", "discuss", "crm"]),
)
def test_landing_is_a_role_default_or_the_own_choice(roles, current):
    result = navigation.landing_action(roles, current, DEFAULTS)
    if current in ("discuss", "crm"):
        assert result == current
    elif roles:
        assert result == DEFAULTS[min(roles, key=navigation.ROLE_ORDER.index)]
    else:
        assert result is None
    # idempotent: landing again changes nothing
    assert navigation.landing_action(roles, result, DEFAULTS) == result
