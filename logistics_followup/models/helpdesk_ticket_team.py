# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools.translate import LazyTranslate

from ..core import revisit as revisit_core
from .common import client_notification

_lt = LazyTranslate(__name__)

#: The tiles of helpdesk_mgmt's team dashboard. Their names are code terms of
#: helpdesk_mgmt, which Odoo reads from helpdesk_mgmt's own catalogues only
#: (it ships no Chinese one): translated here until it does.
DASHBOARD_TILES = {
    "Open Tickets": _lt("Open Tickets"),
    "Open Tickets without team": _lt("Open Tickets without team"),
}


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    def _retrieve_dashboard(self):
        """helpdesk_mgmt's dashboard tiles, named in the user's language."""
        tiles = super()._retrieve_dashboard()
        for tile in tiles:
            name = DASHBOARD_TILES.get(tile.get("name"))
            if name:
                tile["name"] = self.env._(name)
        return tiles

    def action_rebalance_customers(self):
        """R-RP-5: the supervisor spreads the team's customers again over its
        available members, weighted by their capacity; customers of members
        who are away or gone move, the others stay up to each one's share."""
        Partner = self.env["res.partner"].sudo()
        moved = 0
        for team in self:
            today_agents = Partner._logistics_agent_pool(team.company_id)
            members = team.user_ids & today_agents
            customers = Partner.search(
                [
                    ("logistics_customer", "=", True),
                    ("logistics_agent_id", "in", team.user_ids.ids),
                ]
            )
            changes = revisit_core.rebalance_owners(
                [(p.id, p.logistics_agent_id.id) for p in customers],
                [
                    revisit_core.Owner(u.id, 0, u.logistics_customer_capacity or 1.0)
                    for u in members
                ],
            )
            by_agent = {}
            for partner_id, agent in changes.items():
                by_agent.setdefault(agent, []).append(partner_id)
            for agent, ids in by_agent.items():
                Partner.browse(ids).write({"logistics_agent_id": agent})
            moved += len(changes)
        return client_notification(
            self.env._("%(count)s customers moved to another agent.", count=moved),
            then={"type": "ir.actions.act_window_close"},
        )
