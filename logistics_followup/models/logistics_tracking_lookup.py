# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import hmac
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..core import portal as portal_core


class LogisticsTrackingLookup(models.Model):
    """A failed look-up on the public tracking page (R-PT-2).

    Kept to throttle clients that guess the phone digits of other people's
    parcels: a client with too many failures in the window is refused
    (:func:`core.portal.lookup_retry_after`). The client is stored as a keyed
    hash of its address, never the address itself (PIPL); the records are
    erased a day later by the daily auto-vacuum.
    """

    _name = "logistics.tracking.lookup"
    _description = "Failed Public Tracking Look-up"
    _order = "id desc"

    client_key = fields.Char(
        string="Client",
        required=True,
        readonly=True,
        help="Keyed hash of the client's network address.",
    )
    number = fields.Char(string="Waybill Number", readonly=True)

    # the throttling look-up, and the daily erasure
    _client_time_idx = models.Index("(client_key, create_date)")
    _create_date_idx = models.Index("(create_date)")

    @api.model
    def _client_key(self, address):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        digest = hmac.new(
            (secret or "").encode(), (address or "").encode(), hashlib.sha256
        )
        return digest.hexdigest()[:32]

    @api.model
    def _retry_after(self, client_key):
        """``None`` when ``client_key`` may look up now, else the wait."""
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                "SELECT create_date FROM logistics_tracking_lookup "
                "WHERE client_key = %s AND create_date > %s",
                client_key,
                now - portal_core.LOOKUP_WINDOW,
            )
        )
        return portal_core.lookup_retry_after(
            [moment for (moment,) in self.env.cr.fetchall()], now
        )

    @api.model
    def _record_failure(self, client_key, number):
        self.sudo().create({"client_key": client_key, "number": (number or "")[:64]})

    @api.autovacuum
    def _gc_failed_lookups(self):
        """Erase failed look-ups older than a day (they only matter for the
        throttling window)."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM logistics_tracking_lookup WHERE create_date < %s",
                fields.Datetime.now() - timedelta(days=1),
            )
        )
