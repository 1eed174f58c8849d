# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..core import notify as notify_core

MILESTONE_SELECTION = [
    ("out_for_delivery", "Out for delivery"),
    ("delivered", "Delivered"),
    ("ready_for_pickup", "Ready for pickup"),
    ("exception", "Exception"),
    ("returning", "Returning to the sender"),
    ("returned", "Returned to the sender"),
    ("expected_revised", "Expected delivery revised"),
    ("expected_missed", "Expected delivery missed"),
]
AUDIENCE_SELECTION = [
    ("none", "Nobody"),
    ("sender", "Sender"),
    ("receiver", "Receiver"),
    ("both", "Sender and receiver"),
]


class LogisticsNotificationMilestone(models.Model):
    """Which milestone of a parcel is told to whom, by which channel (R-PT-1).

    A record without company applies to every company that has none of its
    own for the milestone."""

    _name = "logistics.notification.milestone"
    _description = "Parcel Notification Milestone"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(MILESTONE_SELECTION, required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    audience = fields.Selection(
        AUDIENCE_SELECTION,
        default="receiver",
        required=True,
        help="Whose contacts are told of this milestone.",
    )
    default_opt_in = fields.Boolean(
        string="On by Default",
        default=True,
        help="Customers who chose nothing are told of this milestone.",
    )
    by_email = fields.Boolean(string="E-mail", default=True)
    by_sms = fields.Boolean(
        string="SMS",
        help="Also by SMS (short text; none between 21:00 and 08:00 local "
        "time: held until the morning).",
    )
    company_id = fields.Many2one("res.company", index=True)

    _code_company_uniq = models.UniqueIndex(
        "(code, COALESCE(company_id, 0))",
        "A milestone is configured once per company.",
    )

    @api.model
    def _for_company(self, company):
        """``{code: milestone}`` in force for ``company``: its own records,
        else the shared ones."""
        records = self.sudo().search(
            [("company_id", "in", [company.id, False])], order="company_id desc"
        )
        result = {}
        for record in records.sorted(lambda r: not r.company_id):
            result.setdefault(record.code, record)
        return result

    def _sides(self):
        self.ensure_one()
        return notify_core.audience_sides(self.audience)
