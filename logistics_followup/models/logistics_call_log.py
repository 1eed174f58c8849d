# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core import problem as problem_core

DIRECTION_SELECTION = [("outbound", "We called"), ("inbound", "The customer called")]
OUTCOME_SELECTION = [
    ("reached", "Reached"),
    ("no_answer", "No Answer"),
    ("busy", "Busy"),
    ("wrong_number", "Wrong Number"),
    ("call_back", "Call Back Later"),
]


class LogisticsCallLog(models.Model):
    """A phone call with the customer about a ticket (R-CP-3, R-CP-5).

    Most replies of a courier's customer service go out by phone: each call
    is logged with its direction, outcome, duration and note, posted in the
    ticket's chatter as a note, and an outbound call that reached the
    customer is the ticket's first response
    (``core.problem.counts_as_response``). A logged call is a record of what
    happened: agents log calls, they do not rewrite them.
    """

    _name = "logistics.call.log"
    _description = "Phone Call"
    _order = "call_date desc, id desc"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Contact")
    phone = fields.Char()
    user_id = fields.Many2one(
        "res.users",
        string="Agent",
        required=True,
        default=lambda self: self.env.user,
    )
    call_date = fields.Datetime(
        string="Called On", required=True, default=fields.Datetime.now
    )
    direction = fields.Selection(DIRECTION_SELECTION, required=True, default="outbound")
    outcome = fields.Selection(OUTCOME_SELECTION, required=True)
    duration = fields.Float(
        string="Duration (minutes)", digits=(16, 1), help="How long the call lasted."
    )
    note = fields.Text(help="What was said or agreed.")
    counted_as_response = fields.Boolean(
        string="Answered the Ticket",
        readonly=True,
        help="This call was the ticket's first response to the customer.",
    )

    _ticket_date_idx = models.Index("(ticket_id, call_date)")

    @api.depends("partner_id", "phone", "call_date", "outcome")
    def _compute_display_name(self):
        outcomes = dict(self._fields["outcome"]._description_selection(self.env))
        for call in self:
            who = call.partner_id.name or call.phone or ""
            call.display_name = " - ".join(
                part for part in (who, outcomes.get(call.outcome, "")) if part
            )

    @api.constrains("duration")
    def _check_duration(self):
        if any(call.duration < 0 for call in self):
            raise ValidationError(
                self.env._("A call cannot last less than zero minutes.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        calls = super().create(vals_list)
        calls._post_on_tickets()
        calls._count_as_responses()
        return calls

    def _post_on_tickets(self):
        """Each call as a note in its ticket's chatter."""
        directions = dict(self._fields["direction"]._description_selection(self.env))
        outcomes = dict(self._fields["outcome"]._description_selection(self.env))
        for call in self:
            lines = [
                Markup("<strong>%s</strong>")
                % self.env._(
                    "Phone call: %(direction)s, %(outcome)s",
                    direction=directions[call.direction],
                    outcome=outcomes[call.outcome],
                ),
            ]
            who = call.partner_id.name or ""
            if call.phone:
                who = f"{who} ({call.phone})" if who else call.phone
            if who:
                lines.append(self.env._("Contact: %(who)s", who=who))
            if call.duration:
                lines.append(
                    self.env._(
                        "Duration: %(minutes)s min", minutes=f"{call.duration:g}"
                    )
                )
            if call.note:
                lines.append(call.note)
            body = Markup("<br/>").join(lines)
            call.ticket_id.message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                author_id=call.user_id.partner_id.id,
            )

    def _count_as_responses(self):
        """R-CP-3: an outbound call that reached the customer answers the
        ticket (its first such call sets the first response)."""
        by_employee = not self.env.user.share
        answering = self.filtered(
            lambda c: problem_core.counts_as_response(
                "call",
                by_employee=by_employee and not c.user_id.share,
                direction=c.direction,
                outcome=c.outcome,
            )
        ).sorted("call_date")
        first = {}
        for call in answering:
            if not call.ticket_id.first_response_date:
                first.setdefault(call.ticket_id, call)
        for ticket, call in first.items():
            ticket._mark_responded(call.call_date)
        if first:
            self.browse([c.id for c in first.values()]).sudo().write(
                {"counted_as_response": True}
            )
