# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..core import problem as problem_core
from .logistics_problem_type import KIND_SELECTION


class LogisticsResponseTarget(models.Model):
    """R-CP-3: how fast a ticket must be answered back.

    Phone inquiries within 5 minutes, price inquiries within 8 hours; the most
    specific target matching the ticket's channel, kind and category wins.
    """

    _name = "logistics.response.target"
    _description = "Response Target"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")
    channel_id = fields.Many2one("helpdesk.ticket.channel")
    kind = fields.Selection(KIND_SELECTION, string="Ticket Kind")
    category_id = fields.Many2one("helpdesk.ticket.category")
    minutes = fields.Float(
        string="Answer Within (minutes)",
        required=True,
        help="The first answer to the customer is due this many minutes after "
        "the ticket is opened.",
    )

    _minutes_positive = models.Constraint(
        "CHECK(minutes > 0)", "A response target must be positive."
    )

    @api.model
    def _load(self, company):
        """The targets of ``company`` (and shared ones), read once, as
        ``(records by id, core targets)`` for :meth:`_pick_loaded`."""
        targets = self.search(
            [("company_id", "in", [False, company.id])], order="sequence, id"
        )
        return (
            {t.id: t for t in targets},
            [
                problem_core.ResponseTarget(
                    t.id,
                    t.minutes,
                    channel=t.channel_id.id or None,
                    kind=t.kind or None,
                    category=t.category_id.id or None,
                )
                for t in targets
            ],
        )

    @api.model
    def _pick_loaded(self, loaded, channel, kind, category):
        """The target of one ticket among loaded targets (no query;
        core.problem.pick_response_target)."""
        by_id, targets = loaded
        picked = problem_core.pick_response_target(
            targets,
            channel=channel.id or None,
            kind=kind or None,
            category=category.id or None,
        )
        return by_id[picked.key] if picked else self

    @api.model
    def _pick(self, channel, kind, category, company):
        """The target of one ticket of ``company``."""
        return self._pick_loaded(self._load(company), channel, kind, category)
