# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import hmac
from datetime import timedelta

from odoo import api, fields, models, sql_db
from odoo.tools import SQL

from ..core import portal as portal_core

# first key of the advisory locks of the look-up throttle (the second one is
# taken from the client's key): "LFLK"
_LOCK_CLASS = 0x4C464C4B


class LogisticsTrackingLookup(models.Model):
    """A failed look-up on the public tracking page (R-PT-2).

    Kept to throttle clients that guess the phone digits of other people's
    parcels: a client with too many failures in the window, for one number
    or for all, is refused (:func:`core.portal.lookup_wait`). The client is
    stored as a keyed hash of its address, never the address itself (PIPL);
    the records are erased a day later by the daily auto-vacuum.
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
    def _throttled(self, address, number, find):
        """R-PT-2: ``(found, wait)``. ``wait`` (a timedelta) when the client
        at ``address`` is refused for ``number`` (``found`` is then an empty
        recordset and ``find`` is not called); else ``found = find()``, and
        an empty result is recorded as a failure.

        The check, the look-up and the record are one atomic step per client
        (issue 11 item 7): they run in a transaction of their own holding a
        transaction-level advisory lock on the client's key, at READ
        COMMITTED so that, once the lock is granted, the failures committed
        by the request that held it are counted. Concurrent look-ups of one
        client therefore queue up and the limits hold; other clients are not
        delayed.
        """
        client_key = self._client_key(address)
        # counted and stored normalised; "" when it cannot be a number
        number = portal_core.lookup_number(number) or ""
        # plain SQL on the cursor: an environment would look the registry up
        # again, under a lock other threads may hold
        with self.env.registry.cursor() as cr:
            if isinstance(cr, sql_db.Cursor):
                # the first statement of the transaction (not in tests, where
                # the cursor is a savepoint of the test's transaction)
                cr.execute(SQL("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"))
            cr.execute(
                SQL(
                    "SELECT pg_advisory_xact_lock(%s, %s)",
                    _LOCK_CLASS,
                    int(client_key[:7], 16),
                )
            )
            wait = self._wait(client_key, number, cr)
            if wait is not None:
                return self.env["logistics.waybill"].browse(), wait
            found = find()
            if not found:
                self._record_failure(client_key, number, cr)
            return found, None

    @api.model
    def _wait(self, client_key, number, cr=None):
        """``None`` when ``client_key`` may look up ``number`` now, else the
        wait (:func:`core.portal.lookup_wait`); read through ``cr`` (default:
        the environment's cursor)."""
        cr = cr or self.env.cr
        now = fields.Datetime.now()
        cr.execute(
            SQL(
                "SELECT create_date, number FROM logistics_tracking_lookup "
                "WHERE client_key = %s AND create_date > %s",
                client_key,
                now - portal_core.LOOKUP_WINDOW,
            )
        )
        return portal_core.lookup_wait(
            [(moment, failed or "") for moment, failed in cr.fetchall()],
            number,
            now,
        )

    @api.model
    def _record_failure(self, client_key, number, cr=None):
        """Record a failed look-up through ``cr`` (default: the
        environment's cursor)."""
        if cr is None:
            self.flush_model()
            cr = self.env.cr
        cr.execute(
            SQL(
                "INSERT INTO logistics_tracking_lookup (client_key, number, "
                "create_uid, create_date, write_uid, write_date) "
                "VALUES (%s, %s, %s, now() at time zone 'UTC', %s, "
                "now() at time zone 'UTC')",
                client_key,
                (number or "")[:64],
                self.env.uid,
                self.env.uid,
            )
        )
        if cr is self.env.cr:
            self.invalidate_model()

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
