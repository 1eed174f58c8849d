# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL, email_normalize

from ..core import notify as notify_core
from ..core import transit as transit_core
from .common import local_tz_name, trigger_cron
from .logistics_notification_milestone import MILESTONE_SELECTION
from .settings import get_setting

_logger = logging.getLogger(__name__)

DISPATCH_BATCH = 2000
NOTIFICATION_CHANNEL_SELECTION = [("email", "E-mail"), ("sms", "SMS")]
NOTIFICATION_STATE_SELECTION = [
    ("queued", "Queued"),
    ("held", "Held for the Morning"),
    ("skipped", "Skipped"),
]
SKIP_SELECTION = [
    ("opted_out", "Opted out"),
    ("muted", "Unfollowed the parcel"),
    ("no_address", "No e-mail or phone"),
    ("blacklisted", "Address blacklisted or bouncing"),
]


class LogisticsNotification(models.Model):
    """The notification ledger (R-PT-1, R-RP-1, R-WB-5): one row per waybill,
    milestone key, partner and channel, whatever feed brought the events and
    however often, so a customer is told once per change.

    The ingestion flags the waybills whose state changed to a milestone
    (``logistics.waybill.notify_pending``, set in its recompute statement) and
    triggers the dispatch; the dispatch decides the due milestones with
    ``core.notify.due``, inserts the ledger rows ``ON CONFLICT DO NOTHING``
    (what is already there was already told) and queues what it inserted in
    Odoo's mail and SMS queues, through their ORM ``create``.
    """

    _name = "logistics.notification"
    _description = "Parcel Notification"
    _order = "id desc"
    _log_access = False

    create_date = fields.Datetime(
        string="Decided On", readonly=True, default=fields.Datetime.now, index=True
    )
    waybill_id = fields.Many2one(
        "logistics.waybill", readonly=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(
        "res.partner", readonly=True, required=True, ondelete="cascade", index=True
    )
    milestone = fields.Selection(
        [*MILESTONE_SELECTION, ("digest", "Daily arrival feedback")], readonly=True
    )
    key = fields.Char(readonly=True, required=True)
    channel = fields.Selection(
        NOTIFICATION_CHANNEL_SELECTION, readonly=True, required=True
    )
    state = fields.Selection(NOTIFICATION_STATE_SELECTION, readonly=True, required=True)
    skip_reason = fields.Selection(SKIP_SELECTION, readonly=True)
    send_after = fields.Datetime(readonly=True)
    mail_id = fields.Many2one("mail.mail", readonly=True, ondelete="set null")
    company_id = fields.Many2one("res.company", readonly=True, required=True)

    _ledger_uniq = models.UniqueIndex(
        "(COALESCE(waybill_id, 0), partner_id, key, channel)",
        "This customer was already told of this change.",
    )
    _held_idx = models.Index("(send_after) WHERE state = 'held'")

    # ------------------------------------------------------------
    # ENTRY POINTS
    # ------------------------------------------------------------

    @api.model
    def _trigger_dispatch(self):
        trigger_cron(self.env, "logistics_followup.ir_cron_notify_dispatch")

    @api.model
    def _cron_dispatch(self, batch=DISPATCH_BATCH):
        """Triggered by the ingestion; hourly it also flags the parcels whose
        expected day passed and releases the SMS held overnight."""
        self._flag_expected_missed()
        counts = self._dispatch(batch=batch, commit=True)
        counts["released"] = self._release_held()
        return counts

    @api.model
    def _enabled(self):
        """Customer notifications are on unless switched off in the settings
        (then the ingestion flags nothing)."""
        return get_setting(self.env, "notify_enabled")

    def _max_age(self):
        return timedelta(days=get_setting(self.env, "notify_max_age_days"))

    @api.model
    def _flag_expected_missed(self, now=None):
        """Parcels whose expected delivery passed in the last day and that
        still travel are looked at again (the ledger tells them once)."""
        now = now or fields.Datetime.now()
        self.env["logistics.waybill"].flush_model()
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_waybill SET notify_pending = TRUE "
                "WHERE state != ALL(%(final)s) AND expected_date < %(now)s "
                "AND expected_date >= %(since)s "
                "AND NOT COALESCE(notify_pending, FALSE)",
                final=list(transit_core.FINAL_STATES),
                now=now,
                since=now - timedelta(days=1),
            )
        )
        self.env["logistics.waybill"].invalidate_model(["notify_pending"])
        return self.env.cr.rowcount

    # ------------------------------------------------------------
    # DISPATCH
    # ------------------------------------------------------------

    @api.model
    def _dispatch(self, batch=DISPATCH_BATCH, commit=False, now=None):
        """The flagged waybills, ``batch`` at a time (locked; a concurrent run
        skips them): their due milestones told once to whom they concern."""
        now = now or fields.Datetime.now()
        max_age = self._max_age()
        counts = {"queued": 0, "held": 0, "skipped": 0}
        Waybill = self.env["logistics.waybill"]
        while True:
            Waybill.flush_model()
            self.env.cr.execute(
                SQL(
                    "SELECT id, company_id, state, signed_by, last_event_time, "
                    "expected_date, notify_expected_date, "
                    "COALESCE(notify_seen, FALSE), sender_partner_id, "
                    "receiver_partner_id FROM logistics_waybill "
                    "WHERE notify_pending ORDER BY id LIMIT %s "
                    "FOR UPDATE SKIP LOCKED",
                    batch,
                )
            )
            rows = self.env.cr.fetchall()
            if not rows:
                return counts
            for name, value in self._dispatch_rows(rows, now, max_age).items():
                counts[name] += value
            if commit:
                self.env["ir.cron"]._commit_progress(len(rows))

    def _dispatch_rows(self, rows, now, max_age):
        milestones_of = {}  # company id: {code: milestone}
        wanted = []  # (waybill id, company id, key, partner id, milestone)
        told = []  # (waybill id, expected date customers now know of)
        for (
            waybill_id,
            company_id,
            state,
            signed_by,
            last_event,
            expected,
            told_expected,
            seen,
            sender,
            receiver,
        ) in rows:
            parcel = notify_core.Parcel(
                state=state,
                signed_by=signed_by,
                last_event_time=last_event,
                expected=expected,
                told_expected=told_expected,
                seen=seen,
            )
            keys = notify_core.due(parcel, now, max_age)
            if not told_expected or any(k.startswith("expected_revised") for k in keys):
                told.append((waybill_id, expected))
            if company_id not in milestones_of:
                milestones_of[company_id] = self.env[
                    "logistics.notification.milestone"
                ]._for_company(self.env["res.company"].browse(company_id))
            for key in keys:
                milestone = milestones_of[company_id].get(
                    notify_core.key_milestone(key)
                )
                if not milestone or not milestone.active:
                    continue
                sides = {"sender": sender, "receiver": receiver}
                for side in milestone._sides():
                    if sides[side]:
                        wanted.append(
                            (waybill_id, company_id, key, sides[side], milestone)
                        )
        counts = self._record(wanted, now)
        ids = [row[0] for row in rows]
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_waybill w SET notify_pending = FALSE, "
                "notify_seen = TRUE, notify_expected_date = COALESCE(t.expected, "
                "w.notify_expected_date) FROM unnest(%(ids)s::int[]) AS i(id) "
                "LEFT JOIN unnest(%(told_ids)s::int[], %(told)s::timestamp[]) "
                "AS t(id, expected) ON t.id = i.id WHERE w.id = i.id",
                ids=ids,
                told_ids=[t[0] for t in told],
                told=[t[1] for t in told],
            )
        )
        self.env["logistics.waybill"].invalidate_model(
            ["notify_pending", "notify_seen", "notify_expected_date"]
        )
        return counts

    def _record(self, wanted, now):
        """The ledger rows of ``wanted`` recipients, each channel of its
        milestone: skipped ones with their reason; the others queued (or held
        for the morning, SMS) and sent to Odoo's queues."""
        counts = {"queued": 0, "held": 0, "skipped": 0}
        if not wanted:
            return counts
        partners = self.env["res.partner"].sudo().browse({w[3] for w in wanted})
        waybills = self.env["logistics.waybill"].sudo().browse({w[0] for w in wanted})
        opt_in = partners._logistics_notify_choices()
        muted = waybills._notify_muted()
        blacklisted = self._blacklisted(partners)
        values = []
        for waybill_id, company_id, key, partner_id, milestone in wanted:
            partner = partners.browse(partner_id)
            code = milestone.code
            reason = None
            if not opt_in.get((partner_id, code), milestone.default_opt_in):
                reason = "opted_out"
            elif (waybill_id, partner_id) in muted:
                reason = "muted"
            for channel, on in (
                ("email", milestone.by_email),
                ("sms", milestone.by_sms),
            ):
                if not on:
                    continue
                address = partner.email if channel == "email" else partner.phone
                state, why, after = "queued", reason, None
                if not why and not address:
                    why = "no_address"
                elif not why and channel == "email" and partner_id in blacklisted:
                    why = "blacklisted"
                if why:
                    state = "skipped"
                elif channel == "sms":
                    after = self._sms_release(partner, now)
                    state = "held" if after > now else "queued"
                values.append(
                    (waybill_id, partner_id, code, key, channel, state, why, after,
                     company_id)
                )  # fmt: skip
        if not values:
            return counts
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "INSERT INTO logistics_notification (waybill_id, partner_id, "
                "milestone, key, channel, state, skip_reason, send_after, "
                "company_id, create_date) "
                "SELECT v.w, v.p, v.m, v.k, v.c, v.s, v.r, v.a, v.co, %(now)s "
                "FROM unnest(%(w)s::int[], %(p)s::int[], %(m)s::varchar[], "
                "%(k)s::varchar[], %(c)s::varchar[], %(s)s::varchar[], "
                "%(r)s::varchar[], %(a)s::timestamp[], %(co)s::int[]) "
                "AS v(w, p, m, k, c, s, r, a, co) "
                "ON CONFLICT DO NOTHING RETURNING id, state",
                now=now,
                **{
                    name: [v[i] for v in values]
                    for i, name in enumerate(
                        ("w", "p", "m", "k", "c", "s", "r", "a", "co")
                    )
                },
            )
        )
        inserted = self.env.cr.fetchall()
        for _id, state in inserted:
            counts[state] += 1
        queued = self.browse([i for i, state in inserted if state == "queued"])
        queued._send()
        return counts

    def _sms_release(self, partner, now):
        """When an SMS to ``partner`` may go: now, or 08:00 local time after
        the quiet hours (his time zone, else his company's)."""
        tz = pytz.timezone(local_tz_name(self.env, partner.tz))
        local = pytz.utc.localize(now).astimezone(tz).replace(tzinfo=None)
        release = notify_core.release_time(local)
        return tz.localize(release).astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _blacklisted(self, partners):
        """Partners whose e-mail is on Odoo's blacklist or bounced."""
        emails = {p.id: email_normalize(p.email) for p in partners if p.email}
        listed = set(
            self.env["mail.blacklist"]
            .sudo()
            .search([("email", "in", [e for e in emails.values() if e])])
            .mapped("email")
        )
        return {
            p.id for p in partners if emails.get(p.id) in listed or p.message_bounce > 0
        }

    def _release_held(self, now=None):
        """SMS held overnight whose morning came: sent now."""
        now = now or fields.Datetime.now()
        held = self.sudo().search([("state", "=", "held"), ("send_after", "<=", now)])
        held.write({"state": "queued"})
        held._send()
        return len(held)

    # ------------------------------------------------------------
    # SENDING (Odoo's mail and SMS queues)
    # ------------------------------------------------------------

    def _send(self):
        """Queue the messages of these ledger rows: one ``mail.mail`` per
        e-mail row, one ``sms.sms`` per SMS row (when the sms module is
        installed), created in batches; the queues' crons send them."""
        emails = self.filtered(lambda n: n.channel == "email")
        if emails:
            mails = (
                self.env["mail.mail"]
                .sudo()
                .create([row._mail_values() for row in emails])
            )
            for row, mail in zip(emails, mails, strict=True):
                row.mail_id = mail
        sms_rows = self.filtered(lambda n: n.channel == "sms")
        if sms_rows and "sms.sms" in self.env:
            self.env["sms.sms"].sudo().create(
                [
                    {
                        "number": row.partner_id.phone,
                        "partner_id": row.partner_id.id,
                        "body": row._text(),
                    }
                    for row in sms_rows
                ]
            )

    def _lang_env(self):
        self.ensure_one()
        return self.with_context(lang=self.partner_id.lang or "en_US")

    def _milestone_label(self):
        """The milestone in the customer's language, with how a delivery was
        signed and, for an exception, its problem type where known."""
        self.ensure_one()
        env = self._lang_env().env
        labels = dict(self._fields["milestone"]._description_selection(env))
        label = labels.get(self.milestone, "")
        waybill = self.waybill_id.with_env(env(su=True))
        detail = ""
        if self.milestone == "delivered" and waybill.signed_by:
            signed = dict(waybill._fields["signed_by"]._description_selection(env))
            detail = signed.get(waybill.signed_by, "")
        elif self.milestone == "exception":
            ticket = waybill.ticket_ids.filtered(
                lambda t: t.logistics_open and t.problem_type_id
            )[:1]
            detail = ticket.problem_type_id.name or ""
        if not detail:
            return label
        return env._("%(milestone)s (%(detail)s)", milestone=label, detail=detail)

    def _text(self):
        """The short text of an SMS (and the subject of an e-mail)."""
        self.ensure_one()
        env = self._lang_env().env
        waybill = self.waybill_id
        text = env._(
            "%(courier)s %(number)s: %(milestone)s",
            courier=waybill.courier_id.with_env(env).name,
            number=waybill.number,
            milestone=self._milestone_label(),
        )
        expected_news = self.milestone in ("expected_revised", "expected_missed")
        travelling = waybill.state not in transit_core.FINAL_STATES
        if waybill.expected_date and (expected_news or travelling):
            text += env._(
                ", expected on %(date)s",
                date=self._local_date(waybill.expected_date),
            )
        return text

    def _local_date(self, value):
        tz = pytz.timezone(
            local_tz_name(self.env, self.partner_id.tz, self.company_id.partner_id.tz)
        )
        return pytz.utc.localize(value).astimezone(tz).date().isoformat()

    def _mail_values(self):
        self.ensure_one()
        me = self._lang_env()
        waybill = self.waybill_id.sudo()
        env = me.env
        expected = waybill.expected_date and self._local_date(waybill.expected_date)
        values = {
            "greeting": env._("Hello %(name)s,", name=self.partner_id.name),
            "headline": env._(
                "Your parcel %(number)s (%(courier)s): %(milestone)s.",
                number=waybill.number,
                courier=waybill.courier_id.with_env(env).name,
                milestone=self._milestone_label(),
            ),
            "expected_line": expected
            and env._("Expected delivery: %(date)s", date=expected),
            "url": waybill.get_base_url() + waybill.get_portal_url(),
            "unsubscribe_url": self.partner_id._logistics_unsubscribe_url(),
        }
        body = me.env["ir.qweb"]._render(
            "logistics_followup.parcel_notification_email", values
        )
        company = self.company_id
        return {
            "subject": me._text(),
            "body_html": body,
            "email_from": company.email_formatted or company.partner_id.email_formatted,
            "recipient_ids": [(4, self.partner_id.id)],
            "auto_delete": True,
            "headers": {
                "List-Unsubscribe": f"<{values['unsubscribe_url']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        }

    # ------------------------------------------------------------
    # R-RP-1: DAILY ARRIVAL FEEDBACK
    # ------------------------------------------------------------

    @api.model
    def _cron_daily_digest(self, now=None):
        """Key customers get one e-mail a day listing their parcels that
        arrived at the station or were delivered the day before (the
        company's day), the ones in trouble first. Once per customer and
        day (the ledger)."""
        now = now or fields.Datetime.now()
        sent = 0
        for company in self.env["res.company"].sudo().search([]):
            tz = pytz.timezone(local_tz_name(self.env, company.partner_id.tz))
            local_now = pytz.utc.localize(now).astimezone(tz).replace(tzinfo=None)
            day = notify_core.digest_day(local_now)
            start = tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc)
            end = start + timedelta(days=1)
            sent += self._digest_company(
                company, day, start.replace(tzinfo=None), end.replace(tzinfo=None), now
            )
        return sent

    def _digest_company(self, company, day, start, end, now):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT c.id, w.state, w.number, w.id FROM logistics_waybill w "
                "JOIN res_partner p ON p.id IN (w.sender_partner_id, "
                "w.receiver_partner_id) "
                "JOIN res_partner c ON c.id = p.commercial_partner_id "
                "AND c.logistics_key_customer "
                "WHERE w.company_id = %(company)s AND ("
                "(w.arrival_date >= %(start)s AND w.arrival_date < %(end)s) OR "
                "(w.state = 'delivered' AND w.last_event_time >= %(start)s "
                "AND w.last_event_time < %(end)s))",
                company=company.id,
                start=start,
                end=end,
            )
        )
        by_customer = {}
        for customer_id, state, number, waybill_id in self.env.cr.fetchall():
            by_customer.setdefault(customer_id, set()).add((state, number, waybill_id))
        if not by_customer:
            return 0
        key = f"digest:{day.isoformat()}"
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "INSERT INTO logistics_notification (partner_id, milestone, key, "
                "channel, state, company_id, create_date) "
                "SELECT p, 'digest', %(key)s, 'email', 'queued', %(company)s, "
                "%(now)s FROM unnest(%(ids)s::int[]) AS p "
                "ON CONFLICT DO NOTHING RETURNING id, partner_id",
                key=key,
                company=company.id,
                now=now,
                ids=list(by_customer),
            )
        )
        inserted = self.env.cr.fetchall()
        rows = self.browse([i for i, _p in inserted])
        mails = []
        for row in rows:
            parcels = notify_core.digest_order(by_customer[row.partner_id.id])
            mails.append(row._digest_values(day, parcels))
        if mails:
            created = self.env["mail.mail"].sudo().create(mails)
            for row, mail in zip(rows, created, strict=True):
                row.mail_id = mail
        return len(rows)

    def _digest_values(self, day, parcels):
        self.ensure_one()
        me = self._lang_env()
        Waybill = self.env["logistics.waybill"].sudo()
        states = dict(Waybill._fields["state"]._description_selection(me.env))
        lines = [
            {
                "number": number,
                "state": states.get(state, state),
                "trouble": notify_core.DIGEST_RANK.get(state, 2) < 2,
                "url": Waybill.browse(waybill_id).get_base_url()
                + Waybill.browse(waybill_id).get_portal_url(),
            }
            for state, number, waybill_id in parcels
        ]
        body = me.env["ir.qweb"]._render(
            "logistics_followup.parcel_digest_email",
            {
                "greeting": me.env._("Hello %(name)s,", name=self.partner_id.name),
                "intro": me.env._(
                    "Your parcels that arrived at the station or were delivered "
                    "on %(day)s, the ones needing attention first:",
                    day=day.isoformat(),
                ),
                "lines": lines,
                "unsubscribe_url": self.partner_id._logistics_unsubscribe_url(),
            },
        )
        company = self.company_id
        return {
            "subject": me.env._(
                "Your parcels of %(day)s: %(count)s arrived or delivered",
                day=day.isoformat(),
                count=len(lines),
            ),
            "body_html": body,
            "email_from": company.email_formatted or company.partner_id.email_formatted,
            "recipient_ids": [(4, self.partner_id.id)],
            "auto_delete": True,
        }
