# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core import problem as problem_core


class LogisticsPeakPeriod(models.Model):
    """A peak shopping window (双十一, 双十二...) relaxing the stall rule.

    R-PP-6 / R-PP-10: "在一个中转点时间超过3日以上的都为不正常情况, 购物高峰期例外".
    """

    _name = "logistics.peak.period"
    _description = "Peak Period"
    _order = "date_from, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    date_from = fields.Date(string="Start Date", required=True)
    date_to = fields.Date(string="End Date", required=True)
    yearly = fields.Boolean(
        string="Every Year",
        default=True,
        help="The period repeats every year on the same days.",
    )
    stall_days = fields.Float(
        string="Stall Threshold (days)",
        required=True,
        default=7.0,
        help="During this period a parcel is stalled only after this many days "
        "without a new scan at one place.",
    )

    _dates_check = models.Constraint(
        "CHECK(yearly OR date_from <= date_to)",
        "A peak period cannot end before it starts.",
    )
    _stall_days_positive = models.Constraint(
        "CHECK(stall_days > 0)", "The stall threshold must be positive."
    )

    @api.constrains("date_from", "date_to", "yearly")
    def _check_yearly_span(self):
        for period in self.filtered("yearly"):
            if (period.date_to - period.date_from).days >= 366:
                raise ValidationError(
                    self.env._("A yearly peak period cannot last a year or more.")
                )

    @api.model
    def _core_periods(self):
        return [
            problem_core.PeakPeriod(p.date_from, p.date_to, p.stall_days, p.yearly)
            for p in self.search([])
        ]
