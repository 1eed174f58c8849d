# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL

from ..core import problem as problem_core

_logger = logging.getLogger(__name__)

STALL_DAYS_PARAM = "logistics_followup.stall_days"
NO_FIRST_SCAN_HOURS_PARAM = "logistics_followup.no_first_scan_hours"
AT_STATION_HOURS_PARAM = "logistics_followup.at_station_hours"
DETECTION_BATCH = 5000


class LogisticsProblemDetection(models.AbstractModel):
    """Automatic detection of problem parcels from the tracking data.

    R-PP-5 (no first scan), R-PP-6 (stalled at one place, relaxed in peak
    periods), R-PP-7 (at the delivering station, not delivered) and R-PP-4
    (station message deadlines). Each rule is one indexed SELECT anti-joined
    with the open tickets; new findings become tickets in batches inserted by
    SQL and committed one by one, so a rerun after a crash goes on where the
    last committed batch ended. A finding on a waybill that already has an
    open ticket of the type is posted on that ticket, once per new finding.
    """

    _name = "logistics.problem.detection"
    _description = "Problem Parcel Detection"

    # ------------------------------------------------------------
    # RULES
    # ------------------------------------------------------------

    @api.model
    def _cutoffs(self, now=None):
        params = self.env["ir.config_parameter"].sudo()
        now = now or fields.Datetime.now()
        today = fields.Date.context_today(self, now)
        return problem_core.detection_cutoffs(
            now,
            periods=self.env["logistics.peak.period"]._core_periods(),
            stall_days=float(
                params.get_param(STALL_DAYS_PARAM, problem_core.DEFAULT_STALL_DAYS)
            ),
            no_first_scan_hours=float(
                params.get_param(
                    NO_FIRST_SCAN_HOURS_PARAM,
                    problem_core.DEFAULT_NO_FIRST_SCAN_HOURS,
                )
            ),
            at_station_hours=float(
                params.get_param(
                    AT_STATION_HOURS_PARAM, problem_core.DEFAULT_AT_STATION_HOURS
                )
            ),
            warning_hours=self.env["helpdesk.ticket"]._warning_hours(),
            today=today,
        )

    @api.model
    def _rule_sql(self, detection, cutoffs):
        """(predicate on waybill ``w``, finding key) of a waybill rule; the
        predicates mirror core.problem.is_stalled / has_no_first_scan /
        is_stuck_at_station and use the partial indexes of the waybill."""
        if detection == "stalled":
            return (
                SQL(
                    "((w.state IN ('picked_up', 'in_transit') "
                    "AND w.last_event_time < %(cut)s) "
                    "OR (w.tracking_stop_reason = 'no_change' "
                    "AND w.state NOT IN ('delivered', 'returned', 'lost')))",
                    cut=cutoffs.stalled_before,
                ),
                SQL("COALESCE(w.last_event_time::text, 'no_change')"),
            )
        if detection == "no_first_scan":
            return (
                SQL(
                    "((w.state = 'created' AND w.first_scan_time IS NULL "
                    "AND COALESCE(w.shipped_date, w.create_date) < %(cut)s) "
                    "OR (w.tracking_stop_reason = 'no_record' "
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
        return None

    # ------------------------------------------------------------
    # ENTRY POINTS
    # ------------------------------------------------------------

    @api.model
    def _cron_detect(self, batch=DETECTION_BATCH):
        return self._detect(batch=batch, commit=True)

    @api.model
    def action_detect_now(self):
        """The "Detect now" button: the same pass, in the user's transaction."""
        counts = self._detect(commit=False)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Problem parcel detection"),
                "message": self.env._(
                    "%(created)s new tickets, %(updated)s open tickets updated, "
                    "%(returned)s returns recorded.",
                    **counts,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _detect(self, batch=DETECTION_BATCH, commit=False, now=None):
        """One pass of every detection rule; returns the counts."""
        now = now or fields.Datetime.now()
        cutoffs = self._cutoffs(now)
        counts = {"created": 0, "updated": 0, "returned": 0}
        types = self.env["logistics.problem.type"].search([("detection", "!=", False)])
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
                    "AND t.problem_type_id = %(type)s AND t.logistics_open "
                    "AND t.waybill_id IS NOT NULL AND t.problem_type_id IS NOT NULL "
                    "WHERE w.active AND %(pred)s "
                    "AND (t.id IS NULL OR t.detection_key IS DISTINCT FROM %(key)s) "
                    "ORDER BY w.id LIMIT %(batch)s",
                    key=key,
                    pred=predicate,
                    type=ptype.id,
                    batch=batch,
                )
            )
            rows = self.env.cr.fetchall()
            new = [row[:5] for row in rows if not row[5]]
            if new:
                self._insert_tickets(ptype, new, now)
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
            ticket.message_post(
                body=self._finding_body(ptype, row[4]),
                subtype_xmlid="mail.mt_note",
            )
            ticket.sudo().write(
                {"detection_key": row[2], "detected_date": fields.Datetime.now()}
            )

    def _finding_body(self, ptype, place):
        text = {
            "stalled": self.env._("No new scan for too long at one place"),
            "no_first_scan": self.env._("No first scan since the waybill was created"),
            "at_station": self.env._(
                "At the delivering station and not delivered in time"
            ),
        }[ptype.detection]
        if place:
            text = self.env._(
                "%(finding)s (last place: %(place)s)", finding=text, place=place
            )
        return Markup("<p>%s</p>") % self.env._(
            "Detected automatically: %(finding)s.", finding=text
        )

    def _ticket_numbers(self, company_id, count):
        """``count`` ticket numbers of the helpdesk sequence in one query
        (standard sequences); other sequences number one by one."""
        Sequence = self.env["ir.sequence"].sudo().with_company(company_id)
        seq = Sequence.search(
            [
                ("code", "=", "helpdesk.ticket.sequence"),
                ("company_id", "in", [company_id, False]),
            ],
            order="company_id",
            limit=1,
        )
        if seq and seq.implementation == "standard" and not seq.use_date_range:
            self.env.cr.execute(
                SQL(
                    "SELECT nextval(%s) FROM generate_series(1, %s)",
                    f"ir_sequence_{seq.id:03d}",
                    count,
                )
            )
            # ir.sequence.get_next_char, its prefix and suffix computed once
            prefix, suffix = seq._get_prefix_suffix()
            return [
                f"{prefix}{n:0{seq.padding}d}{suffix}"
                for (n,) in self.env.cr.fetchall()
            ]
        return [
            Sequence.next_by_code("helpdesk.ticket.sequence") or "/"
            for _i in range(count)
        ]

    def _insert_tickets(self, ptype, rows, now):
        """INSERT the tickets of one batch and their checklists: three
        statements whatever the batch size, then the ORM computes the stored
        fields left out, as create() would."""
        Ticket = self.env["helpdesk.ticket"]
        lang = self.env.lang or "en_US"
        type_name = ptype.name
        by_company = {}
        for row in rows:
            by_company.setdefault(row[1], []).append(row)
        target = self.env["logistics.response.target"]
        deadline = (
            now + timedelta(hours=ptype.deadline_hours)
            if ptype.deadline_hours
            else None
        )
        ticket_ids = []
        for company_id, company_rows in by_company.items():
            company = self.env["res.company"].browse(company_id)
            stage = (
                self.env["helpdesk.ticket.team"]
                .with_company(company)
                ._get_applicable_stages()[:1]
            )
            target = self.env["logistics.response.target"]._pick(
                self.env["helpdesk.ticket.channel"],
                ptype.kind,
                self.env["helpdesk.ticket.category"],
                company,
            )
            response_due = now + timedelta(minutes=target.minutes) if target else None
            numbers = self._ticket_numbers(company_id, len(company_rows))
            names = [f"{type_name}: {r[3]}" for r in company_rows]
            bodies_by_place = {}  # a few hubs hold most findings
            bodies = [
                bodies_by_place.get(r[4])
                or bodies_by_place.setdefault(
                    r[4], str(self._finding_body(ptype, r[4]))
                )
                for r in company_rows
            ]
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO helpdesk_ticket (
                        number, name, description, stage_id, company_id,
                        waybill_id, problem_type_id, logistics_kind,
                        logistics_deadline, logistics_open, detected_date,
                        detection_key, partner_id, partner_name, partner_email,
                        sender_address, sender_phone, receiver_address,
                        receiver_phone, response_target_id,
                        first_response_deadline, response_breached, priority,
                        active, last_stage_update, commercial_partner_id,
                        unattended, user_id, team_id, create_uid, create_date,
                        write_uid, write_date)
                    SELECT n.number, n.name, n.body, %(stage)s, w.company_id,
                        w.id, %(type)s, %(kind)s, %(deadline)s, TRUE, %(now)s,
                        n.finding, p.id, p.name, p.email,
                        COALESCE(w.sender_address, sp.street),
                        COALESCE(w.sender_phone, sp.phone),
                        COALESCE(w.receiver_address, rp.street),
                        COALESCE(w.receiver_phone, rp.phone),
                        %(target)s, %(response_due)s, FALSE, '1',
                        TRUE, %(now)s, p.commercial_partner_id,
                        %(unattended)s, NULL, NULL,
                        %(uid)s, %(now)s, %(uid)s, %(now)s
                    FROM unnest(%(ids)s::int[], %(numbers)s::varchar[],
                                %(names)s::varchar[], %(bodies)s::text[],
                                %(findings)s::varchar[])
                         AS n(waybill_id, number, name, body, finding)
                    JOIN logistics_waybill w ON w.id = n.waybill_id
                    LEFT JOIN res_partner sp ON sp.id = w.sender_partner_id
                    LEFT JOIN res_partner rp ON rp.id = w.receiver_partner_id
                    -- the customer: core.problem.customer_side
                    LEFT JOIN res_partner p ON p.id = CASE
                        WHEN w.direction = 'outbound' THEN w.sender_partner_id
                        ELSE w.receiver_partner_id END
                    ON CONFLICT DO NOTHING
                    RETURNING id
                    """,
                    stage=stage.id or None,
                    unattended=stage.unattended,
                    type=ptype.id,
                    kind=ptype.kind,
                    deadline=deadline,
                    now=now,
                    target=target.id or None,
                    response_due=response_due,
                    uid=self.env.uid,
                    ids=[r[0] for r in company_rows],
                    numbers=numbers,
                    names=names,
                    bodies=bodies,
                    findings=[r[2] for r in company_rows],
                )
            )
            ticket_ids += [r[0] for r in self.env.cr.fetchall()]
        if not ticket_ids:
            return Ticket
        # the playbook copied as checklists: the steps read once, crossed
        # with the new ticket ids (no read of the ticket table)
        self.env.cr.execute(
            SQL(
                "INSERT INTO logistics_ticket_step (ticket_id, sequence, name, done) "
                "SELECT n.ticket_id, s.sequence, s.name, FALSE "
                "FROM unnest(%(ids)s::int[]) AS n(ticket_id) "
                "CROSS JOIN (SELECT sequence, "
                "COALESCE(name->>%(lang)s, name->>'en_US') AS name "
                "FROM logistics_problem_step WHERE problem_type_id = %(type)s) AS s",
                lang=lang,
                type=ptype.id,
                ids=ticket_ids,
            )
        )
        tickets = Ticket.browse(ticket_ids)
        inserted = {
            "number", "name", "description", "stage_id", "company_id", "waybill_id",
            "problem_type_id", "logistics_kind", "logistics_deadline",
            "logistics_open", "detected_date", "detection_key", "partner_id",
            "partner_name", "partner_email", "sender_address", "sender_phone",
            "receiver_address", "receiver_phone", "response_target_id",
            "first_response_deadline", "response_breached", "priority", "active",
            "last_stage_update", "commercial_partner_id", "unattended",
            # no team nor user: their computes and the team's properties
            # would give nothing
            "user_id", "team_id", "properties",
        }  # fmt: skip
        for name, field in Ticket._fields.items():
            if field.store and field.compute and name not in inserted:
                self.env.add_to_compute(field, tickets)
        tickets.flush_recordset()
        return tickets

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
                    deadline=escape(
                        fields.Datetime.to_string(ticket.logistics_deadline)
                    ),
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
