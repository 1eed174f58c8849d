# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .common import count_by


class LogisticsCause(models.Model):
    """R-CP-6: the structured cause of a complaint or problem parcel (late,
    damaged, lost, false signing, ...), so that causes can be grouped and
    analysed; the ticket's free-text root cause stays as the detail."""

    _name = "logistics.cause"
    _description = "Complaint and Problem Cause"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the cause between companies."
    )
    description = fields.Text(translate=True)
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    _code_uniq = models.UniqueIndex(
        "(code, COALESCE(company_id, 0))", "A cause with this code already exists."
    )

    def _compute_ticket_count(self):
        counts = count_by(self, "helpdesk.ticket", "cause_id")
        for cause in self:
            cause.ticket_count = counts.get(cause, 0)
