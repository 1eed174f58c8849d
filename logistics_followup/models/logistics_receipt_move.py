# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .logistics_receipt import RECEIPT_STATE_SELECTION


class LogisticsReceiptMove(models.Model):
    """One movement of a signed receipt (R-RC-9): who, when, from which state
    and holder to which. Written by ``logistics.receipt`` on creation and on
    every state change; nobody edits it."""

    _name = "logistics.receipt.move"
    _inherit = ["logistics.receipt.log.mixin"]
    _description = "Signed Receipt Movement"

    user_id = fields.Many2one(string="By")
    state_from = fields.Selection(selection=RECEIPT_STATE_SELECTION, readonly=True)
    state_to = fields.Selection(
        selection=RECEIPT_STATE_SELECTION, readonly=True, required=True
    )
    location_from = fields.Char(string="Moved From", readonly=True)
    location_to = fields.Char(string="Moved To", readonly=True)
    note = fields.Text(readonly=True)
