# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from ..models.logistics_receipt import RECEIPT_STATE_SELECTION


class LogisticsReceiptReport(models.Model):
    """Monthly summary of signed receipts (R-RC-9): returned on time, late,
    abnormal (returned for re-signing), missing. An SQL view; the classes
    follow ``core.receipt.classify`` (same order of precedence)."""

    _name = "logistics.receipt.report"
    _description = "Signed Receipt Analysis"
    _auto = False
    _order = "due_date desc"

    receipt_id = fields.Many2one(comodel_name="logistics.receipt", readonly=True)
    waybill_id = fields.Many2one(comodel_name="logistics.waybill", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Receipt Clerk", readonly=True
    )
    courier_id = fields.Many2one(comodel_name="logistics.courier", readonly=True)
    destination_station = fields.Char(readonly=True)
    state = fields.Selection(selection=RECEIPT_STATE_SELECTION, readonly=True)
    due_date = fields.Date(readonly=True)
    due_month = fields.Char(
        readonly=True,
        help="The month the receipt is due back (YYYY-MM); receipts whose "
        "parcel has not arrived yet have no due date and are counted together "
        "under their own heading.",
    )
    received_date = fields.Date(readonly=True)
    classification = fields.Selection(
        selection=[
            ("on_time", "On Time"),
            ("late", "Late"),
            ("abnormal", "Abnormal"),
            ("missing", "Missing"),
            ("pending", "Pending"),
        ],
        readonly=True,
    )
    delay_days = fields.Integer(string="Days Late", readonly=True, aggregator="avg")
    receipt_count = fields.Integer(string="Receipts", readonly=True)

    @property
    def _table_query(self):
        """The receipts, each with its due month; those without a due date
        (the parcel has not arrived: R-RC-8 counts from the arrival) under a
        named heading in the reader's language instead of an empty month.
        The heading sorts after the months (letters after digits)."""
        return SQL(
            """
            SELECT r.id AS id, r.id AS receipt_id, r.waybill_id, r.company_id,
                   r.user_id, w.courier_id, w.destination_station, r.state,
                   r.due_date,
                   COALESCE(to_char(r.due_date, 'YYYY-MM'), %(no_due_date)s)
                   AS due_month,
                   (r.received_date AT TIME ZONE 'UTC')::date
                   AS received_date,
                   CASE
                     WHEN r.state = 'missing' THEN 'missing'
                     WHEN COALESCE(r.reject_count, 0) > 0 THEN 'abnormal'
                     WHEN r.received_date IS NOT NULL THEN
                       CASE WHEN r.due_date IS NOT NULL
                            AND r.received_date::date > r.due_date
                            THEN 'late' ELSE 'on_time' END
                     WHEN r.due_date IS NOT NULL AND CURRENT_DATE > r.due_date
                       THEN 'late'
                     ELSE 'pending'
                   END AS classification,
                   GREATEST(COALESCE(r.received_date::date, CURRENT_DATE)
                            - r.due_date, 0) AS delay_days,
                   1 AS receipt_count
              FROM logistics_receipt r
              JOIN logistics_waybill w ON w.id = r.waybill_id
            """,
            no_due_date=self.env._("Not due yet (parcel not arrived)"),
        )
