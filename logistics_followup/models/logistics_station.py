# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command

from ..core import station as station_core
from .common import count_by

#: The station's fields that are its partner's: written on the partner.
PARTNER_FIELDS = frozenset(
    (
        "name",
        "phone",
        "email",
        "street",
        "city",
        "state_id",
        "country_id",
        "comment",
        "child_ids",
    )
)


class LogisticsStation(models.Model):
    """A station (网点) of a courier: the directory agents call (R-PP-11).

    A station is linked to its own partner (created with it): its name,
    address, phone, e-mail and contact people (the partner's child contacts)
    are those of ``partner_id`` (:data:`PARTNER_FIELDS`, related fields), so
    that chases, mails and calls go to it like to any partner; the station
    adds its courier, code (unique per courier and company), district, other
    phones and working hours.

    Tickets get their responsible station from the waybill's delivering
    station, else its last scan place (``_match_waybills``, one read of the
    directory per batch, ``core.station.StationIndex``); the chase wizard
    proposes the station's contacts first.

    Agents read the directory; supervisors maintain it. The station's partner
    is written with the station's access rights (supervisors need not be
    contact managers): its company follows the station's.
    """

    _name = "logistics.station"
    _description = "Station"
    _order = "courier_id, city, name, id"
    _rec_names_search = ["name", "code"]
    _check_company_auto = True

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact",
        required=True,
        ondelete="restrict",
        index=True,
        help="The station as a contact: chases, e-mails and calls go to it "
        "and to its contact people.",
    )
    name = fields.Char(related="partner_id.name", store=True, readonly=False)
    phone = fields.Char(related="partner_id.phone", readonly=False)
    email = fields.Char(related="partner_id.email", readonly=False)
    street = fields.Char(related="partner_id.street", readonly=False)
    city = fields.Char(related="partner_id.city", store=True, readonly=False)
    state_id = fields.Many2one(related="partner_id.state_id", readonly=False)
    country_id = fields.Many2one(related="partner_id.country_id", readonly=False)
    comment = fields.Html(related="partner_id.comment", readonly=False)
    child_ids = fields.One2many(
        related="partner_id.child_ids", string="Contact People", readonly=False
    )
    courier_id = fields.Many2one(
        comodel_name="logistics.courier",
        required=True,
        index=True,
        ondelete="restrict",
    )
    code = fields.Char(
        string="Station Code",
        index=True,
        help="The courier's code of the station (网点编码), unique per courier "
        "and company; stored in upper case.",
    )
    district = fields.Char(help="District or county (区县).")
    phone_other = fields.Char(
        string="Other Phones",
        help="Further phone numbers, separated by commas.",
    )
    opening_hours = fields.Char(
        string="Working Hours",
        help="When the station answers and hands out parcels, e.g. 08:00-21:00; "
        "several ranges separated by commas (周六 10:00-16:00).",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    contact_count = fields.Integer(compute="_compute_contact_count")
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    _courier_code_uniq = models.UniqueIndex(
        "(company_id, courier_id, code) WHERE code IS NOT NULL",
        "This courier already has a station with this code in this company.",
    )

    # ------------------------------------------------------------
    # COMPUTES AND CONSTRAINTS
    # ------------------------------------------------------------

    @api.depends("child_ids")
    def _compute_contact_count(self):
        for station in self:
            station.contact_count = len(station.child_ids)

    def _compute_ticket_count(self):
        counts = count_by(self.partner_id, "helpdesk.ticket", "responsible_station_id")
        for station in self:
            station.ticket_count = counts.get(station.partner_id, 0)

    @api.constrains("opening_hours")
    def _check_opening_hours(self):
        for station in self:
            if (
                station.opening_hours
                and station_core.parse_hours(station.opening_hours) is None
            ):
                raise ValidationError(
                    self.env._(
                        "The working hours %(hours)s of %(station)s are not "
                        "understood: write them as 08:00-21:00, several ranges "
                        "separated by commas.",
                        hours=station.opening_hours,
                        station=station.name,
                    )
                )

    @api.constrains("phone_other")
    def _check_phone_other(self):
        for station in self:
            if (
                station.phone_other
                and station_core.parse_phones(station.phone_other) is None
            ):
                raise ValidationError(
                    self.env._(
                        "The other phones %(phones)s of %(station)s are not phone "
                        "numbers: separate several numbers with commas.",
                        phones=station.phone_other,
                        station=station.name,
                    )
                )

    @api.constrains("name")
    def _check_name(self):
        if any(not (station.name or "").strip() for station in self):
            raise ValidationError(self.env._("A station needs a name."))

    @api.constrains("code")
    def _check_code(self):
        for station in self:
            if station.code and not station_core.normalize_code(station.code):
                raise ValidationError(self.env._("A station code cannot be blank."))

    # ------------------------------------------------------------
    # CRUD: the station's partner is written with the station's rights
    # ------------------------------------------------------------

    @api.model
    def _partner_vals(self, vals):
        """Split ``vals`` into the station's own values and its partner's."""
        own, partner = {}, {}
        for name, value in vals.items():
            (partner if name in PARTNER_FIELDS else own)[name] = value
        return own, partner

    @api.model
    def _normalize_vals(self, vals):
        vals = dict(vals)
        if vals.get("code"):
            vals["code"] = station_core.normalize_code(vals["code"]) or False
        elif "code" in vals:
            vals["code"] = False
        if vals.get("opening_hours"):
            hours = station_core.parse_hours(vals["opening_hours"])
            if hours:
                vals["opening_hours"] = hours
        return vals

    def _check_child_commands(self, commands):
        """The contact people may be added, edited and removed from the
        station; a command on any other partner is refused (the partner is
        written as superuser)."""
        allowed = set(self.child_ids.ids)
        for command in commands or ():
            if not isinstance(command, (list, tuple)):
                continue
            if command[0] == Command.SET:
                targets = set(command[2] or ())
            elif command[0] in (
                Command.UPDATE,
                Command.DELETE,
                Command.UNLINK,
                Command.LINK,
            ):
                targets = {command[1]}
            else:
                continue
            if not targets <= allowed:
                raise AccessError(
                    self.env._(
                        "Only the station's own contact people can be changed "
                        "from the station."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")
        vals_list = [self._normalize_vals(vals) for vals in vals_list]
        partner_values, pending = [], []
        for vals in vals_list:
            if vals.get("partner_id"):
                continue
            own, partner = self._partner_vals(vals)
            company = own.get("company_id") or self.env.company.id
            partner.setdefault("is_company", True)
            partner["company_id"] = company
            for contact in partner.get("child_ids") or ():
                if isinstance(contact, (list, tuple)) and contact[0] == Command.CREATE:
                    contact[2].setdefault("company_id", company)
                elif isinstance(contact, (list, tuple)):
                    raise AccessError(
                        self.env._(
                            "Only the station's own contact people can be changed "
                            "from the station."
                        )
                    )
            partner_values.append(partner)
            pending.append((vals, own))
        partners = self.env["res.partner"].sudo().create(partner_values)
        for (vals, own), partner in zip(pending, partners, strict=True):
            vals.clear()
            vals.update(own, partner_id=partner.id)
        return super().create(vals_list)

    def write(self, vals):
        vals = self._normalize_vals(vals)
        own, partner = self._partner_vals(vals)
        if "company_id" in own:
            partner["company_id"] = own["company_id"]
        if "active" in own:
            partner["active"] = own["active"]
        if partner:
            self.check_access("write")
            if "child_ids" in partner:
                for station in self:
                    station._check_child_commands(partner["child_ids"])
            self.partner_id.sudo().write(partner)
            if "company_id" in partner:
                self.partner_id.child_ids.sudo().write(
                    {"company_id": partner["company_id"]}
                )
        return super().write(own)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("responsible_station_id", "=", self.partner_id.id)]
        action["context"] = {"default_responsible_station_id": self.partner_id.id}
        return action

    def action_open_import(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Stations"),
            "res_model": "logistics.station.import",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    # ------------------------------------------------------------
    # MATCHING (R-PP-11, R-CP-6)
    # ------------------------------------------------------------

    @api.model
    def _match_waybills(self, waybills):
        """``{waybill id: station}`` of the stations ``waybills`` name: the
        delivering station, else the last scan place, matched by code or
        name, the waybill's courier first (``core.station``). One read of
        the directory of the waybills' companies, nothing per waybill; a
        waybill naming no station (a hub, an unknown name, an ambiguous
        one) is absent."""
        waybills = waybills.sudo()
        named = waybills.filtered(lambda w: w.destination_station or w.last_event_place)
        if not named:
            return {}
        stations = self.sudo().search(
            [("company_id", "in", named.company_id.ids)], order="id"
        )
        refs = {}
        for station in stations:
            refs.setdefault(station.company_id.id, []).append(
                station_core.StationRef(
                    station.id, station.courier_id.id, station.code or "", station.name
                )
            )
        indexes = {
            company: station_core.StationIndex(items) for company, items in refs.items()
        }
        result = {}
        for waybill in named:
            index = indexes.get(waybill.company_id.id)
            if not index:
                continue
            station_id = index.match_first(
                (waybill.destination_station, waybill.last_event_place),
                waybill.courier_id.id,
            )
            if station_id:
                result[waybill.id] = stations.browse(station_id)
        return result
