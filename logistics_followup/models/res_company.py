# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.fields import Domain

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from .settings import get_setting, set_setting

_logger = logging.getLogger(__name__)


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

    @api.model
    def _logistics_apply_demo_currency(self):
        """Give the main company the currency the demo data asked for (the
        setting ``demo_currency``, an XML id), once, after the install.

        The demo company is a Shenzhen courier station working in CNY. The
        demo data cannot set it itself: ``account`` (a dependency of
        ``stock_delivery``) loads the generic chart of accounts, in US
        dollars, with its demo entries before this addon's data, and a
        company's currency cannot change once entries exist. So the demo
        leaves the wish in the setting and ``ir.module.module``'s registry
        hook calls this when the install is over: ``account``'s own demo
        entries of the company are removed the way ``account`` removes a
        company's entries before loading another chart, then the currency
        is set. A company with any other entry keeps its currency."""
        xmlid = get_setting(self.env, "demo_currency")
        if not xmlid:
            return
        set_setting(self.env, "demo_currency", False)
        currency = self.env.ref(xmlid, raise_if_not_found=False)
        company = self.env.ref("base.main_company", raise_if_not_found=False)
        if not currency or not company or company.currency_id == currency:
            return
        if "account.move" in self.env:
            moves = (
                self.env["account.move"]
                .sudo()
                .search([("company_id", "child_of", company.id)])
            )
            lines = moves.statement_line_id
            records = {
                "account.move": moves.ids,
                "account.bank.statement.line": lines.ids,
                "account.bank.statement": lines.statement_id.ids,
            }
            domain = Domain.OR(
                [("model", "=", model), ("res_id", "in", ids)]
                for model, ids in records.items()
            )
            data = (
                self.env["ir.model.data"]
                .sudo()
                .search_fetch(
                    Domain("module", "=", "account") & domain, ["model", "res_id"]
                )
            )
            known = {(row.model, row.res_id) for row in data}
            # account's demo: its entries, those of its bank statements' lines
            demo = moves.filtered(
                lambda move: (
                    ("account.move", move.id) in known
                    or ("account.bank.statement.line", move.statement_line_id.id)
                    in known
                    or (
                        "account.bank.statement",
                        move.statement_line_id.statement_id.id,
                    )
                    in known
                )
            )
            if demo != moves:
                _logger.info(
                    "demo: %s keeps its currency: it has entries of its own",
                    company.name,
                )
                return
            moves.with_context(**{MODULE_UNINSTALL_FLAG: True}).unlink()
        currency.active = True
        company.currency_id = currency
