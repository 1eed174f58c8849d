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
