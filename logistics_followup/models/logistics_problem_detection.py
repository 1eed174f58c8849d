# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL

from ..core import problem as problem_core
from ..core import ticketing as ticketing_core
from ..core import transit as transit_core
from .common import format_local, trigger_cron
from .settings import get_setting

_logger = logging.getLogger(__name__)

DETECTION_BATCH = 5000


class LogisticsProblemDetection(models.AbstractModel):
    """Automatic detection of problem parcels from the tracking data.

    R-PP-5 (no first scan), R-PP-6 (stalled at one place, relaxed in peak
    periods), R-PP-7 (at the delivering station, not delivered) and R-PP-4
    (station message deadlines), decided by time passing, run hourly over
    all waybills; the rules decided by an event (exception scan, return,
    loss, signed by someone else while chased: ``core.ticketing``) run for
    the waybills the ingestion flagged (``detection_pending``), within a
    minute through the cron trigger the ingestion pulls. Each rule is one
    indexed SELECT anti-joined with the open tickets; new findings become
    tickets through ``helpdesk.ticket._logistics_request`` (the ORM's batch
    create: numbering, team, balanced assignee, followers, messages), in
    batches committed one by one, so a rerun after a crash goes on where the
    last committed batch ended. A finding on a waybill that already has an
    open ticket of the type is posted on that ticket, once per new finding.
    Everything written on a ticket is in the company's language.
    """

    _name = "logistics.problem.detection"
    _description = "Problem Parcel Detection"

    # ------------------------------------------------------------
    # RULES
    # ------------------------------------------------------------

    @api.model
    def _cutoffs(self, now=None):
        now = now or fields.Datetime.now()
        today = fields.Date.context_today(self, now)
        return problem_core.detection_cutoffs(
            now,
            periods=self.env["logistics.peak.period"]._core_periods(),
            stall_days=get_setting(self.env, "stall_days"),
            no_first_scan_hours=get_setting(self.env, "no_first_scan_hours"),
            at_station_hours=get_setting(self.env, "at_station_hours"),
            warning_hours=self.env["helpdesk.ticket"]._warning_hours(),
            today=today,
        )

    @api.model
    def _rule_sql(self, detection, cutoffs):
        """(predicate on waybill ``w``, finding key) of a waybill rule; the
        predicates are core.problem.is_stalled / has_no_first_scan /
        is_stuck_at_station (tracking stops included; a property test,
        ``tests/test_rules_sql.py``, runs both on the same waybills) and
        core.ticketing.event_detection, and use the partial indexes of the
        waybill."""
        final = list(transit_core.FINAL_STATES)
        if detection == "stalled":
            return (
                SQL(
                    "((w.state IN ('picked_up', 'in_transit') "
                    "AND w.last_event_time < %(cut)s) "
                    "OR ((w.tracking_stop_reason = 'no_change' "
                    "OR (w.tracking_stop_reason = 'aborted' "
                    "AND w.first_scan_time IS NOT NULL)) "
                    "AND w.state != ALL(%(final)s)))",
                    cut=cutoffs.stalled_before,
                    final=final,
                ),
                SQL("COALESCE(w.last_event_time::text, 'no_change')"),
            )
        if detection == "no_first_scan":
            return (
                SQL(
                    "((w.state = 'created' AND w.first_scan_time IS NULL "
                    "AND COALESCE(w.shipped_date, w.create_date) < %(cut)s) "
                    "OR (w.tracking_stop_reason IN ('no_record', 'aborted') "
                    "AND w.first_scan_time IS NULL))",
                    cut=cutoffs.no_first_scan_before,
                ),
                SQL("'no_first_scan'"),
            )
        if detection == "at_station":
            return (
                SQL(
                    "(w.state IN ('at_station', 'out_for_delivery') "
                    "AND w.arrival_date < %(cut)s)",
                    cut=cutoffs.at_station_before,
                ),
                SQL("w.arrival_date::text"),
            )
        return self._event_rule_sql(detection)

    @api.model
    def _event_rule_sql(self, detection):
        """The rules decided by an event (core.ticketing.event_detection):
        only for the waybills the ingestion flagged."""
        if detection == "exception_scan":
            return (
                SQL("(w.state = 'exception')"),
                SQL("'exception:' || COALESCE(w.last_event_time::text, '')"),
            )
        if detection == "returned":
            return SQL("(w.state IN ('returning', 'returned'))"), SQL("'returned'")
        if detection == "lost":
            return SQL("(w.state = 'lost')"), SQL("'lost'")
        if detection == "signed_other":
            return (
                SQL(
                    "(w.state = 'delivered' AND w.signed_by = ANY(%(others)s) "
                    "AND EXISTS (SELECT 1 FROM helpdesk_ticket c "
                    "WHERE c.waybill_id = w.id AND c.logistics_open "
                    "AND c.logistics_kind IN ('delivery_chase', 'outbound_chase')))",
                    others=list(ticketing_core.SIGNED_BY_OTHERS),
                ),
                SQL("'signed_other'"),
            )
        return None

    # ------------------------------------------------------------
    # ENTRY POINTS
    # ------------------------------------------------------------

    @api.model
    def _cron_detect(self, batch=DETECTION_BATCH):
        return self._detect(batch=batch, commit=True)

    @api.model
    def _cron_detect_events(self, batch=DETECTION_BATCH):
        """Triggered by the ingestion (``ir.cron._trigger``): every rule for
        the waybills flagged since the last run."""
        return self._detect_pending(batch=batch, commit=True)

    @api.model
    def action_detect_now(self):
        """The "Detect now" menu (supervisors): the same pass, in the user's
        transaction."""
        counts = self._detect(commit=False)
        return self.env["helpdesk.ticket"]._notify_action(
            self.env._(
                "%(created)s new tickets, %(updated)s open tickets updated, "
                "%(returned)s returns recorded.",
                **counts,
            ),
            title=self.env._("Problem parcel detection"),
        )

    @api.model
    def _trigger_events(self):
        """Run the event-driven pass as soon as a cron worker is free."""
        trigger_cron(self.env, "logistics_followup.ir_cron_detect_events")

    @api.model
    def _detect(self, batch=DETECTION_BATCH, commit=False, now=None):
        """One pass of every time rule over all waybills, and of the event
        rules over the flagged waybills; returns the counts."""
        counts = self._detect_pending(batch=batch, commit=commit, now=now)
        now = now or fields.Datetime.now()
        cutoffs = self._cutoffs(now)
        types = self.env["logistics.problem.type"].search(
            [
                ("detection", "!=", False),
                ("detection", "not in", list(ticketing_core.EVENT_DETECTIONS)),
            ]
        )
        for ptype in types:
            rule = self._rule_sql(ptype.detection, cutoffs)
            if rule:
                created, updated = self._apply_rule(
                    ptype, *rule, now=now, batch=batch, commit=commit
                )
                counts["created"] += created
                counts["updated"] += updated
            elif ptype.detection == "station_message":
                counts["returned"] += self._station_message_deadlines(
                    ptype, cutoffs, now
                )
            if commit:
                self.env["ir.cron"]._commit_progress()
        self.env["helpdesk.ticket"]._cron_flag_response_breaches()
        _logger.info("problem detection: %s", counts)
        return counts

    @api.model
    def _detect_pending(self, batch=DETECTION_BATCH, commit=False, now=None):
        """Every waybill rule for the waybills flagged by the ingestion,
        ``batch`` waybills at a time (locked, skipped by a concurrent run),
        then their flag cleared."""
        now = now or fields.Datetime.now()
        cutoffs = self._cutoffs(now)
        counts = {"created": 0, "updated": 0, "returned": 0}
        types = self.env["logistics.problem.type"].search([("detection", "!=", False)])
        rules = [(t, self._rule_sql(t.detection, cutoffs)) for t in types]
        rules = [(t, rule) for t, rule in rules if rule]
        Waybill = self.env["logistics.waybill"]
        while True:
            Waybill.flush_model(["detection_pending"])
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM logistics_waybill WHERE detection_pending "
                    "ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                    batch,
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            if not ids:
                return counts
            for ptype, (predicate, key) in rules:
                created, updated = self._apply_rule(
                    ptype,
                    SQL("(w.id = ANY(%s) AND %s)", ids, predicate),
                    key,
                    now=now,
                    batch=batch,
                    commit=False,
                )
                counts["created"] += created
                counts["updated"] += updated
            self.env.cr.execute(
                SQL(
                    "UPDATE logistics_waybill SET detection_pending = FALSE "
                    "WHERE id = ANY(%s)",
                    ids,
                )
            )
            Waybill.invalidate_model(["detection_pending"])
            if commit:
                self.env["ir.cron"]._commit_progress(len(ids))

    # ------------------------------------------------------------
    # WAYBILL RULES
    # ------------------------------------------------------------

    def _apply_rule(self, ptype, predicate, key, now, batch, commit):
        """One rule, ``batch`` findings at a time: one indexed SELECT of the
        waybills it flags, left-joined with their open ticket of the type.
        Without one, the finding becomes a ticket; with one whose finding
        differs (e.g. stalled again at another place), it is posted on that
        ticket; otherwise nothing (the hourly rerun). Returns (created,
        updated)."""
        created = updated = 0
        while True:
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "SELECT w.id, w.company_id, %(key)s, w.number, "
                    "w.last_event_place, t.id FROM logistics_waybill w "
                    "LEFT JOIN helpdesk_ticket t ON t.waybill_id = w.id "
                    "AND t.logistics_slot = %(slot)s AND t.logistics_open "
                    "AND t.waybill_id IS NOT NULL AND t.logistics_slot IS NOT NULL "
                    "WHERE w.active AND %(pred)s "
                    "AND (t.id IS NULL OR t.detection_key IS DISTINCT FROM %(key)s) "
                    # an event already handled (a closed ticket with the same
                    # finding) does not open a ticket again
                    "AND (t.id IS NOT NULL OR NOT %(sticky)s OR NOT EXISTS ("
                    "SELECT 1 FROM helpdesk_ticket c WHERE c.waybill_id = w.id "
                    "AND c.problem_type_id = %(type)s "
                    "AND c.detection_key = %(key)s)) "
                    "ORDER BY w.id LIMIT %(batch)s",
                    key=key,
                    pred=predicate,
                    type=ptype.id,
                    slot=ticketing_core.slot(ptype.id, ptype.kind),
                    sticky=ptype.detection in ticketing_core.EVENT_DETECTIONS,
                    batch=batch,
                )
            )
            rows = self.env.cr.fetchall()
            new = [row[:5] for row in rows if not row[5]]
            if new:
                self._open_tickets(ptype, new, now)
            self._post_findings(ptype, [row for row in rows if row[5]])
            created += len(new)
            updated += len(rows) - len(new)
            if commit and rows:
                self.env["ir.cron"]._commit_progress(len(rows))
            if len(rows) < batch:
                return created, updated

    def _post_findings(self, ptype, rows):
        """New findings on waybills whose ticket is still open: posted on
        it, never a second ticket."""
        tickets = self.env["helpdesk.ticket"].browse([row[5] for row in rows])
        for ticket, row in zip(tickets, rows, strict=True):
            in_lang = self._in_company_lang(ticket.company_id)
            ticket.message_post(
                body=in_lang._finding_body(ptype.with_env(in_lang.env), row[4]),
                subtype_xmlid="mail.mt_note",
            )
            ticket.sudo().write(
                {"detection_key": row[2], "detected_date": fields.Datetime.now()}
            )

    def _in_company_lang(self, company):
        """This model in the company's language (its partner's), in which the
        system writes on its tickets."""
        return self.with_context(lang=company.partner_id.lang or "en_US")

    def _finding_body(self, ptype, place):
        text = {
            "stalled": self.env._("No new scan for too long at one place"),
            "no_first_scan": self.env._("No first scan since the waybill was created"),
            "at_station": self.env._(
                "At the delivering station and not delivered in time"
            ),
            "exception_scan": self.env._("The courier scanned an exception"),
            "returned": self.env._("The parcel is being returned"),
            "lost": self.env._("The parcel was declared lost"),
            "signed_other": self.env._(
                "Signed by someone else while the customer chases it"
            ),
        }[ptype.detection]
        if place:
            text = self.env._(
                "%(finding)s (last place: %(place)s)", finding=text, place=place
            )
        return Markup("<p>%s</p>") % self.env._(
            "Detected automatically: %(finding)s.", finding=text
        )

    def _open_tickets(self, ptype, rows, now):
        """The tickets of one batch of new findings ``(waybill id, company
        id, finding key, number, last place)``, through the one creation
        path (``helpdesk.ticket._logistics_request``): titles, descriptions
        and checklists in each company's language."""
        Ticket = self.env["helpdesk.ticket"]
        by_company = {}
        for row in rows:
            by_company.setdefault(row[1], []).append(row)
        requests = []
        for company_id, company_rows in by_company.items():
            in_lang = self._in_company_lang(self.env["res.company"].browse(company_id))
            type_in_lang = ptype.with_env(in_lang.env)
            bodies = {}  # a few hubs hold most findings
            for waybill_id, _company, finding, number, place in company_rows:
                if place not in bodies:
                    bodies[place] = in_lang._finding_body(type_in_lang, place)
                requests.append(
                    {
                        "vals": {
                            "name": f"{type_in_lang.name}: {number}",
                            "description": bodies[place],
                            "waybill_id": waybill_id,
                            "company_id": company_id,
                            "problem_type_id": ptype.id,
                            "detected_date": now,
                            "detection_key": finding,
                            "priority": "1",
                        },
                        "lang": in_lang.env.lang,
                    }
                )
        # the type's checklist in the company's language: create() reads the
        # step names in the context's language
        created = Ticket.browse()
        for lang in sorted({r["lang"] for r in requests}):
            results = Ticket.with_context(lang=lang)._logistics_request(
                [r for r in requests if r["lang"] == lang]
            )
            created |= Ticket.browse([ticket.id for ticket, new in results if new])
        return created

    # ------------------------------------------------------------
    # R-PP-4 STATION MESSAGES
    # ------------------------------------------------------------

    def _station_message_deadlines(self, ptype, cutoffs, now):
        """R-PP-4: warn before a type-1 message's deadline, record the
        return ("逾期未处理好的, 会退回") once it has passed."""
        Ticket = self.env["helpdesk.ticket"]
        base = [
            ("problem_type_id", "=", ptype.id),
            ("logistics_open", "=", True),
            ("parcel_returned_date", "=", False),
            ("logistics_deadline", "!=", False),
        ]
        overdue = Ticket.search([*base, ("logistics_deadline", "<=", now)])
        for ticket in overdue:
            ticket.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "The deadline of the station's message passed on %(deadline)s: "
                    "the parcel is returned to the sender.",
                    deadline=escape(format_local(self.env, ticket.logistics_deadline)),
                ),
                subtype_xmlid="mail.mt_note",
            )
        overdue.sudo().write({"parcel_returned_date": now})
        warned = Ticket.search(
            [
                *base,
                ("logistics_deadline", ">", now),
                ("logistics_deadline", "<=", cutoffs.message_warning_before),
                ("detection_key", "!=", "warned"),
            ]
        )
        for ticket in warned:
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(
                    ticket, ticket.logistics_deadline
                ),
                summary=self.env._("Station message due soon"),
                note=self.env._(
                    "The destination returns the parcel if the message is not "
                    "handled by the deadline: contact the sender and the receiver."
                ),
                user_id=ticket.user_id.id or self.env.uid,
            )
        warned.sudo().write({"detection_key": "warned"})
        return len(overdue)
