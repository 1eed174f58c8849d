# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.common import format_local
from ..models.logistics_escalation import (
    ESCALATION_CHANNEL_SELECTION,
    ESCALATION_KIND_SELECTION,
    ESCALATION_ROLE_SELECTION,
)
from ..models.settings import get_setting


class LogisticsEscalationWizard(models.TransientModel):
    """Chase (催件) or re-route (转派) a ticket's station or courier."""

    _name = "logistics.escalation.wizard"
    _description = "Chase or Re-route"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True)
    kind = fields.Selection(ESCALATION_KIND_SELECTION, required=True, default="chase")
    role = fields.Selection(ESCALATION_ROLE_SELECTION, required=True, default="station")
    current_partner_id = fields.Many2one(
        "res.partner", compute="_compute_current_partner_id"
    )
    station_contact_ids = fields.Many2many(
        "res.partner",
        string="Station Contacts",
        compute="_compute_station_contact_ids",
        help="The station and its contact people, proposed first; any other "
        "contact can still be chosen.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
    )
    channel = fields.Selection(
        ESCALATION_CHANNEL_SELECTION, required=True, default="email"
    )
    reply_hours = fields.Float(
        string="Reply Within (hours)",
        default=lambda self: get_setting(self.env, "escalation_reply_hours"),
    )
    note = fields.Text(string="What Is Needed", required=True)

    @api.depends("ticket_id", "role")
    def _compute_current_partner_id(self):
        for wizard in self:
            ticket = wizard.ticket_id
            wizard.current_partner_id = (
                ticket.responsible_station_id
                if wizard.role == "station"
                else ticket.responsible_courier_id
            )

    @api.depends("ticket_id", "role", "current_partner_id")
    def _compute_station_contact_ids(self):
        """R-PP-11: the station to chase and its people. The ticket's
        responsible station (or the station of the contact person chased),
        else the station its waybill names (delivering station, else last
        scan place)."""
        Partner = self.env["res.partner"]
        for wizard in self:
            station = Partner
            if wizard.role == "station":
                station = wizard.current_partner_id.commercial_partner_id
                waybill = wizard.ticket_id.waybill_id
                if not station and waybill:
                    matched = self.env["logistics.station"]._match_waybills(waybill)
                    if waybill.id in matched:
                        station = Partner.browse(matched[waybill.id].partner_id.id)
            wizard.station_contact_ids = station | station.child_ids

    @api.depends("current_partner_id", "kind", "station_contact_ids")
    def _compute_partner_id(self):
        for wizard in self:
            if wizard.kind != "chase":
                wizard.partner_id = False
            else:
                wizard.partner_id = (
                    wizard.current_partner_id or wizard.station_contact_ids[:1]
                )

    def action_confirm(self):
        self.ensure_one()
        ticket = self.ticket_id
        if not self.partner_id:
            raise UserError(self.env._("Choose the station or courier to contact."))
        if self.reply_hours <= 0:
            raise UserError(self.env._("The reply deadline must be in the future."))
        if self.channel == "email" and not self.partner_id.email:
            raise UserError(
                self.env._(
                    "%(contact)s has no email address: add one, or chase by phone "
                    "and log it here.",
                    contact=self.partner_id.display_name,
                )
            )
        previous = self.current_partner_id
        if self.kind == "reroute":
            if self.partner_id == previous:
                raise UserError(
                    self.env._(
                        "Re-route to another station or courier than the current one."
                    )
                )
            ticket.escalation_ids.filtered(
                lambda e: e.role == self.role and e.state in ("waiting", "overdue")
            ).write({"state": "rerouted"})
            field = (
                "responsible_station_id"
                if self.role == "station"
                else "responsible_courier_id"
            )
            ticket.write({field: self.partner_id.id})
        elif self.role == "station" and not ticket.responsible_station_id:
            # the first chase of a station makes it the responsible one
            ticket.write(
                {"responsible_station_id": self.partner_id.commercial_partner_id.id}
            )
        now = fields.Datetime.now()
        escalation = self.env["logistics.escalation"].create(
            {
                "ticket_id": ticket.id,
                "kind": self.kind,
                "role": self.role,
                "partner_id": self.partner_id.id,
                "previous_partner_id": previous.id if self.kind == "reroute" else False,
                "channel": self.channel,
                "note": self.note,
                "sent_date": now,
                "reply_deadline": now + timedelta(hours=self.reply_hours),
            }
        )
        if self.channel == "email":
            self.env.ref("logistics_followup.mail_template_escalation").send_mail(
                escalation.id
            )
        values = {
            "contact": self.partner_id.display_name,
            "channel": dict(self._fields["channel"]._description_selection(self.env))[
                self.channel
            ],
            "deadline": format_local(self.env, escalation.reply_deadline),
            "note": self.note,
        }
        if self.kind == "reroute":
            text = self.env._(
                "Re-routed to %(contact)s by %(channel)s, reply due %(deadline)s: "
                "%(note)s",
                **values,
            )
        else:
            text = self.env._(
                "Chased %(contact)s by %(channel)s, reply due %(deadline)s: %(note)s",
                **values,
            )
        ticket.message_post(
            body=Markup("<p>%s</p>") % text, subtype_xmlid="mail.mt_note"
        )
        return {"type": "ir.actions.act_window_close"}
