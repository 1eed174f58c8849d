# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from ..models.settings import SETTINGS, setting_key


class LogisticsRevisitReport(models.Model):
    """Revisits per agent and day (R-RV-4 quota met, R-RV-6 monthly summary
    data): successful revisits against the quota, failed calls, ratings.
    An SQL view over ``logistics_revisit``; a revisit counts on the day it
    was done, else its last attempt, else the day it is planned."""

    _name = "logistics.revisit.report"
    _description = "Revisit Analysis"
    _auto = False
    _order = "day desc"

    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Agent", readonly=True)
    day = fields.Date(readonly=True)
    revisit_count = fields.Integer(string="Revisits", readonly=True)
    done_count = fields.Integer(string="Successful", readonly=True)
    attempt_count = fields.Integer(string="Calls", readonly=True)
    failed_count = fields.Integer(string="Calls Not Reached", readonly=True)
    unreachable_count = fields.Integer(string="Closed Unreachable", readonly=True)
    quota = fields.Integer(readonly=True, aggregator="max")
    quota_met = fields.Boolean(readonly=True)
    quota_met_count = fields.Integer(string="Days Quota Met", readonly=True)
    rating_service = fields.Float(
        string="Service Rating", readonly=True, aggregator="avg"
    )
    rating_staff = fields.Float(
        string="Delivery Staff Rating", readonly=True, aggregator="avg"
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT min(r.id) AS id, r.company_id, r.user_id,
                   COALESCE(r.done_day, r.last_attempt_date, r.planned_date)
                     AS day,
                   count(*) AS revisit_count,
                   sum(r.success) AS done_count,
                   sum(r.attempts) AS attempt_count,
                   sum(r.attempts - r.success) AS failed_count,
                   count(*) FILTER (WHERE r.state = 'not_reached')
                     AS unreachable_count,
                   q.quota,
                   sum(r.success) >= q.quota AS quota_met,
                   CASE WHEN sum(r.success) >= q.quota THEN 1 ELSE 0 END
                     AS quota_met_count,
                   avg(NULLIF(r.rating_service, 0)) AS rating_service,
                   avg(NULLIF(r.rating_staff, 0)) AS rating_staff
              FROM logistics_revisit r
             CROSS JOIN (SELECT COALESCE(
                            (SELECT value::int FROM ir_config_parameter
                              WHERE key = %(key)s), %(default)s) AS quota) q
             WHERE r.user_id IS NOT NULL AND r.state != 'cancelled'
               AND COALESCE(r.done_day, r.last_attempt_date, r.planned_date)
                   IS NOT NULL
             GROUP BY r.company_id, r.user_id,
                      COALESCE(r.done_day, r.last_attempt_date, r.planned_date),
                      q.quota
            """,
            key=setting_key("revisit_quota"),
            default=SETTINGS["revisit_quota"].default,
        )
