# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import consteq
from odoo.tools.misc import hmac

from ..core import revisit as revisit_core
from .common import count_by

UNSUBSCRIBE_SCOPE = "logistics_followup.unsubscribe"


class ResPartner(models.Model):
    """R-RP-5: a logistics customer (a commercial partner, flagged) has a
    responsible agent, given automatically to the agent with the fewest
    customers for his capacity; a newly assigned customer is revisited
    within the new-customer rule's days (the daily planner)."""

    _inherit = "res.partner"

    logistics_customer = fields.Boolean(
        index=True,
        help="A customer of the courier service: it gets a responsible agent "
        "and regular revisits.",
    )
    logistics_agent_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible Agent",
        index="btree_not_null",
        domain="[('share', '=', False)]",
        tracking=True,
    )
    logistics_assigned_date = fields.Date(
        string="Assigned On", readonly=True, copy=False
    )
    logistics_revisit_ids = fields.One2many(
        comodel_name="logistics.revisit",
        inverse_name="partner_id",
        string="Revisits",
    )
    logistics_revisit_count = fields.Integer(
        compute="_compute_logistics_revisit_count", string="Revisit Count"
    )

    logistics_key_customer = fields.Boolean(
        string="Key Customer",
        help="Gets the daily arrival feedback: one e-mail a day listing the "
        "parcels that arrived or were delivered the day before.",
    )
    logistics_notification_preference_ids = fields.One2many(
        "logistics.notification.preference",
        "partner_id",
        string="Parcel Notifications",
    )

    # R-CP-5: how replies address the customer (Odoo 19 has no partner title)
    logistics_title = fields.Selection(
        selection=[("mr", "Mr"), ("ms", "Ms")],
        string="Title",
        help="Used in the opening line of replies: 尊敬的张先生 / Dear Mr Zhang "
        "San. Empty: the full name (张三 您好 / Dear Zhang San).",
    )
    # R-PP-11: a partner that is a station of the directory
    logistics_station_ids = fields.One2many(
        comodel_name="logistics.station",
        inverse_name="partner_id",
        string="Stations",
        groups="base.group_user",
    )

    def _compute_logistics_revisit_count(self):
        counts = count_by(self, "logistics.revisit", "partner_id")
        for partner in self:
            partner.logistics_revisit_count = counts.get(partner, 0)

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            if vals.get("logistics_agent_id"):
                vals.setdefault("logistics_assigned_date", today)
        partners = super().create(vals_list)
        partners.filtered(
            lambda p: p.logistics_customer and not p.logistics_agent_id
        )._logistics_assign_agents()
        return partners

    def write(self, vals):
        if "logistics_agent_id" in vals and not self.env.context.get(
            "logistics_assigning"
        ):
            vals = dict(vals, logistics_assigned_date=fields.Date.context_today(self))
        res = super().write(vals)
        if vals.get("logistics_customer"):
            self.filtered(lambda p: not p.logistics_agent_id)._logistics_assign_agents()
        return res

    @api.model
    @api.readonly
    def name_search(self, name="", domain=None, operator="ilike", limit=100):
        """With ``logistics_preferred_partner_ids`` in the context (the chase
        wizard: the station and its contact people), the matching preferred
        partners come first, then the others: any partner can still be
        chosen."""
        preferred = self.env.context.get("logistics_preferred_partner_ids")
        ids = [i for i in preferred or () if isinstance(i, int)]
        if not ids:
            return super().name_search(name, domain, operator, limit)
        domain = Domain(domain or Domain.TRUE)
        first = super().name_search(
            name, domain & Domain("id", "in", ids), operator, limit
        )
        if limit and len(first) >= limit:
            return first[:limit]
        rest = super().name_search(
            name,
            domain & Domain("id", "not in", ids),
            operator,
            limit - len(first) if limit else limit,
        )
        return first + rest

    def _logistics_agent_pool(self, company):
        Revisit = self.env["logistics.revisit"].sudo()
        return Revisit._available_agents(company, fields.Date.context_today(self))

    def _logistics_customer_counts(self, agents):
        rows = (
            self.env["res.partner"]
            .sudo()
            ._read_group(
                [
                    ("logistics_customer", "=", True),
                    ("logistics_agent_id", "in", agents.ids),
                ],
                groupby=["logistics_agent_id"],
                aggregates=["__count"],
            )
        )
        return {user.id: count for user, count in rows}

    def _logistics_assign_agents(self):
        """New customers: each to the available agent with the fewest
        customers for his capacity (core.revisit.owner_for_new_customers)."""
        for company, partners in self.grouped(
            lambda p: p.company_id or self.env.company
        ).items():
            agents = self._logistics_agent_pool(company)
            counts = self._logistics_customer_counts(agents)
            owners = [
                revisit_core.Owner(
                    u.id, counts.get(u.id, 0), u.logistics_customer_capacity or 1.0
                )
                for u in agents
            ]
            picked = revisit_core.owner_for_new_customers(owners, len(partners))
            today = fields.Date.context_today(self)
            for partner, agent in zip(partners, picked, strict=True):
                if agent:
                    partner.sudo().with_context(logistics_assigning=True).write(
                        {"logistics_agent_id": agent, "logistics_assigned_date": today}
                    )

    def action_view_logistics_revisits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_followup.logistics_revisit_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def _logistics_notify_choices(self):
        """``{(partner id, milestone): told}`` of these partners' choices
        (one query); milestones they did not choose take their default."""
        preferences = (
            self.env["logistics.notification.preference"]
            .sudo()
            .search([("partner_id", "in", self.ids)])
        )
        return {(p.partner_id.id, p.milestone): p.opt_in for p in preferences}

    def _logistics_set_choices(self, choices):
        """Store ``{milestone: told}`` for each of these partners."""
        Preference = self.env["logistics.notification.preference"].sudo()
        existing = {
            (p.partner_id.id, p.milestone): p
            for p in Preference.search([("partner_id", "in", self.ids)])
        }
        create = []
        for partner in self:
            for milestone, told in choices.items():
                record = existing.get((partner.id, milestone))
                if record:
                    if record.opt_in != told:
                        record.opt_in = told
                else:
                    create.append(
                        {
                            "partner_id": partner.id,
                            "milestone": milestone,
                            "opt_in": told,
                        }
                    )
        Preference.create(create)

    def _logistics_unsubscribe_token(self):
        self.ensure_one()
        return hmac(self.env(su=True), UNSUBSCRIBE_SCOPE, self.id)

    def _logistics_check_unsubscribe_token(self, token):
        self.ensure_one()
        return bool(token) and consteq(self._logistics_unsubscribe_token(), token)

    def _logistics_unsubscribe_url(self):
        self.ensure_one()
        return (
            f"{self.get_base_url()}/parcel/notifications/unsubscribe/"
            f"{self.id}/{self._logistics_unsubscribe_token()}"
        )
