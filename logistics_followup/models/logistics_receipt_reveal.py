# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class LogisticsReceiptReveal(models.Model):
    """Who read an ID number in clear, and when (PIPL Art. 51: access to
    sensitive personal information is logged). Written with sudo by
    ``logistics.receipt``; read by supervisors only."""

    _name = "logistics.receipt.reveal"
    _description = "ID Number Reveal Log"
    _order = "date desc, id desc"
    _check_company_auto = True

    receipt_id = fields.Many2one(
        comodel_name="logistics.receipt",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        related="receipt_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Read By",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now, index=True
    )
    method = fields.Selection(
        selection=[
            ("field", "Clear field read (form, export, API)"),
            ("button", "Show ID button"),
        ],
        required=True,
        readonly=True,
    )
