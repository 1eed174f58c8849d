# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .logistics_receipt import STATE_SELECTION


class LogisticsReceiptMove(models.Model):
    """One movement of a signed receipt (R-RC-9): who, when, from which state
    and holder to which. Written by ``logistics.receipt`` on creation and on
    every state change; nobody edits it."""

    _name = "logistics.receipt.move"
    _description = "Signed Receipt Movement"
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
    date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now, index=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    state_from = fields.Selection(selection=STATE_SELECTION, readonly=True)
    state_to = fields.Selection(selection=STATE_SELECTION, readonly=True, required=True)
    location_from = fields.Char(string="Moved From", readonly=True)
    location_to = fields.Char(string="Moved To", readonly=True)
    note = fields.Text(readonly=True)
