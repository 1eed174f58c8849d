# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .logistics_notification_milestone import MILESTONE_SELECTION


class LogisticsNotificationPreference(models.Model):
    """A customer's choice for one milestone (without one, the milestone's
    default applies)."""

    _name = "logistics.notification.preference"
    _description = "Parcel Notification Preference"
    _order = "partner_id, milestone"

    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", index=True
    )
    milestone = fields.Selection(MILESTONE_SELECTION, required=True)
    opt_in = fields.Boolean(string="Told", default=True)

    _partner_milestone_uniq = models.Constraint(
        "UNIQUE(partner_id, milestone)",
        "One choice per customer and milestone.",
    )
