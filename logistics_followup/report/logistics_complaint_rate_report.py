# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from .logistics_shipment_report import DIRECTION_SELECTION


class LogisticsComplaintRateReport(models.Model):
    """Complaints per 10,000 parcels by courier and station, the ratio the
    postal regulator publishes. One row per shipped waybill with its
    complaints; the ratio is computed from the group's sums at any level of
    grouping (``core.reporting.per_10k``, same rounding, pinned by a test).
    The station is ``core.reporting.responsible_station`` without a station
    chased: the delivering station, else the origin (R-CP-6)."""

    _name = "logistics.complaint.rate.report"
    _description = "Complaints per 10,000 Parcels"
    _auto = False
    _order = "shipped_date desc"

    waybill_id = fields.Many2one("logistics.waybill", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    courier_id = fields.Many2one("logistics.courier", readonly=True)
    direction = fields.Selection(DIRECTION_SELECTION, readonly=True)
    station = fields.Char(readonly=True)
    shipped_date = fields.Datetime(string="Shipped On", readonly=True)
    parcel_count = fields.Integer(readonly=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    per_10k = fields.Float(
        string="Complaints per 10,000 Parcels", digits=(16, 2), readonly=True
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT w.id AS id, w.id AS waybill_id, w.company_id, w.courier_id,
                   w.direction,
                   COALESCE(NULLIF(btrim(w.destination_station), ''),
                            NULLIF(btrim(w.origin_station), '')) AS station,
                   w.shipped_date, 1 AS parcel_count,
                   COALESCE(c.n, 0) AS complaint_count,
                   COALESCE(c.n, 0) * 10000.0 AS per_10k
              FROM logistics_waybill w
              LEFT JOIN (SELECT waybill_id, count(*) AS n
                           FROM helpdesk_ticket
                          WHERE logistics_kind = 'complaint' AND active
                            AND waybill_id IS NOT NULL
                          GROUP BY waybill_id) c ON c.waybill_id = w.id
             WHERE w.shipped_date IS NOT NULL AND w.active
            """
        )

    def _read_group_select(self, aggregate_spec, query):
        # the ratio of the group's sums, not a sum or mean of the rows' ratios
        if aggregate_spec.startswith("per_10k:"):
            return SQL(
                "ROUND(SUM(%s)::numeric * 10000 / NULLIF(SUM(%s), 0), 2)",
                self._field_to_sql(self._table, "complaint_count", query),
                self._field_to_sql(self._table, "parcel_count", query),
            )
        return super()._read_group_select(aggregate_spec, query)
