# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class LogisticsReceiptLogMixin(models.AbstractModel):
    """The shape of a signed receipt's audit logs (``logistics.receipt.move``,
    ``logistics.receipt.reveal``): which receipt, its company, who and when.
    Written by ``logistics.receipt`` only, never edited; the company follows
    the receipt (multi-company rules of each log)."""

    _name = "logistics.receipt.log.mixin"
    _description = "Signed Receipt Log"
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
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
