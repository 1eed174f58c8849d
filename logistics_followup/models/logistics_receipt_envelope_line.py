# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..core import masking


class LogisticsReceiptEnvelopeLine(models.Model):
    """One receipt listed in an envelope, or found in it without being listed
    (an extra, R-RC-7)."""

    _name = "logistics.receipt.envelope.line"
    _description = "Signed Receipt Envelope Line"
    _order = "envelope_id, listed desc, id"
    _check_company_auto = True

    envelope_id = fields.Many2one(
        comodel_name="logistics.receipt.envelope",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        related="envelope_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    receipt_id = fields.Many2one(
        comodel_name="logistics.receipt",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        domain="[('state', '=', 'signed')]",
    )
    waybill_number = fields.Char(
        compute="_compute_waybill_number", store=True, readonly=False
    )
    consignee_masked = fields.Char(
        string="Consignee", compute="_compute_consignee_masked"
    )
    listed = fields.Boolean(default=True, readonly=True)
    found = fields.Boolean(readonly=True)
    result = fields.Selection(
        string="Check Result",
        selection=[
            ("ok", "Found"),
            ("missing", "Missing"),
            ("extra", "Extra"),
        ],
        readonly=True,
    )

    _envelope_receipt_uniq = models.Constraint(
        "UNIQUE(envelope_id, receipt_id)", "This receipt is already in the envelope."
    )

    @api.depends("receipt_id.waybill_number")
    def _compute_waybill_number(self):
        for line in self:
            line.waybill_number = (
                line.receipt_id.waybill_number or line.waybill_number or False
            )

    @api.depends("receipt_id.consignee_name")
    def _compute_consignee_masked(self):
        for line in self:
            line.consignee_masked = masking.mask_name(line.receipt_id.consignee_name)
