# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    logistics_team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="Parcel-Service Team",
        help="Receives the parcel tickets whose problem type names no team of its own.",
    )
