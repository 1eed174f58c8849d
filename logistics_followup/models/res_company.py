# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    logistics_team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="Parcel-Service Team",
        help="Receives the parcel tickets whose problem type names no team of its own.",
    )
    # R-CP-4 / R-RP-2 / R-RP-3: when the supervisor reports are mailed, in
    # the company's time zone
    logistics_report_weekday = fields.Selection(
        [
            ("0", "Monday"),
            ("1", "Tuesday"),
            ("2", "Wednesday"),
            ("3", "Thursday"),
            ("4", "Friday"),
            ("5", "Saturday"),
            ("6", "Sunday"),
        ],
        string="Weekly Reports On",
        default="0",
    )
    logistics_report_weekly_hour = fields.Integer(
        string="Weekly Reports From (hour)", default=8
    )
    logistics_report_weekly_deadline_hour = fields.Integer(
        string="Weekly Reports Due Before (hour)", default=12
    )
    logistics_report_monthly_day = fields.Integer(
        string="Monthly Reports On (day)", default=1
    )
    logistics_report_monthly_deadline_day = fields.Integer(
        string="Monthly Reports Due Before (day)", default=3
    )
    logistics_report_partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="res_company_logistics_report_partner_rel",
        string="Extra Report Recipients",
        help="Also receive the weekly and monthly reports, besides the supervisors.",
    )

    _logistics_report_hours = models.Constraint(
        "CHECK(logistics_report_weekly_hour BETWEEN 0 AND 23 "
        "AND logistics_report_weekly_deadline_hour BETWEEN 0 AND 24 "
        "AND logistics_report_monthly_day BETWEEN 1 AND 28 "
        "AND logistics_report_monthly_deadline_day BETWEEN 1 AND 28)",
        "Report hours are 0 to 23 and report days 1 to 28.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._logistics_seed_revisit_rules()
        return companies

    def _logistics_seed_revisit_rules(self):
        """A new company gets the main company's revisit rules (R-RV-1..3)."""
        Rule = self.env["logistics.revisit.rule"].sudo()
        seeds = Rule.search([("company_id", "=", self.env.ref("base.main_company").id)])
        for company in self:
            if not Rule.search_count([("company_id", "=", company.id)]):
                for rule in seeds:
                    rule.copy({"company_id": company.id, "name": rule.name})
