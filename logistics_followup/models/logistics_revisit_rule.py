# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval

from .logistics_revisit import REVISIT_CHANNEL_SELECTION

RULE_SELECTION = [
    ("new_customer", "New customer"),
    ("regular", "Regular customer"),
    ("frequent", "Frequent problems"),
    ("complaint", "After a complaint"),
    ("campaign", "Campaign"),
]


class LogisticsRevisitRule(models.Model):
    """Why and when a customer is revisited (R-RV-1..3, R-RP-5): seeded per
    company, edited by supervisors; the daily planner reads them."""

    _name = "logistics.revisit.rule"
    _description = "Revisit Rule"
    _order = "priority desc, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(RULE_SELECTION, string="Trigger", required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    channel = fields.Selection(
        REVISIT_CHANNEL_SELECTION,
        string="Default Channel",
        required=True,
        default="phone",
    )
    priority = fields.Integer(
        default=10, help="When several reasons are due, the highest decides."
    )
    interval_days = fields.Integer(
        string="Within / Every (days)",
        default=7,
        help="New customer and complaint: revisit within this many days; "
        "regular and frequent problems: every this many days.",
    )
    threshold = fields.Integer(
        string="Tickets Threshold",
        default=3,
        help="Frequent problems: at least this many tickets in the window.",
    )
    window_days = fields.Integer(
        string="Window (days)",
        default=30,
        help="Frequent problems: tickets counted over this many days.",
    )
    campaign_domain = fields.Char(
        string="Customers", default="[]", help="Campaign: the customers to revisit."
    )
    date_from = fields.Date(string="Campaign From")
    date_to = fields.Date(string="Campaign To")

    @api.constrains("interval_days", "threshold", "window_days", "code")
    def _check_numbers(self):
        for rule in self:
            if rule.interval_days < 1 or rule.window_days < 1 or rule.threshold < 1:
                raise ValidationError(
                    self.env._("A revisit rule's days and threshold must be positive.")
                )

    @api.constrains("code", "date_from", "date_to", "campaign_domain")
    def _check_campaign(self):
        for rule in self.filtered(lambda r: r.code == "campaign"):
            if not rule.date_from or not rule.date_to or rule.date_to < rule.date_from:
                raise ValidationError(
                    self.env._(
                        "A campaign needs a date range, its end after its start."
                    )
                )
            try:
                rule._campaign_domain()
            except Exception as exc:
                raise ValidationError(
                    self.env._("The campaign's customers are not a valid filter.")
                ) from exc

    def _campaign_domain(self):
        self.ensure_one()
        domain = safe_eval(self.campaign_domain or "[]")
        self.env["res.partner"].search_count(domain, limit=1)
        return domain
