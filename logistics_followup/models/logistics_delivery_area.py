# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core import delivery as delivery_core
from ..core import transit as transit_core
from .common import client_notification, count_by


class LogisticsDeliveryArea(models.Model):
    """A delivery area (片区) of a delivering station and its courier.

    R-PP-2: a delivery chase goes to the courier responsible for the area of
    the parcel's address. Areas are streets, estates, schools, company parks;
    their keywords are matched against the receiver address
    (``core.delivery.match_area``: the longest keyword wins). Reassigning the
    courier is tracked in the chatter and reroutes at once: the waybill's
    courier is a related field of its area.
    """

    _name = "logistics.delivery.area"
    _description = "Delivery Area"
    _inherit = ["mail.thread"]
    _order = "station, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    station = fields.Char(
        string="Delivering Station",
        index=True,
        tracking=True,
        help="The station (网点) whose couriers deliver this area.",
    )
    kind = fields.Selection(
        selection=[
            ("street", "Street"),
            ("estate", "Residential Estate"),
            ("school", "School"),
            ("company", "Company or Business Park"),
            ("other", "Other"),
        ],
        required=True,
        default="street",
    )
    keywords = fields.Text(
        required=True,
        help="One per line: street, estate, school or building names. An "
        "address containing one of them belongs to the area; when several "
        "areas match, the longest keyword wins (e.g. 'Zhangjiang Road 50' "
        "over 'Zhangjiang Road'), then the area naming more places, then the "
        "oldest area.",
    )
    province_id = fields.Many2one(
        comodel_name="res.country.state",
        help="When set, only addresses naming this province match.",
    )
    city = fields.Char(help="When set, only addresses naming this city match.")
    district = fields.Char(help="When set, only addresses naming this district match.")
    courier_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Courier",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The courier (快递员) who delivers this area; delivery chases of its "
        "parcels go to him.",
    )
    station_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Station Contact",
        tracking=True,
        check_company=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Agent",
        domain=[("share", "=", False)],
        tracking=True,
        help="The agent who takes the delivery chases of this area; "
        "empty: the team's balanced assignment.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    active = fields.Boolean(default=True, tracking=True)
    waybill_ids = fields.One2many(
        comodel_name="logistics.waybill",
        inverse_name="delivery_area_id",
        string="Waybills",
    )
    waybill_count = fields.Integer(compute="_compute_waybill_count")

    # ------------------------------------------------------------
    # COMPUTES AND CONSTRAINTS
    # ------------------------------------------------------------

    def _compute_waybill_count(self):
        counts = count_by(self, "logistics.waybill", "delivery_area_id")
        for area in self:
            area.waybill_count = counts.get(area, 0)

    @api.constrains("keywords")
    def _check_keywords(self):
        for area in self:
            if not delivery_core.parse_keywords(area.keywords):
                raise ValidationError(
                    self.env._(
                        "The delivery area %(area)s needs at least one keyword "
                        "(a street, estate, school or building name).",
                        area=area.name,
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_waybills(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_followup.logistics_waybill_action"
        )
        action["domain"] = [("delivery_area_id", "=", self.id)]
        action["context"] = {"default_delivery_area_id": self.id}
        return action

    def action_recompute_waybills(self):
        """Supervisors, after keywords changed: match again the open waybills
        of the areas' companies (all areas compete, not only these)."""
        self.check_access("write")
        waybills = (
            self.env["logistics.waybill"]
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "in", self.company_id.ids),
                    ("state", "not in", list(transit_core.FINAL_STATES)),
                ]
            )
        )
        changed = waybills._assign_delivery_areas()
        return client_notification(
            self.env._(
                "%(count)s open waybills moved to another delivery area.",
                count=changed,
            )
        )

    # ------------------------------------------------------------
    # MATCHING
    # ------------------------------------------------------------

    @api.model
    def _match(self, waybills):
        """``{waybill id: area}`` for ``waybills`` (an empty area when none
        matches), R-PP-2. Set-based: the active areas of the waybills'
        companies are read once and matched in Python, no query per waybill.
        """
        result = {}
        if not waybills:
            return result
        areas = self.sudo().search(
            [("company_id", "in", waybills.company_id.ids)], order="id"
        )
        by_company = {}
        for area in areas:
            by_company.setdefault(area.company_id.id, []).append(
                delivery_core.Area(
                    area.id,
                    delivery_core.parse_keywords(area.keywords),
                    province=area.province_id.name or None,
                    city=area.city or None,
                    district=area.district or None,
                )
            )
        for waybill in waybills:
            area_id = delivery_core.match_area(
                waybill.receiver_address, by_company.get(waybill.company_id.id, ())
            )
            result[waybill.id] = self.browse(area_id) if area_id else self.browse()
        return result
