# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class LogisticsReceiptReveal(models.Model):
    """Who read an ID number in clear, and when (PIPL Art. 51: access to
    sensitive personal information is logged). Written with sudo by
    ``logistics.receipt``; read by supervisors only."""

    _name = "logistics.receipt.reveal"
    _inherit = ["logistics.receipt.log.mixin"]
    _description = "ID Number Reveal Log"

    user_id = fields.Many2one(string="Read By", index=True, ondelete="restrict")
    method = fields.Selection(
        selection=[
            ("field", "Clear field read (form, export, API)"),
            ("button", "Show ID button"),
        ],
        required=True,
        readonly=True,
    )
