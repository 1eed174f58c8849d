# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Where each role lands after logging in (issue 15, navigation).

A user's home action (``res.users.action_id``) follows his logistics role:
a supervisor lands on the dashboard, an agent on his ticket queue, a receipt
clerk on the receipts. A home action the user (or an administrator) chose
himself is never replaced: only an empty one, or one of the role defaults,
is set by the role.
"""

from collections.abc import Hashable, Mapping, Sequence

#: Roles, the first one a user has decides his landing.
ROLE_ORDER = ("supervisor", "agent", "receipt_clerk")


def landing_action(
    roles: Sequence[str],
    current: Hashable | None,
    defaults: Mapping[str, Hashable],
) -> Hashable | None:
    """The home action of a user with ``roles`` whose home action is
    ``current`` (None: none), ``defaults`` the landing of each role.

    - an explicit choice (``current`` set and not a role default) is kept;
    - else the default of the user's first role in :data:`ROLE_ORDER`;
    - a user without any logistics role keeps no role default (None), so
      a user who leaves the service lands where Odoo puts him again."""
    role_defaults = {value for value in defaults.values() if value}
    if current and current not in role_defaults:
        return current
    for role in ROLE_ORDER:
        if role in roles and defaults.get(role):
            return defaults[role]
    return None
