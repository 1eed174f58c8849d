# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


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
