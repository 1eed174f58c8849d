# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from .common import format_local

ESCALATION_ROLE_SELECTION = [("station", "Station"), ("courier", "Courier")]
ESCALATION_KIND_SELECTION = [("chase", "Chase (催件)"), ("reroute", "Re-route (转派)")]
ESCALATION_CHANNEL_SELECTION = [("email", "Email"), ("phone", "Phone")]
ESCALATION_STATE_SELECTION = [
    ("waiting", "Waiting for Reply"),
    ("replied", "Replied"),
    ("overdue", "Reply Overdue"),
    ("rerouted", "Re-routed"),
]


class LogisticsEscalation(models.Model):
    """A chase (催件) sent from a ticket to the responsible station or courier,
    or a re-routing (转派) to another one, with its reply deadline.

    The seed's daily work (R-PP-2, R-PP-3, R-PP-7, R-PP-9: "pushed to the
    people responsible until processed"): each chase is logged with who was
    chased, how, what is needed and by when; a passed deadline reminds the
    agent; re-routing keeps the earlier chases as history.
    """

    _name = "logistics.escalation"
    _description = "Chase of a Station or Courier"
    _order = "sent_date desc, id desc"
    _rec_name = "partner_id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    waybill_id = fields.Many2one(related="ticket_id.waybill_id")
    kind = fields.Selection(ESCALATION_KIND_SELECTION, required=True, default="chase")
    role = fields.Selection(ESCALATION_ROLE_SELECTION, required=True, default="station")
    partner_id = fields.Many2one("res.partner", string="Contact", required=True)
    previous_partner_id = fields.Many2one(
        "res.partner", string="Re-routed From", readonly=True
    )
    channel = fields.Selection(
        ESCALATION_CHANNEL_SELECTION, required=True, default="email"
    )
    note = fields.Text(string="What Is Needed", required=True)
    user_id = fields.Many2one(
        "res.users", string="Sent By", default=lambda self: self.env.user
    )
    sent_date = fields.Datetime(
        string="Sent On", required=True, default=fields.Datetime.now
    )
    reply_deadline = fields.Datetime(string="Reply Due", required=True)
    state = fields.Selection(
        ESCALATION_STATE_SELECTION, required=True, default="waiting", index=True
    )
    reply = fields.Text()
    replied_date = fields.Datetime(string="Replied On", readonly=True)
    reminded_date = fields.Datetime(string="Reminded On", readonly=True)

    _reply_due_idx = models.Index("(reply_deadline) WHERE state = 'waiting'")

    def action_mark_replied(self):
        now = fields.Datetime.now()
        for escalation in self.filtered(lambda e: e.state in ("waiting", "overdue")):
            escalation.write({"state": "replied", "replied_date": now})
            escalation.ticket_id.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "%(contact)s replied: %(reply)s",
                    contact=escalation.partner_id.display_name,
                    reply=escalation.reply or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    @api.model
    def _cron_remind_overdue(self):
        """Chases without a reply by their deadline: flagged overdue (one
        UPDATE over a partial index) and the sender reminded by an activity
        on the ticket."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_escalation SET state = 'overdue', "
                "reminded_date = %(now)s WHERE state = 'waiting' "
                "AND reply_deadline < %(now)s RETURNING id",
                now=fields.Datetime.now(),
            )
        )
        overdue = self.browse([r[0] for r in self.env.cr.fetchall()])
        self.invalidate_model(["state", "reminded_date"])
        call = self.env.ref("mail.mail_activity_data_call")
        ticket_model = self.env["ir.model"]._get_id("helpdesk.ticket")
        today = fields.Date.context_today(self)
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": ticket_model,
                    "res_id": escalation.ticket_id.id,
                    "activity_type_id": call.id,
                    "date_deadline": today,
                    "automated": True,
                    "summary": self.env._(
                        "No reply from %(contact)s",
                        contact=escalation.partner_id.display_name,
                    ),
                    "note": self.env._(
                        "The chase of %(date)s got no reply by its deadline: call "
                        "again or re-route the ticket.",
                        date=format_local(
                            self.env,
                            escalation.sent_date,
                            escalation.user_id or escalation.ticket_id.user_id,
                        ),
                    ),
                    "user_id": escalation.user_id.id or escalation.ticket_id.user_id.id,
                }
                for escalation in overdue
            ]
        )
        return len(overdue)
