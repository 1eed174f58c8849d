# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..core import transit as transit_core

TRANSPORT_MODE_SELECTION = [
    ("air", "Air"),
    ("land", "Land"),
    ("rail", "Rail"),
    ("sea", "Sea"),
]
ROUTE_CLASS_SELECTION = [
    ("same_city", "Same city"),
    ("same_province", "Same province"),
    ("cross_province", "Cross-province"),
]


class LogisticsTransitTime(models.Model):
    """Normal transit time (正常时效) of the parcels it matches (R-WB-4).

    Empty courier, service or transport mode match any value; the most
    specific norm wins (``core.transit.pick_norm``, mirrored in SQL by
    ``logistics.waybill._recompute_expected_dates``).
    """

    _name = "logistics.transit.time"
    _description = "Transit Time Norm"
    _order = "route_class, courier_id, service, transport_mode, id"

    courier_id = fields.Many2one(comodel_name="logistics.courier", ondelete="cascade")
    service = fields.Char()
    transport_mode = fields.Selection(selection=TRANSPORT_MODE_SELECTION)
    route_class = fields.Selection(selection=ROUTE_CLASS_SELECTION, required=True)
    hours = fields.Float(required=True)
    active = fields.Boolean(default=True)

    _hours_positive = models.Constraint(
        "CHECK(hours > 0)", "A transit time must be longer than zero hours."
    )

    @api.model
    def _install_default_norms(self):
        """The unverified defaults of ``core/transit.py`` when there is no
        norm at all; an administrator's norms are left alone."""
        if self.with_context(active_test=False).search_count([], limit=1):
            return self.browse()
        return self.create(
            [
                {"route_class": route, "hours": hours}
                for route, hours in transit_core.DEFAULT_HOURS.items()
            ]
        )
