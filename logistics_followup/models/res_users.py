# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..core import navigation as navigation_core

#: role -> (its group, the action it lands on)
LANDING = {
    "supervisor": (
        "logistics_followup.group_logistics_supervisor",
        "logistics_followup.logistics_dashboard_action",
    ),
    "agent": (
        "logistics_followup.group_logistics_agent",
        "logistics_followup.helpdesk_ticket_action_logistics_my",
    ),
    "receipt_clerk": (
        "logistics_followup.group_logistics_receipt_clerk",
        "logistics_followup.logistics_receipt_action",
    ),
}


class ResUsers(models.Model):
    _inherit = "res.users"

    logistics_available = fields.Boolean(
        string="Takes New Parcel Tickets",
        default=True,
        help="Off while away: the balanced assignment of new parcel tickets "
        "passes this user by.",
    )

    logistics_customer_capacity = fields.Float(
        string="Customer Capacity",
        default=1.0,
        help="Weight of this agent when customers are given out: 2 takes "
        "twice as many customers as 1.",
    )

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "logistics_available"]

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "logistics_available"]

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._logistics_set_landing()
        return users

    def write(self, vals):
        res = super().write(vals)
        if "group_ids" in vals:
            self._logistics_set_landing()
        return res

    def _logistics_set_landing(self):
        """Role-based landing (core.navigation.landing_action): supervisors
        on the dashboard, agents on their ticket queue, receipt clerks on the
        receipts; a home action chosen by hand is kept; one write per
        landing."""
        groups, defaults = {}, {}
        for role, (group_xmlid, action_xmlid) in LANDING.items():
            group = self.env.ref(group_xmlid, raise_if_not_found=False)
            action = self.env.ref(action_xmlid, raise_if_not_found=False)
            if group:
                groups[role] = group
            defaults[role] = action.id if action else None
        if not groups:
            return
        to_write = {}
        for user in self.sudo():
            roles = [r for r, g in groups.items() if g in user.all_group_ids]
            landing = navigation_core.landing_action(
                roles, user.action_id.id or None, defaults
            )
            if (landing or False) != user.action_id.id:
                to_write.setdefault(landing or False, []).append(user.id)
        for action_id, user_ids in to_write.items():
            self.sudo().browse(user_ids).write({"action_id": action_id})

    @api.model
    def _logistics_set_landing_all(self):
        """At install and update: the landing of every user of a logistics
        role (the administrator included), and of users who lost theirs."""
        actions = [
            self.env.ref(action, raise_if_not_found=False)
            for _group, action in LANDING.values()
        ]
        groups = [
            self.env.ref(group, raise_if_not_found=False)
            for group, _action in LANDING.values()
        ]
        users = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("all_group_ids", "in", [g.id for g in groups if g]),
                    ("action_id", "in", [a.id for a in actions if a]),
                ]
            )
        )
        users._logistics_set_landing()
