# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, html_escape

from ..core import revisit as revisit_core
from .settings import get_setting

_logger = logging.getLogger(__name__)

REVISIT_CHANNEL_SELECTION = [("phone", "Phone"), ("email", "Email"), ("sms", "SMS")]
REVISIT_STATE_SELECTION = [
    ("planned", "Planned"),
    ("done", "Done"),
    ("not_reached", "Not Reached"),
    ("cancelled", "Cancelled"),
]


class LogisticsRevisit(models.Model):
    """A revisit (回访) of a customer: R-RV-1..5, R-RP-5, R-CP-1.

    Planned by the daily planner (:meth:`_cron_plan`, set-based) or by a
    closed complaint (:meth:`_schedule_after_complaint`); at most one open
    (planned) revisit per customer and company; outcomes: done (with the
    customer's ratings), not reached (re-planned, closed after
    ``core.revisit.MAX_ATTEMPTS``), a follow-up ticket."""

    _name = "logistics.revisit"
    _description = "Customer Revisit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "due_date, priority desc, id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact Person",
        domain="[('id', 'child_of', partner_id)]",
    )
    phone = fields.Char()
    email = fields.Char()
    rule_id = fields.Many2one(
        comodel_name="logistics.revisit.rule",
        string="Reason",
        required=True,
        ondelete="restrict",
        check_company=True,
    )
    reason_ids = fields.Many2many(
        comodel_name="logistics.revisit.rule",
        relation="logistics_revisit_rule_rel",
        column1="revisit_id",
        column2="rule_id",
        string="All Reasons",
    )
    priority = fields.Integer(readonly=True)
    planned_date = fields.Date(tracking=True, index=True)
    due_date = fields.Date(required=True, tracking=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Agent",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    channel = fields.Selection(
        REVISIT_CHANNEL_SELECTION, required=True, default="phone"
    )
    state = fields.Selection(
        REVISIT_STATE_SELECTION,
        required=True,
        default="planned",
        tracking=True,
        index=True,
    )
    attempts = fields.Integer(readonly=True, copy=False)
    last_attempt_date = fields.Date(readonly=True, copy=False)
    done_date = fields.Datetime(readonly=True, copy=False)
    person_reached = fields.Char()
    result = fields.Text()
    rating_service = fields.Integer(
        string="Service Rating", aggregator="avg", help="1 (poor) to 5 (excellent)."
    )
    rating_staff = fields.Integer(
        string="Delivery Staff Rating",
        aggregator="avg",
        help="1 (poor) to 5 (excellent).",
    )
    suggestions = fields.Text()
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Caused By Ticket",
        index="btree_not_null",
        check_company=True,
    )
    waybill_id = fields.Many2one(
        comodel_name="logistics.waybill",
        string="Caused By Waybill",
        index="btree_not_null",
        check_company=True,
    )
    followup_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Follow-up Ticket",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    success = fields.Integer(
        compute="_compute_success",
        store=True,
        aggregator="sum",
        string="Successful",
        help="1 for a revisit done: sums up to the successful revisits.",
    )
    done_day = fields.Date(compute="_compute_success", store=True, string="Done On")
    day_progress = fields.Char(compute="_compute_day_progress", string="Today")
    partner_waybill_ids = fields.Many2many(
        comodel_name="logistics.waybill",
        compute="_compute_partner_records",
        string="Customer's Parcels",
    )
    partner_ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        compute="_compute_partner_records",
        string="Customer's Open Tickets",
    )

    _one_open_per_customer = models.UniqueIndex(
        "(partner_id, company_id) WHERE state = 'planned'",
        "This customer already has a planned revisit.",
    )
    _rating_range = models.Constraint(
        "CHECK (rating_service BETWEEN 0 AND 5 AND rating_staff BETWEEN 0 AND 5)",
        "Ratings go from 1 (poor) to 5 (excellent).",
    )
    _plan_idx = models.Index(
        "(company_id, due_date, priority DESC, id) WHERE state = 'planned'"
    )
    _done_idx = models.Index("(partner_id, done_date) WHERE state = 'done'")

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("state", "due_date")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for revisit in self:
            revisit.is_overdue = bool(
                revisit.state == "planned"
                and revisit.due_date
                and revisit.due_date < today
            )

    def _search_is_overdue(self, operator, value):
        if operator != "in":
            return NotImplemented
        return [
            ("state", "=", "planned"),
            ("due_date", "<", fields.Date.context_today(self)),
        ]

    @api.depends("state", "done_date")
    def _compute_success(self):
        for revisit in self:
            revisit.success = 1 if revisit.state == "done" else 0
            revisit.done_day = revisit.done_date and revisit.done_date.date()

    @api.depends_context("uid")
    def _compute_day_progress(self):
        today = fields.Date.context_today(self)
        user = self.env.user
        done = self.search_count(
            [
                ("user_id", "=", user.id),
                ("state", "=", "done"),
                ("done_day", "=", today),
            ]
        )
        planned = self.search_count(
            [
                ("user_id", "=", user.id),
                ("state", "=", "planned"),
                ("planned_date", "<=", today),
            ]
        )
        quota = self._quota(self.env.company)
        self.day_progress = self.env._(
            "%(done)s of %(quota)s successful revisits today, %(left)s to call",
            done=done,
            quota=quota,
            left=planned,
        )

    @api.depends("partner_id")
    def _compute_partner_records(self):
        for revisit in self:
            partner = revisit.partner_id
            if not partner:
                revisit.partner_waybill_ids = False
                revisit.partner_ticket_ids = False
                continue
            revisit.partner_waybill_ids = self.env["logistics.waybill"].search(
                [
                    "|",
                    ("sender_partner_id", "child_of", partner.id),
                    ("receiver_partner_id", "child_of", partner.id),
                ],
                limit=20,
                order="id desc",
            )
            revisit.partner_ticket_ids = self.env["helpdesk.ticket"].search(
                [
                    ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                    ("closed", "=", False),
                ],
                limit=20,
            )

    def _compute_display_name(self):
        for revisit in self:
            revisit.display_name = self.env._(
                "Revisit %(customer)s (%(reason)s)",
                customer=revisit.partner_id.display_name or "",
                reason=revisit.rule_id.name or "",
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("rating_service", "rating_staff")
    def _check_ratings(self):
        for revisit in self:
            for rating in (revisit.rating_service, revisit.rating_staff):
                if rating and not 1 <= rating <= 5:
                    raise ValidationError(
                        self.env._("Ratings go from 1 (poor) to 5 (excellent).")
                    )

    @api.constrains("planned_date")
    def _check_planned_date(self):
        if self.env.context.get("logistics_revisit_replan"):
            return
        today = fields.Date.context_today(self)
        for revisit in self:
            if (
                revisit.state == "planned"
                and revisit.planned_date
                and revisit.planned_date < today
            ):
                raise ValidationError(
                    self.env._("A revisit cannot be planned in the past.")
                )

    @api.constrains("channel", "phone", "email", "state")
    def _check_contact(self):
        for revisit in self.filtered(lambda r: r.state == "planned"):
            if revisit.channel in ("phone", "sms") and not revisit.phone:
                raise ValidationError(
                    self.env._(
                        "%(customer)s has no phone number: a phone or SMS "
                        "revisit cannot be planned.",
                        customer=revisit.partner_id.display_name,
                    )
                )
            if revisit.channel == "email" and not revisit.email:
                raise ValidationError(
                    self.env._(
                        "%(customer)s has no email address: an email revisit "
                        "cannot be planned.",
                        customer=revisit.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].browse(
            {v["partner_id"] for v in vals_list if v.get("partner_id")}
        )
        by_id = {p.id: p for p in partners}
        rules = self.env["logistics.revisit.rule"].browse(
            {v["rule_id"] for v in vals_list if v.get("rule_id")}
        )
        rule_by_id = {r.id: r for r in rules}
        for vals in vals_list:
            partner = by_id.get(vals.get("partner_id"))
            contact = self.env["res.partner"].browse(vals.get("contact_id"))
            if partner:
                vals.setdefault("phone", contact.phone or partner.phone or False)
                vals.setdefault("email", contact.email or partner.email or False)
                vals.setdefault("user_id", partner.logistics_agent_id.id or False)
            rule = rule_by_id.get(vals.get("rule_id"))
            if rule:
                vals.setdefault("channel", rule.channel)
                vals.setdefault("priority", rule.priority)
                vals.setdefault("reason_ids", [fields.Command.link(rule.id)])
                vals.setdefault(
                    "due_date",
                    fields.Date.context_today(self)
                    + timedelta(days=rule.interval_days),
                )
        revisits = super().create(vals_list)
        revisits._schedule_activities()
        return revisits

    def write(self, vals):
        res = super().write(vals)
        if {"user_id", "planned_date"} & set(vals):
            self._schedule_activities()
        return res

    # ------------------------------------------------------------
    # OUTCOMES (R-RV-5)
    # ------------------------------------------------------------

    def _check_open(self):
        for revisit in self:
            if revisit.state != "planned":
                raise UserError(
                    self.env._(
                        "This revisit is closed already: %(name)s.",
                        name=revisit.display_name,
                    )
                )

    def action_done(self):
        """The customer was reached: the revisit is done, its activity too."""
        self._check_open()
        today = fields.Date.context_today(self)
        for revisit in self:
            revisit.write(
                {
                    "state": "done",
                    "done_date": fields.Datetime.now(),
                    "attempts": revisit.attempts + 1,
                    "last_attempt_date": today,
                }
            )
            revisit.activity_ids.action_feedback(
                feedback=revisit.result or self.env._("Revisit done")
            )
            revisit.message_post(body=revisit._outcome_body())
        return True

    def action_not_reached(self):
        """Not reached: re-planned on the next working day, closed as
        unreachable after the last attempt (core.revisit.next_attempt)."""
        self._check_open()
        today = fields.Date.context_today(self)
        for revisit in self:
            attempts = revisit.attempts + 1
            nxt = revisit_core.next_attempt(attempts, today)
            if nxt is None:
                revisit.write(
                    {
                        "state": "not_reached",
                        "attempts": attempts,
                        "last_attempt_date": today,
                    }
                )
                revisit.activity_ids.action_feedback(
                    feedback=self.env._("Closed as unreachable")
                )
                revisit.message_post(
                    body=self.env._(
                        "Not reached (attempt %(n)s of %(max)s): closed as "
                        "unreachable.",
                        n=attempts,
                        max=revisit_core.MAX_ATTEMPTS,
                    )
                )
                continue
            revisit.write(
                {
                    "attempts": attempts,
                    "last_attempt_date": today,
                    "planned_date": nxt,
                }
            )
            revisit.message_post(
                body=self.env._(
                    "Not reached (attempt %(n)s of %(max)s): next attempt on %(date)s.",
                    n=attempts,
                    max=revisit_core.MAX_ATTEMPTS,
                    date=fields.Date.to_string(nxt),
                )
            )
        return True

    def action_cancel(self):
        self._check_open()
        self.write({"state": "cancelled"})
        self.activity_ids.unlink()
        return True

    def action_followup_ticket(self):
        """The customer raised a problem: a follow-up ticket, through the
        addon's one creation path when the revisit knows the parcel, linked
        both ways; the revisit stays open until its outcome is recorded."""
        self.ensure_one()
        if self.followup_ticket_id:
            return self._open_ticket(self.followup_ticket_id)
        what = self.result or self.suggestions
        if not what:
            raise UserError(
                self.env._(
                    "Write what the customer raised (result or suggestions) "
                    "before opening a follow-up ticket."
                )
            )
        customer = self.contact_id or self.partner_id
        vals = {
            "name": self.env._(
                "Raised during a revisit: %(customer)s",
                customer=self.partner_id.display_name,
            ),
            "description": Markup("<p>%s</p>") % what,
            "partner_id": customer.id,
            "company_id": self.company_id.id,
            "logistics_kind": "complaint"
            if self.rule_id.code == "complaint"
            else "inquiry",
        }
        waybill = self.waybill_id or self.ticket_id.waybill_id
        if waybill:
            vals["waybill_id"] = waybill.id
            ticket = self.env["helpdesk.ticket"]._logistics_request(
                [{"vals": vals, "partner": customer}]
            )[0][0]
        else:
            ticket = self.env["helpdesk.ticket"].create(vals)
        self.followup_ticket_id = ticket
        self.message_post(
            body=Markup("%s %s")
            % (
                self.env._("Follow-up ticket:"),
                ticket._get_html_link(title=ticket.display_name),
            )
        )
        return self._open_ticket(ticket)

    def _open_ticket(self, ticket):
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": ticket.id,
            "view_mode": "form",
        }

    def action_view_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    def _outcome_body(self):
        self.ensure_one()
        lines = [html_escape(self.env._("Revisit done."))]
        labels = [
            (self.env._("Person reached"), self.person_reached),
            (self.env._("Service rating"), self.rating_service),
            (self.env._("Delivery staff rating"), self.rating_staff),
            (self.env._("Result"), self.result),
            (self.env._("Suggestions"), self.suggestions),
        ]
        for label, value in labels:
            if value:
                lines.append(Markup("%s: %s") % (label, value))
        return Markup("<br/>").join(lines)

    # ------------------------------------------------------------
    # ACTIVITIES
    # ------------------------------------------------------------

    def _schedule_activities(self):
        """One call activity per planned revisit with an agent and a date,
        for that agent on that date (the activity menu shows it); created in
        one batch, moved when the agent or the date changes."""
        todo = self.filtered(
            lambda r: r.state == "planned" and r.user_id and r.planned_date
        )
        if not todo:
            return
        Activity = self.env["mail.activity"].sudo()
        call = self.env.ref("mail.mail_activity_data_call")
        existing = Activity.search(
            [("res_model", "=", self._name), ("res_id", "in", todo.ids)]
        )
        by_res = {a.res_id: a for a in existing}
        model_id = self.env["ir.model"]._get_id(self._name)
        new = []
        for revisit in todo:
            activity = by_res.get(revisit.id)
            if activity:
                if (
                    activity.user_id != revisit.user_id
                    or activity.date_deadline != revisit.planned_date
                ):
                    activity.write(
                        {
                            "user_id": revisit.user_id.id,
                            "date_deadline": revisit.planned_date,
                        }
                    )
                continue
            new.append(
                {
                    "res_model_id": model_id,
                    "res_id": revisit.id,
                    "activity_type_id": call.id,
                    "user_id": revisit.user_id.id,
                    "date_deadline": revisit.planned_date,
                    "summary": revisit.with_context(
                        lang=revisit.user_id.lang
                    )._activity_summary(),
                }
            )
        if new:
            Activity.with_context(mail_activity_quick_update=True).create(new)

    def _activity_summary(self):
        return self.env._("Revisit %(customer)s", customer=self.partner_id.display_name)

    # ------------------------------------------------------------
    # R-CP-1 / R-RV-3: AFTER A COMPLAINT
    # ------------------------------------------------------------

    @api.model
    def _schedule_after_complaint(self, tickets):
        """R-CP-1 / R-RV-3: each closed complaint gets a revisit of its
        customer within the complaint rule's days, for the agent who handled
        it; a customer with an open revisit gets the complaint added to it
        (and the earlier date). Complaints whose customer is unknown keep
        an activity on the ticket."""
        Revisit = self.sudo()
        today = fields.Date.context_today(self)
        orphans = tickets.browse()
        for ticket in tickets:
            partner = (
                ticket.commercial_partner_id
                or ticket.waybill_id.sender_partner_id.commercial_partner_id
            )
            rule = Revisit._rule(ticket.company_id, "complaint")
            if not partner or not rule or not (partner.phone or partner.email):
                orphans |= ticket
                continue
            due = today + timedelta(days=rule.interval_days)
            open_ = Revisit.search(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", ticket.company_id.id),
                    ("state", "=", "planned"),
                ],
                limit=1,
            )
            if open_:
                vals = {
                    "reason_ids": [fields.Command.link(rule.id)],
                    "due_date": min(open_.due_date, due),
                }
                if rule.priority > open_.priority:
                    vals.update(rule_id=rule.id, priority=rule.priority)
                if not open_.ticket_id:
                    vals["ticket_id"] = ticket.id
                if not open_.planned_date or open_.planned_date > due:
                    vals["planned_date"] = due
                open_.write(vals)
                continue
            Revisit.create(
                {
                    "partner_id": partner.id,
                    "rule_id": rule.id,
                    "company_id": ticket.company_id.id,
                    "ticket_id": ticket.id,
                    "waybill_id": ticket.waybill_id.id or False,
                    "due_date": due,
                    "planned_date": due,
                    "channel": rule.channel
                    if (partner.phone if rule.channel != "email" else partner.email)
                    else ("email" if partner.email else "phone"),
                    "user_id": ticket.user_id.id
                    or partner.logistics_agent_id.id
                    or False,
                }
            )
        if orphans:
            orphans._schedule_complaint_activity()

    @api.model
    def _rule(self, company, code):
        return (
            self.env["logistics.revisit.rule"]
            .sudo()
            .search([("company_id", "=", company.id), ("code", "=", code)], limit=1)
        )

    # ------------------------------------------------------------
    # THE DAILY PLANNER (R-RV-1..4, R-RP-5)
    # ------------------------------------------------------------

    @api.model
    def _quota(self, company):
        return max(0, get_setting(self.env, "revisit_quota"))

    @api.model
    def _daily_max(self):
        return max(1, get_setting(self.env, "revisit_daily_max"))

    @api.model
    def _cron_plan(self):
        """The daily planner, company by company."""
        for company in self.env["res.company"].sudo().search([]):
            self.sudo().with_company(company)._plan_company(company)

    @api.model
    def _today(self, company):
        tz = company.partner_id.tz or self.env.user.tz or "UTC"
        return fields.Date.context_today(self.with_context(tz=tz))

    @api.model
    def _plan_company(self, company, today=None):
        """One company's day: the due revisits of every rule created at once
        (one open per customer, the highest-priority reason, the others
        added), then today's plan among the available agents."""
        today = today or self._today(company)
        self.env.flush_all()
        created = self._insert_due(company, today)
        plan = self._assign_today(company, today)
        return {"created": created, **plan}

    @api.model
    def _due_sql(self, company, today):
        """The due customers of the company's active rules, as
        ``(partner_id, rule_id, priority, channel, due_date)`` rows (several
        rows per customer when several rules are due)."""
        Rule = self.env["logistics.revisit.rule"].sudo()
        rules = Rule.search([("company_id", "=", company.id)])
        parts = []
        customers = SQL(
            """SELECT p.id, p.phone, p.email, p.logistics_agent_id,
                      COALESCE(p.logistics_assigned_date, p.create_date::date)
                        AS since
                 FROM res_partner p
                WHERE p.logistics_customer AND p.active
                  AND (p.company_id IS NULL OR p.company_id = %(company)s)""",
            company=company.id,
        )
        last_done = SQL(
            """SELECT partner_id, max(done_date)::date AS done
                 FROM logistics_revisit
                WHERE state = 'done' AND company_id = %(company)s
                GROUP BY partner_id""",
            company=company.id,
        )
        for rule in rules:
            head = SQL(
                "SELECT c.id AS partner_id, %(rule)s AS rule_id, "
                "%(priority)s AS priority, %(channel)s AS channel, ",
                rule=rule.id,
                priority=rule.priority,
                channel=rule.channel,
            )
            days = rule.interval_days
            if rule.code == "new_customer":
                # no revisit yet: within the rule's days of the assignment
                # or of the first delivered parcel / closed ticket
                parts.append(
                    SQL(
                        """%(head)s (LEAST(c.since,
                              (SELECT min(w.last_event_time)::date
                                 FROM logistics_waybill w
                                WHERE w.sender_partner_id = c.id
                                  AND w.state = 'delivered'),
                              (SELECT min(t.closed_date)::date
                                 FROM helpdesk_ticket t
                                WHERE t.commercial_partner_id = c.id
                                  AND t.closed_date IS NOT NULL))
                             + %(days)s) AS due_date
                          FROM (%(customers)s) c
                         WHERE NOT EXISTS (SELECT 1 FROM logistics_revisit r
                                            WHERE r.partner_id = c.id
                                              AND r.company_id = %(company)s
                                              AND r.state != 'cancelled')""",
                        head=head,
                        days=days,
                        customers=customers,
                        company=company.id,
                    )
                )
            elif rule.code == "regular":
                parts.append(
                    SQL(
                        """%(head)s (COALESCE(d.done, c.since) + %(days)s)
                                AS due_date
                          FROM (%(customers)s) c
                          LEFT JOIN (%(last_done)s) d ON d.partner_id = c.id
                         WHERE COALESCE(d.done, c.since) + %(days)s
                               <= %(today)s""",
                        head=head,
                        days=days,
                        customers=customers,
                        last_done=last_done,
                        today=today,
                    )
                )
            elif rule.code == "frequent":
                parts.append(
                    SQL(
                        """%(head)s %(today)s::date AS due_date
                          FROM (%(customers)s) c
                          JOIN (SELECT commercial_partner_id AS partner_id
                                  FROM helpdesk_ticket
                                 WHERE create_date >= %(since)s
                                   AND company_id = %(company)s
                                   AND commercial_partner_id IS NOT NULL
                                 GROUP BY commercial_partner_id
                                HAVING count(*) >= %(threshold)s) f
                            ON f.partner_id = c.id
                          LEFT JOIN (%(last_done)s) d ON d.partner_id = c.id
                         WHERE d.done IS NULL
                            OR d.done + %(days)s <= %(today)s""",
                        head=head,
                        today=today,
                        customers=customers,
                        since=today - timedelta(days=rule.window_days),
                        company=company.id,
                        threshold=rule.threshold,
                        last_done=last_done,
                        days=days,
                    )
                )
            elif rule.code == "campaign":
                if not (rule.date_from <= today <= rule.date_to):
                    continue
                ids = (
                    self.env["res.partner"]
                    .sudo()
                    .with_context(active_test=True)
                    ._search(rule._campaign_domain())
                )
                parts.append(
                    SQL(
                        """%(head)s %(due)s::date AS due_date
                          FROM (%(customers)s) c
                         WHERE c.id IN (%(ids)s)
                           AND NOT EXISTS (
                               SELECT 1 FROM logistics_revisit_rule_rel rr
                                 JOIN logistics_revisit r ON r.id = rr.revisit_id
                                WHERE rr.rule_id = %(rule)s
                                  AND r.partner_id = c.id
                                  AND r.create_date >= %(start)s)""",
                        head=head,
                        due=rule.date_to,
                        customers=customers,
                        ids=ids.subselect(),
                        rule=rule.id,
                        start=rule.date_from,
                    )
                )
        if not parts:
            return None
        return SQL(" UNION ALL ").join(parts)

    @api.model
    def _insert_due(self, company, today):
        """Creates the due revisits of all rules in a few statements (our own
        table); returns how many. One open revisit per customer: the
        highest-priority reason, then the earliest due date, wins; every
        due reason is linked."""
        due = self._due_sql(company, today)
        if due is None:
            return 0
        cr = self.env.cr
        cr.execute(
            SQL(
                """CREATE TEMP TABLE IF NOT EXISTS lf_due_revisit
                       (partner_id int, rule_id int, priority int,
                        channel varchar, due_date date) ON COMMIT DROP"""
            )
        )
        cr.execute(SQL("TRUNCATE lf_due_revisit"))
        cr.execute(SQL("INSERT INTO lf_due_revisit %s", due))
        cr.execute(
            SQL(
                """INSERT INTO logistics_revisit
                       (partner_id, rule_id, priority, channel, due_date,
                        state, attempts, phone, email, user_id, company_id,
                        success, rating_service, rating_staff,
                        create_uid, create_date, write_uid, write_date)
                   SELECT DISTINCT ON (d.partner_id)
                          d.partner_id, d.rule_id, d.priority,
                          CASE WHEN d.channel = 'email' AND p.email IS NOT NULL
                                 THEN 'email'
                               WHEN d.channel != 'email' AND p.phone IS NOT NULL
                                 THEN d.channel
                               WHEN p.phone IS NOT NULL THEN 'phone'
                               ELSE 'email' END,
                          d.due_date, 'planned', 0, p.phone, p.email,
                          p.logistics_agent_id, %(company)s, 0, 0, 0,
                          %(uid)s, now() AT TIME ZONE 'UTC',
                          %(uid)s, now() AT TIME ZONE 'UTC'
                     FROM lf_due_revisit d
                     JOIN res_partner p ON p.id = d.partner_id
                    WHERE d.due_date IS NOT NULL
                      AND (p.phone IS NOT NULL OR p.email IS NOT NULL)
                    ORDER BY d.partner_id, d.priority DESC, d.due_date
                   ON CONFLICT (partner_id, company_id)
                      WHERE state = 'planned' DO NOTHING""",
                company=company.id,
                uid=self.env.uid,
            )
        )
        created = cr.rowcount
        cr.execute(
            SQL(
                """INSERT INTO logistics_revisit_rule_rel (revisit_id, rule_id)
                   SELECT DISTINCT r.id, d.rule_id
                     FROM lf_due_revisit d
                     JOIN logistics_revisit r
                       ON r.partner_id = d.partner_id
                      AND r.company_id = %(company)s AND r.state = 'planned'
                   ON CONFLICT DO NOTHING""",
                company=company.id,
            )
        )
        cr.execute(SQL("TRUNCATE lf_due_revisit"))
        self.invalidate_model()
        return created

    @api.model
    def _available_agents(self, company, today):
        """The agents who take revisits today: internal users of the agent
        group in the company, not away (their flag, or a validated time off
        where hr_holidays is installed)."""
        group = self.env.ref("logistics_followup.group_logistics_agent")
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("all_group_ids", "in", group.ids),
                    ("share", "=", False),
                    ("logistics_available", "=", True),
                    ("company_ids", "in", company.ids),
                ]
            )
        )
        if "hr.leave" in self.env:
            leaves = (
                self.env["hr.leave"]
                .sudo()
                .search(
                    [
                        ("user_id", "in", users.ids),
                        ("state", "=", "validate"),
                        ("request_date_from", "<=", today),
                        ("request_date_to", ">=", today),
                    ]
                )
            )
            users -= leaves.user_id
        return users

    @api.model
    def _unreachable_rate(self, company, today):
        self.flush_model(["attempts", "state", "last_attempt_date", "company_id"])
        self.env.cr.execute(
            SQL(
                """SELECT COALESCE(sum(attempts), 0),
                          COALESCE(sum(attempts
                              - CASE WHEN state = 'done' THEN 1 ELSE 0 END), 0)
                     FROM logistics_revisit
                    WHERE company_id = %(company)s AND attempts > 0
                      AND last_attempt_date >= %(since)s""",
                company=company.id,
                since=today - timedelta(days=30),
            )
        )
        attempts, failed = self.env.cr.fetchone()
        return revisit_core.unreachable_rate(attempts, failed)

    @api.model
    def _assign_today(self, company, today):
        """Today's plan (core.revisit.plan_day) of the open revisits due or
        carried over, read oldest first and at most ``cap`` per available
        agent (the same order as ``core.revisit.order_key``): memory bounded
        by the agents, not the customers."""
        agents = self._available_agents(company, today)
        quota = self._quota(company)
        target = revisit_core.daily_target(
            quota, self._unreachable_rate(company, today)
        )
        cap = max(self._daily_max(), target)
        rows = []
        if agents:
            self.env.cr.execute(
                SQL(
                    """SELECT r.id, p.logistics_agent_id, r.due_date, r.priority,
                              r.user_id, r.planned_date
                         FROM logistics_revisit r
                         JOIN res_partner p ON p.id = r.partner_id
                        WHERE r.company_id = %(company)s AND r.state = 'planned'
                          AND (r.planned_date IS NULL
                               OR r.planned_date <= %(today)s)
                        ORDER BY r.due_date, r.priority DESC, r.id
                        LIMIT %(limit)s""",
                    company=company.id,
                    today=today,
                    limit=len(agents) * cap,
                )
            )
            rows = self.env.cr.fetchall()
        items = [revisit_core.Due(r[0], r[1], r[2], r[3]) for r in rows]
        plan = revisit_core.plan_day(items, agents.ids, target, cap)
        current = {r[0]: (r[4], r[5]) for r in rows}
        by_agent = {}
        for key, agent in plan.assigned.items():
            if current[key] != (agent, today):
                by_agent.setdefault(agent, []).append(key)
        # the activity is the agent's notice: no assignment email per revisit
        quiet = self.with_context(mail_auto_subscribe_no_notify=True)
        for agent, ids in by_agent.items():
            quiet.browse(ids).write({"user_id": agent, "planned_date": today})
        # undone revisits of earlier days not planned today: back to the
        # backlog (no date), their activity withdrawn
        self.env.cr.execute(
            SQL(
                """SELECT id FROM logistics_revisit
                    WHERE company_id = %(company)s AND state = 'planned'
                      AND planned_date < %(today)s AND NOT (id = ANY(%(ids)s))""",
                company=company.id,
                today=today,
                ids=list(plan.assigned),
            )
        )
        stale = self.browse([r[0] for r in self.env.cr.fetchall()])
        if stale:
            stale.with_context(logistics_revisit_replan=True).write(
                {"planned_date": False}
            )
            self.env["mail.activity"].sudo().search(
                [("res_model", "=", self._name), ("res_id", "in", stale.ids)]
            ).unlink()
        return {
            "assigned": len(plan.assigned),
            "changed": sum(len(v) for v in by_agent.values()),
            "target": target,
            "agents": len(agents),
        }
