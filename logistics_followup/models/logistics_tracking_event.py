# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import random
import time
from contextlib import closing
from datetime import datetime

import psycopg2
import psycopg2.errors

from odoo import api, fields, models, sql_db
from odoo.tools import SQL

from ..core import events as events_core
from ..core import notify as notify_core
from ..core import state as state_core
from ..core import status as status_core
from ..core import waybill as waybill_core
from .common import local_tz_name
from .logistics_waybill import SIGNED_BY_SELECTION, WAYBILL_STATE_SELECTION
from .pg_copy import copy_text
from .settings import get_setting

# what a concurrent ingest of the same waybills raises under REPEATABLE READ
CONCURRENCY_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.DeadlockDetected,
    psycopg2.errors.UniqueViolation,
)
#: attempts of the write step in a transaction of its own
INGEST_TRIES = 6
#: how long that transaction waits for a waybill's lock
INGEST_LOCK_TIMEOUT = "10s"


# A batch sends thousands of numbers and ids: psycopg2 adapts a Python list
# element by element into an ARRAY[...] literal that the server parses again;
# one text parameter split by the server is several times cheaper.
def _varchar_array(values):
    """SQL of the strings ``values`` as a ``varchar[]``: one comma-joined
    parameter split by ``string_to_array``, or the list itself when a value
    has a comma (or there is none)."""
    values = list(values)
    text = ",".join(values)
    if text and text.count(",") == len(values) - 1:
        return SQL("string_to_array(%s, ',')::varchar[]", text)
    return SQL("%s::varchar[]", values)


def _int_array(values):
    """SQL of the ints ``values`` as an ``int[]``: one array-literal
    parameter (the list itself for any other type of value)."""
    values = list(values)
    if all(type(value) is int for value in values):
        return SQL("%s::int[]", "{" + ",".join(map(str, values)) + "}")
    return SQL("%s::int[]", values)


class LogisticsTrackingEvent(models.Model):
    """One scan of a parcel's flow (快件流程): time, place, event, operator.

    R-WB-3. Events are written only through :meth:`ingest`, the one entry
    point of every source (manual entry, file import, webhooks, pull crons).
    """

    _name = "logistics.tracking.event"
    _description = "Tracking Event"
    _order = "event_time desc, state_rank desc, id desc"
    _rec_name = "description"
    # The big table of the addon, written only by ingest and never edited:
    # no create_uid/create_date/write_uid/write_date (two foreign keys to
    # check on every inserted row); ``source`` says where an event came from.
    _log_access = False

    waybill_id = fields.Many2one(
        comodel_name="logistics.waybill",
        required=True,
        ondelete="cascade",
        index=False,  # covered by the (waybill_id, event_time) index below
    )
    # no index of its own: events are always read through their waybill (the
    # index below), the company rule only narrows those rows
    company_id = fields.Many2one(comodel_name="res.company", required=True)
    event_time = fields.Datetime(required=True, string="Time")
    place = fields.Char()
    state = fields.Selection(
        selection=WAYBILL_STATE_SELECTION, required=True, string="Event"
    )
    state_rank = fields.Integer(required=True)
    signed_by = fields.Selection(selection=SIGNED_BY_SELECTION, string="How Signed")
    status_raw = fields.Char(string="Status as Received")
    description = fields.Char()
    operator = fields.Char()
    operator_phone = fields.Char()
    source = fields.Selection(
        selection=[
            ("manual", "Manual Entry"),
            ("import", "File Import"),
            ("webhook", "Courier Webhook"),
            ("kuaidi100", "Kuaidi100 Push"),
            ("pull", "Courier Pull"),
            ("api", "API"),
        ],
        required=True,
        default="api",
    )
    dedup_key = fields.Char(required=True, readonly=True)

    # an event once per company (the same parcel may be tracked by two
    # companies, each with its own waybill): also the look-up of
    # ingest's de-duplication before creating a waybill
    _dedup_key_uniq = models.Constraint(
        "UNIQUE(company_id, dedup_key)", "This tracking event was already recorded."
    )
    _waybill_time_idx = models.Index("(waybill_id, event_time DESC, state_rank DESC)")

    def init(self):
        # The big table of the addon: a bigint key (docs/scale-out.md).
        self.env.cr.execute(
            SQL(
                "SELECT data_type FROM information_schema.columns "
                "WHERE table_name = %s AND column_name = 'id'",
                self._table,
            )
        )
        row = self.env.cr.fetchone()
        if row and row[0] == "integer":
            self.env.cr.execute(
                SQL(
                    "ALTER TABLE %s ALTER COLUMN id TYPE bigint",
                    SQL.identifier(self._table),
                )
            )

    # ------------------------------------------------------------
    # INGESTION
    # ------------------------------------------------------------

    @api.model
    def ingest(self, rows, source="api", courier=None):
        """Record tracking events from any source (R-WB-3).

        :param rows: list of dicts ``{waybill, courier, time, place, status,
            description, operator, operator_phone}``; ``courier`` is a courier
            code and may be omitted when the number identifies the courier;
            ``time`` is ISO 8601 (naive: the company's timezone); ``status``
            is one of our states, a Kuaidi100 / AfterShip code or a Chinese
            status word.
        :param source: one of the ``source`` selection values
        :param courier: code of the courier the source speaks for (a
            courier's webhook): a row of any other courier, given or guessed
            from the number, is rejected (``courier_mismatch``)
        :returns: ``{"accepted": int, "duplicates": int, "rejected":
            [{"index": int, "reason": str}]}``

        Valid rows are kept even when others are rejected; the same rows
        again add nothing; the final state does not depend on the order in
        which events arrive. A bounded number of SQL statements per batch.

        Companies: a waybill is unique per number, courier and company, and
        an event per company and dedup key. A user (import, manual entry,
        RPC) reaches the waybills of his active companies only
        (``env.companies``): a number known only to another company is, for
        him, an unknown number (created in his current company, counted
        like any new one). The superuser (webhooks, Kuaidi100, pull crons)
        reaches every company: a courier's scan is a fact about the parcel
        and goes to every company's waybill of that number and courier; an
        unknown number is created in ``env.company``.

        Safe to call concurrently from anywhere (crons, jobs): the writes run
        in a savepoint; when a concurrent transaction wrote the same
        waybills first (serialization failure), they run again in a
        transaction of their own, committed, retried (see
        :meth:`_ingest_store_apart`), except under the context key
        ``logistics_ingest_dry_run`` (the import preview, rolled back by its
        caller), where the failure is raised.
        """
        self.check_access("create")
        if source not in dict(self._fields["source"].selection):
            source = "api"
        tz_name = local_tz_name(self.env)
        # normalize_row and key_for, with the lookups of the mapping and what
        # repeats in the batch computed once (same results)
        batch = events_core.RowBatch(
            tz_name=tz_name,
            mapping=self.env["logistics.status.mapping"]._get_mapping(),
            earliest=self._earliest_event_time(),
        )
        normalize = batch.normalize
        rejected = []
        parsed = []
        for index, row in enumerate(rows if isinstance(rows, list) else []):
            try:
                parsed.append((index, normalize(row)))
            except events_core.TrackingError as error:
                rejected.append((index, error.code, error.params))
        if not isinstance(rows, list):
            rejected.append((0, "not_a_list", {}))
        if courier:
            courier = str(courier).strip().upper()

        try:
            with self.env.cr.savepoint():
                accepted, duplicates, more_rejected = self._ingest_store(
                    parsed, source, batch.key, courier
                )
        except CONCURRENCY_ERRORS as error:
            if self.env.context.get("logistics_ingest_dry_run"):
                # a preview (rolled back): never commit in a cursor of its own
                raise
            try:
                accepted, duplicates, more_rejected = self._ingest_store_apart(
                    parsed, source, batch.key, courier
                )
            except psycopg2.errors.LockNotAvailable:
                # the caller's own transaction holds a lock on these
                # waybills: only its own retry (Odoo's HTTP layer) can help
                raise error from None
        rejected += more_rejected
        return {
            "accepted": accepted,
            "duplicates": duplicates,
            "rejected": [
                {"index": index, "reason": self._rejection_reason(code, params)}
                for index, code, params in sorted(rejected, key=lambda r: r[0])
            ],
        }

    def _ingest_store(self, parsed, source, key_for, courier=None):
        """The writes of :meth:`ingest`: waybills, events, recompute.
        Returns ``(accepted, duplicates, rejected)``."""
        resolved, rejected, dropped = self._ingest_resolve_waybills(
            parsed, key_for, courier
        )
        accepted, duplicates = self._ingest_insert(resolved, source, key_for)
        return accepted, duplicates + dropped, rejected

    def _ingest_store_apart(self, parsed, source, key_for, courier=None):
        """:meth:`_ingest_store` after a serialization failure: the caller's
        snapshot predates a concurrent commit on the same waybills and can
        never write them, so the step runs in a transaction of its own (a
        fresh snapshot), committed, retried with a random back-off. Events
        are idempotent (a replay adds nothing), so committing them ahead of
        the caller is safe; the caller's transaction keeps everything else.
        Its own cursor, not ``registry.cursor()``: the latter is the test
        cursor in test mode."""
        dbname = self.env.cr.dbname
        for attempt in range(INGEST_TRIES):
            try:
                with closing(sql_db.db_connect(dbname).cursor()) as cr:
                    # never wait forever on a lock the caller's own
                    # transaction holds (ingest then re-raises the
                    # caller's serialization failure)
                    cr.execute(SQL("SET LOCAL lock_timeout = %s", INGEST_LOCK_TIMEOUT))
                    result = self.with_env(self.env(cr=cr))._ingest_store(
                        parsed, source, key_for, courier
                    )
                    # its own transaction: the whole point of this step
                    cr.commit()  # pylint: disable=invalid-commit
            except CONCURRENCY_ERRORS:
                if attempt == INGEST_TRIES - 1:
                    raise
                time.sleep(random.uniform(0.0, 0.05 * 2**attempt))
                continue
            # the caller's cache may hold the waybills' old values
            self.env.invalidate_all()
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def _ingest_scope(self):
        """Companies whose waybills this call may reach: all for the
        superuser (machine sources), else the user's active companies."""
        return None if self.env.su else self.env.companies.ids

    def _ingest_resolve_waybills(self, parsed, key_for=None, courier=None):
        """Attach each parsed row to its waybills (one per company in scope,
        see :meth:`ingest`), creating unknown waybills when the setting
        allows it and the row adds an event. Returns ``([(index, row,
        waybill_id, company_id, courier_code)], rejected, dropped)`` where
        ``dropped`` counts the rows of unknown waybills that are already
        recorded (R-WB-3: after a courier correction, the old courier's row
        again creates nothing)."""
        if key_for is None:

            def key_for(row, courier_code):
                return row.key_for(courier_code)

        company_filter = self._ingest_company_filter()
        keyed, rejected = self._ingest_assign_couriers(parsed, courier, company_filter)
        pairs = sorted({(row.number, courier_id) for _i, row, _c, courier_id in keyed})
        ids = self._ingest_waybill_ids(pairs, company_filter)
        keyed, dropped = self._ingest_drop_recorded(keyed, ids, key_for)
        missing = sorted(
            {(row.number, courier_id) for _i, row, _c, courier_id in keyed} - set(ids)
        )
        if missing and self._ingest_creates_unknown():
            ids.update(self._ingest_create_waybills(missing, company_filter))
        resolved, unknown = self._ingest_attach(keyed, ids)
        return resolved, rejected + unknown, dropped

    def _ingest_company_filter(self):
        """SQL condition on ``w.company_id`` for :meth:`_ingest_scope`."""
        scope = self._ingest_scope()
        return SQL("") if scope is None else SQL("AND w.company_id = ANY(%s)", scope)

    def _ingest_creates_unknown(self):
        """Whether rows of unknown waybills create them (the setting)."""
        return get_setting(self.env, "ingest_unknown_waybill") != "reject"

    def _ingest_known_couriers(self, numbers, company_filter):
        """``{number: courier code}`` of the existing waybills of the
        ``numbers`` (rows without a courier; the oldest waybill decides)."""
        known = {}
        if numbers:
            self.env.cr.execute(
                SQL(
                    "SELECT w.number, c.code FROM logistics_waybill w "
                    "JOIN logistics_courier c ON c.id = w.courier_id "
                    "WHERE w.number = ANY(%s) %s ORDER BY w.id",
                    _varchar_array(numbers),
                    company_filter,
                )
            )
            for number, code in self.env.cr.fetchall():
                known.setdefault(number, code)
        return known

    def _ingest_assign_couriers(self, parsed, courier, company_filter):
        """The courier of each parsed row, its number checked against that
        courier's formats. A row without a courier takes the courier of an
        existing waybill with that number, else the most specific courier
        whose formats accept it. Returns ``([(index, row, courier_code,
        courier_id)], rejected)``."""
        couriers = self.env["logistics.courier"].sudo().search([])
        by_code = {record.code: record for record in couriers}
        # plain ids: no record attribute read per row
        id_by_code = {code: record.id for code, record in by_code.items()}
        rules = {record.code: record._get_number_rules() for record in couriers}
        known = self._ingest_known_couriers(
            {row.number for _i, row in parsed if not row.courier_code}, company_filter
        )
        rejected = []
        guessed = {}
        checked = {}  # (number, courier code): result, once per batch
        checkers = {}  # courier code: its rules prepared once per batch
        keyed = []
        for index, row in parsed:
            code = row.courier_code or known.get(row.number)
            if not code:
                if row.number not in guessed:
                    candidates = waybill_core.candidate_couriers(row.number, rules)
                    guessed[row.number] = candidates[0] if candidates else None
                code = guessed[row.number]
            if not code:
                rejected.append((index, "courier_undetermined", {"number": row.number}))
                continue
            if courier and code != courier:
                rejected.append(
                    (index, "courier_mismatch", {"courier": code, "expected": courier})
                )
                continue
            courier_id = id_by_code.get(code)
            if not courier_id:
                rejected.append((index, "courier_unknown", {"courier": code}))
                continue
            result = checked.get((row.number, code))
            if result is None:
                checker = checkers.get(code)
                if checker is None:
                    checker = checkers[code] = waybill_core.NumberChecker(rules[code])
                result = checked[row.number, code] = checker.validate(row.number)
            if not result.valid:
                message = by_code[code]._waybill_number_error(row.number, result)
                rejected.append((index, "waybill_format", {"message": message}))
                continue
            keyed.append((index, row, code, courier_id))
        return keyed, rejected

    def _ingest_drop_recorded(self, keyed, ids, key_for):
        """De-duplicate before creating: drop the rows of unknown waybills
        (not in ``ids``) whose event the creating company already has (under
        another courier since a correction). Returns ``(kept, dropped)``."""
        keys = {
            index: key_for(row, code)
            for index, row, code, courier_id in keyed
            if (row.number, courier_id) not in ids
        }
        if not keys:
            return keyed, 0
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT dedup_key FROM logistics_tracking_event "
                "WHERE company_id = %s AND dedup_key = ANY(%s)",
                self.env.company.id,
                _varchar_array(set(keys.values())),
            )
        )
        recorded = {key for (key,) in self.env.cr.fetchall()}
        if not recorded:
            return keyed, 0
        kept = [entry for entry in keyed if keys.get(entry[0]) not in recorded]
        return kept, len(keyed) - len(kept)

    @staticmethod
    def _ingest_attach(keyed, ids):
        """Each row once per waybill it reaches; ``waybill_unknown`` for the
        rows without one. Returns ``(resolved, rejected)``."""
        resolved = []
        rejected = []
        for index, row, code, courier_id in keyed:
            found = ids.get((row.number, courier_id))
            if not found:
                rejected.append((index, "waybill_unknown", {"number": row.number}))
                continue
            for waybill_id, company_id in found:
                resolved.append((index, row, waybill_id, company_id, code))
        return resolved, rejected

    def _ingest_waybill_ids(self, pairs, company_filter=None):
        """``{(number, courier_id): [(waybill_id, company_id)]}`` of the
        waybills of ``pairs`` (in the companies of ``company_filter``)."""
        if not pairs:
            return {}
        self.env.cr.execute(
            SQL(
                "SELECT w.number, w.courier_id, w.id, w.company_id "
                "FROM logistics_waybill w "
                "JOIN unnest(%s, %s) AS p(number, courier_id) "
                "ON p.number = w.number AND p.courier_id = w.courier_id "
                "WHERE TRUE %s ORDER BY w.id",
                _varchar_array(p[0] for p in pairs),
                _int_array(p[1] for p in pairs),
                company_filter or SQL(""),
            )
        )
        ids = {}
        for number, courier_id, waybill_id, company_id in self.env.cr.fetchall():
            ids.setdefault((number, courier_id), []).append((waybill_id, company_id))
        return ids

    def _ingest_create_waybills(self, pairs, company_filter=None):
        """Create the waybills of unknown numbers in the current company in
        one statement and return their ids as :meth:`_ingest_waybill_ids`
        does. A concurrent transaction creating the same ones is not an
        error: those (conflicts, not returned) are looked up."""
        self.env["logistics.waybill"].flush_model()
        self.env.cr.execute(
            SQL(
                "INSERT INTO logistics_waybill (number, courier_id, company_id, "
                "state, direction, active, create_uid, create_date, write_uid, "
                "write_date) "
                "SELECT p.number, p.courier_id, %(company)s, 'created', 'outbound', "
                "TRUE, %(uid)s, now() at time zone 'UTC', %(uid)s, "
                "now() at time zone 'UTC' "
                "FROM unnest(%(numbers)s, %(couriers)s) "
                "AS p(number, courier_id) "
                "ON CONFLICT (number, courier_id, company_id) DO NOTHING "
                "RETURNING number, courier_id, id, company_id",
                company=self.env.company.id,
                uid=self.env.uid,
                numbers=_varchar_array(p[0] for p in pairs),
                couriers=_int_array(p[1] for p in pairs),
            )
        )
        ids = {}
        for number, courier_id, waybill_id, company_id in self.env.cr.fetchall():
            ids[number, courier_id] = [(waybill_id, company_id)]
        conflicts = [pair for pair in pairs if pair not in ids]
        if conflicts:
            ids.update(self._ingest_waybill_ids(conflicts, company_filter))
        return ids

    def _ingest_insert(self, resolved, source, key_for=None):
        """Insert the events (ON CONFLICT on company and dedup key) and
        recompute the affected waybills. ``resolved`` holds ``(index, row,
        waybill_id, company_id, courier_code)``, a row once per waybill it
        reaches; ``key_for(row, courier_code)`` is the dedup key of a row
        (default: ``row.key_for(courier_code)``). Returns ``(accepted,
        duplicates)`` counted in rows: a row is accepted when one of its
        waybills got its event."""
        if not resolved:
            return 0, 0
        if key_for is None:

            def key_for(row, courier_code):
                return row.key_for(courier_code)

        rank = status_core.STATE_RANK
        seen = set()
        values = []  # one tuple per event, in the order of _INGEST_COLUMNS
        rows = set()
        for index, row, waybill_id, company_id, courier_code in resolved:
            rows.add(index)
            key = key_for(row, courier_code)
            if (company_id, key) in seen:
                continue
            seen.add((company_id, key))
            values.append(
                (
                    waybill_id,
                    company_id,
                    row.time,
                    row.place or None,
                    row.state,
                    rank[row.state],
                    row.signed_by,
                    row.status_raw or None,
                    row.description or None,
                    row.operator or None,
                    row.operator_phone or None,
                    key,
                )
            )
        waybill_ids = sorted({value[0] for value in values})
        self.flush_model()
        self.env["logistics.waybill"].flush_model()
        # lock the waybills in one order so that concurrent batches queue
        # instead of deadlocking
        self.env.cr.execute(
            SQL(
                "SELECT id FROM logistics_waybill WHERE id = ANY(%s) "
                "ORDER BY id FOR NO KEY UPDATE",
                _int_array(waybill_ids),
            )
        )
        self._ingest_insert_events(values, source)
        inserted = self.env.cr.fetchall()
        fresh = sorted({waybill_id for waybill_id, _key in inserted})
        accepted = len({key for _waybill_id, key in inserted})
        # a waybill's state derives from its events only: those that got no
        # new event (duplicates) cannot change
        self._recompute_waybills(fresh)
        # events that may decide a problem rule: the detection runs now (in
        # the transaction that did the writes, _ingest_store's)
        self.env["logistics.waybill"]._flag_for_detection(fresh)
        # milestones reached: the customers are told, after this transaction
        self._trigger_notifications(fresh)
        return accepted, len(rows) - accepted

    _INGEST_COLUMNS = (
        "waybill_id",
        "company_id",
        "event_time",
        "place",
        "state",
        "state_rank",
        "signed_by",
        "status_raw",
        "description",
        "operator",
        "operator_phone",
        "dedup_key",
    )

    def _ingest_insert_events(self, values, source):
        """``INSERT ... ON CONFLICT (company_id, dedup_key) DO NOTHING
        RETURNING waybill_id, dedup_key`` of the events ``values`` (tuples
        of ``_INGEST_COLUMNS``); the caller fetches the returned rows.

        The rows reach the server by ``COPY`` into a session-local staging
        table (cheaper to format and to parse than one array parameter per
        column), inside the transaction: the staging rows vanish with it and
        are emptied first, so a previous call of the same transaction left
        nothing behind. Text PostgreSQL cannot take (NUL, unpaired surrogates)
        goes the way of arrays instead, which fails as it always did.
        """
        cr = self.env.cr
        data = self._ingest_copy_data(values)
        if data is None:
            columns = {
                name: [value[position] for value in values]
                for position, name in enumerate(self._INGEST_COLUMNS)
            }
            cr.execute(
                SQL(
                    "INSERT INTO logistics_tracking_event (waybill_id, company_id, "
                    "event_time, place, state, state_rank, signed_by, status_raw, "
                    "description, operator, operator_phone, dedup_key, source) "
                    "SELECT e.*, %(source)s FROM unnest("
                    "%(waybill_id)s::int[], %(company_id)s::int[], "
                    "%(event_time)s::timestamp[], %(place)s::varchar[], "
                    "%(state)s::varchar[], %(state_rank)s::int[], "
                    "%(signed_by)s::varchar[], %(status_raw)s::varchar[], "
                    "%(description)s::varchar[], %(operator)s::varchar[], "
                    "%(operator_phone)s::varchar[], %(dedup_key)s::varchar[]) AS e "
                    "ON CONFLICT (company_id, dedup_key) DO NOTHING "
                    "RETURNING waybill_id, dedup_key",
                    source=source,
                    **columns,
                )
            )
            return
        cr.execute(
            SQL(
                "CREATE TEMPORARY TABLE IF NOT EXISTS logistics_tracking_event_stage "
                "(waybill_id int, company_id int, event_time timestamp, "
                "place varchar, state varchar, state_rank int, signed_by varchar, "
                "status_raw varchar, description varchar, operator varchar, "
                "operator_phone varchar, dedup_key varchar) "
                "ON COMMIT DELETE ROWS; "
                "DELETE FROM logistics_tracking_event_stage"
            )
        )
        # as odoo.orm.models does around copy_from: the wait callback of an
        # evented server does not support COPY
        callback = psycopg2.extensions.get_wait_callback()
        psycopg2.extensions.set_wait_callback(None)
        try:
            cr.copy_expert(
                "COPY logistics_tracking_event_stage FROM STDIN", io.BytesIO(data)
            )
        finally:
            psycopg2.extensions.set_wait_callback(callback)
        cr.execute(
            SQL(
                "INSERT INTO logistics_tracking_event (waybill_id, company_id, "
                "event_time, place, state, state_rank, signed_by, status_raw, "
                "description, operator, operator_phone, dedup_key, source) "
                "SELECT e.*, %(source)s FROM logistics_tracking_event_stage AS e "
                "ON CONFLICT (company_id, dedup_key) DO NOTHING "
                "RETURNING waybill_id, dedup_key",
                source=source,
            )
        )

    @staticmethod
    def _ingest_copy_data(values):
        """The rows in PostgreSQL's COPY text format, UTF-8; ``None`` when
        some text cannot be stored that way (NUL, unpaired surrogates)."""
        text = copy_text(values)
        if "\x00" in text:
            return None
        try:
            return text.encode()
        except UnicodeEncodeError:
            return None

    def _recompute_waybills(self, waybill_ids):
        """State and last event of the waybills, which just got new events,
        from their ordered events in one statement: the same order and
        arrival rule as ``core.state.derive_state``. New events clear the
        tracking-stop flag. In the same statement, their expected delivery
        dates (R-WB-4): only a first scan can move, so only those of unshipped
        waybills not set by hand, as ``_recompute_expected_dates(...,
        unshipped_only=True)`` computes them."""
        if not waybill_ids:
            return
        Waybill = self.env["logistics.waybill"]
        self.env["logistics.transit.time"].flush_model()
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_waybill w SET state = last.state, "
                "signed_by = CASE WHEN last.state = 'delivered' "
                "THEN last.signed_by END, "
                "last_event_time = last.event_time, "
                "last_event_place = last.place, "
                "first_scan_time = last.first_scan, "
                "arrival_date = last.arrival, "
                "tracking_stop_reason = NULL, "
                # a state changed to a milestone: the customer may be told
                "notify_pending = COALESCE(w.notify_pending, FALSE) OR (%(notify)s "
                "AND last.state IS DISTINCT FROM w.state "
                "AND last.state = ANY(%(milestones)s)), "
                # scanned before these events (core.notify.Parcel.seen)
                "notify_seen = COALESCE(w.notify_seen, FALSE) "
                "OR COALESCE(w.state, 'created') != 'created', "
                "expected_date = CASE WHEN w.shipped_date IS NULL "
                "AND NOT COALESCE(w.expected_date_manual, FALSE) "
                "THEN last.first_scan + make_interval(secs => %(hours)s * 3600) "
                "ELSE w.expected_date END, "
                "write_date = now() at time zone 'UTC' "
                # one scan and one sort of the events: the aggregates over
                # the whole waybill as window functions over the same order
                "FROM (SELECT DISTINCT ON (waybill_id) waybill_id, state, "
                "signed_by, event_time, place, "
                "min(event_time) FILTER (WHERE state != 'created') OVER byw "
                "AS first_scan, "
                "COALESCE(max(event_time) FILTER (WHERE state = 'at_station') "
                "OVER byw, "
                "min(event_time) FILTER (WHERE state = ANY(%(arrived)s)) OVER byw) "
                "AS arrival "
                "FROM logistics_tracking_event "
                "WHERE waybill_id = ANY(%(ids)s) "
                "WINDOW byw AS (PARTITION BY waybill_id "
                "ORDER BY event_time DESC, state_rank DESC, dedup_key DESC "
                "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) "
                "ORDER BY waybill_id, event_time DESC, state_rank DESC, "
                "dedup_key DESC) AS last "
                "WHERE w.id = last.waybill_id",
                ids=_int_array(waybill_ids),
                arrived=list(state_core.ARRIVED_STATES),
                hours=Waybill._norm_hours_sql("w"),
                milestones=list(notify_core.STATE_MILESTONES),
                notify=self.env["logistics.notification"]._enabled(),
            )
        )
        Waybill.invalidate_model(
            [
                "state",
                "signed_by",
                "last_event_time",
                "last_event_place",
                "first_scan_time",
                "arrival_date",
                "tracking_stop_reason",
                "expected_date",
                "notify_pending",
                "notify_seen",
            ]
        )
        self.invalidate_model()
        # arrival dates moved: due dates of signed receipts follow (R-RC-8)
        self.env["logistics.receipt"]._recompute_due_dates(waybill_ids)

    def _trigger_notifications(self, waybill_ids):
        """Trigger the notification dispatch when one of the waybills just
        recomputed reached a milestone (one indexed query)."""
        if not waybill_ids:
            return
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM logistics_waybill WHERE notify_pending "
                "AND id = ANY(%s) LIMIT 1",
                _int_array(waybill_ids),
            )
        )
        if self.env.cr.fetchone():
            self.env["logistics.notification"]._trigger_dispatch()

    @api.model
    def _earliest_event_time(self):
        """The earliest plausible event time (naive UTC) of the settings
        (issue 11 item 9; default ``core.events.EARLIEST_EVENT_TIME``)."""
        value = get_setting(self.env, "event_time_min")
        try:
            day = fields.Date.to_date(value) if value else None
        except ValueError:
            day = None
        if not day:
            return events_core.EARLIEST_EVENT_TIME
        return datetime.combine(day, datetime.min.time())

    def _rejection_reason(self, code, params):
        """The translated reason of a rejected row."""
        params = params or {}
        if code == "waybill_format":
            return params.get("message", "")
        reasons = {
            "not_a_list": self.env._("The rows must be a list."),
            "not_a_dict": self.env._("The row is not an object."),
            "unknown_field": self.env._(
                "Unknown field %(field)s.", field=params.get("field", "")
            ),
            "waybill_missing": self.env._("The waybill number is missing."),
            "waybill_invalid": self.env._(
                "The waybill number is not valid: only letters A-Z and digits, 6 to "
                "32 characters."
            ),
            "courier_invalid": self.env._("The courier code is not valid."),
            "courier_unknown": self.env._(
                "Unknown courier %(courier)s.", courier=params.get("courier", "")
            ),
            "courier_mismatch": self.env._(
                "This source only sends events of courier %(expected)s, not of "
                "%(courier)s.",
                expected=params.get("expected", ""),
                courier=params.get("courier", ""),
            ),
            "courier_undetermined": self.env._(
                "No courier is given and none of the couriers' formats matches "
                "%(number)s.",
                number=params.get("number", ""),
            ),
            "waybill_unknown": self.env._(
                "Waybill %(number)s is unknown, and unknown waybills are not "
                "created (Settings).",
                number=params.get("number", ""),
            ),
            "time": self.env._(
                "The time is missing or not ISO 8601, e.g. 2026-11-11T08:30:00+08:00."
            ),
            "time_future": self.env._("The time is more than a day in the future."),
            "time_past": self.env._(
                "The time is before %(earliest)s: not a plausible scan date.",
                earliest=fields.Date.to_string(self._earliest_event_time()),
            ),
            "text_invalid": self.env._(
                "The field %(field)s holds characters that cannot be stored (a NUL "
                "character or an invalid Unicode sequence).",
                field=params.get("field", ""),
            ),
            "timezone": self.env._(
                "The company's timezone %(tz)s is unknown: fix it on the company's "
                "address.",
                tz=params.get("tz_name", ""),
            ),
            "status_missing": self.env._("The status is missing."),
            "status": self.env._(
                "Unknown status %(status)s: add it to the status mappings.",
                status=params.get("status", ""),
            ),
            "too_long": self.env._(
                "The field %(field)s is longer than %(max)s characters.",
                field=params.get("field", ""),
                max=params.get("max", ""),
            ),
            "type": self.env._(
                "The field %(field)s must be text.", field=params.get("field", "")
            ),
        }
        return reasons.get(code) or code
