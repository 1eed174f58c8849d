# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Problem-parcel detection (R-PP-5..7) over a peak-season table, in one run.

Run by ``bench/detect``, which creates a fresh database with the addon, runs
this file with the Odoo Python and drops the database. Run directly::

    /opt/odoo/venv/bin/python bench/detect_bench.py --database DB \\
        --addons-path /work/main,/opt/odoo/addons [--waybills N ...]

``--waybills`` waybills (1,000,000 by default) are written by SQL, untimed, in
the mix of a peak day: most delivered or moving normally, ``--findings`` of
them (1 % by default) in a problem situation spread over the three waybill
rules (stalled in transit, no first scan, undelivered at the station) and
scattered over the table. Then, in one run:

* select: the bare indexed SELECT of each rule's predicate (the ids of the
  waybills to flag), the physical limit of finding them;
* first pass: ``logistics.problem.detection._detect(commit=True)``: the same
  predicates left-joined with the open tickets, every finding turned into a
  ticket with its checklist, by batches of ``--batch``, each committed (a
  cold start: all findings are new);
* rerun: the same pass an hour later, when every finding already has its
  open ticket: the steady state of the hourly cron, i.e. the cost of
  detecting;
* ORM baseline: helpdesk_mgmt's own batch ``create()`` of as many plain
  tickets (name, description, customer, team and assignee given), by batches
  of ``--batch``, each committed: what opening a ticket costs in Odoo at all
  (numbering, followers, creation message), which every detected ticket pays
  too since it is created through the same ``create()``;
* event to ticket: an exception scan ingested and committed, then the cron
  jobs processed as Odoo's cron worker does when the ingestion's trigger
  wakes it (``ir.cron._process_jobs``), until the ticket is stored.

The parcel-service team has ``--agents`` members (20), so the balanced
assignment is part of the first pass. Printed: ``ms_per_ticket`` and
``ms_per_orm_ticket``, ``first_pass_to_orm_create_ratio`` (ms per detected
ticket / ms per plain ORM ticket), ``first_pass_to_select_ratio``,
``event_to_ticket_seconds``, ``rerun_to_select_ratio`` and, last,
``detect_to_select_ratio`` (the same rerun / select ratio, the name of
earlier runs).
"""

import argparse
import sys
import time
from datetime import datetime, timedelta

from odoo_registry import open_registry


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--waybills", type=int, default=1_000_000)
    parser.add_argument(
        "--findings",
        type=float,
        default=0.01,
        help="share of the waybills in a problem situation (default 0.01)",
    )
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--agents", type=int, default=20)
    args = parser.parse_args(argv)
    if args.waybills < 1000 or not 0 < args.findings < 0.5 or args.batch < 1:
        parser.error("--waybills >= 1000, 0 < --findings < 0.5, --batch >= 1")
    return args


def populate(env, count, findings, now):
    """Insert the waybills by SQL (untimed): states and times by a modulo,
    so the mix is exact and reproducible, and the problem waybills are
    scattered over the table as they are in real life (one in ``step`` of
    each rule)."""
    cr = env.cr
    courier = env.ref("logistics_followup.courier_sf")
    step = max(3, round(3 / findings))
    cr.execute(
        """
        INSERT INTO logistics_waybill (
            number, courier_id, company_id, active, direction, state,
            transfer_count, expected_date_manual, sender_name, sender_phone,
            sender_address, receiver_name, receiver_phone, receiver_address,
            shipped_date, first_scan_time, last_event_time, last_event_place,
            arrival_date, create_date, write_date, create_uid, write_uid)
        SELECT 'SF' || lpad((3000000000000 + g)::text, 13, '0'), %(courier)s,
            %(company)s, TRUE, 'outbound', s.state, 0, FALSE, '联合贸易有限公司',
            '0755-88886666', '广东省深圳市宝安区航城大道100号', '张伟',
            '1316613' || lpad(mod(g, 10000)::text, 4, '0'),
            '浙江省杭州市西湖区文三路290号', s.created, s.first_scan, s.last_event,
            '杭州萧山转运中心', s.arrival, s.created, s.created, 1, 1
        FROM generate_series(1, %(count)s) AS g
        CROSS JOIN LATERAL (SELECT CASE mod(g, %(step)s)
            WHEN 0 THEN 'stalled' WHEN 1 THEN 'no_first_scan'
            WHEN 2 THEN 'at_station' ELSE 'normal' END AS kind) AS k
        CROSS JOIN LATERAL (
            SELECT CASE
                WHEN k.kind = 'stalled' THEN 'in_transit'
                WHEN k.kind = 'no_first_scan' THEN 'created'
                WHEN k.kind = 'at_station' THEN 'at_station'
                WHEN mod(g, 10) < 6 THEN 'delivered'
                WHEN mod(g, 10) < 8 THEN 'in_transit'
                WHEN mod(g, 10) = 8 THEN 'at_station'
                ELSE 'created' END AS state,
            CASE
                WHEN k.kind = 'no_first_scan' THEN %(now)s - interval '2 days'
                WHEN k.kind = 'normal' AND mod(g, 10) = 9
                    THEN %(now)s - interval '2 hours'
                ELSE %(now)s - interval '9 days' + mod(g, 1000) * interval '1 minute'
            END AS created,
            CASE
                WHEN k.kind = 'no_first_scan' THEN NULL
                WHEN k.kind = 'normal' AND mod(g, 10) = 9 THEN NULL
                ELSE %(now)s - interval '8 days' END AS first_scan,
            CASE
                WHEN k.kind = 'stalled' THEN %(now)s - interval '5 days'
                WHEN k.kind = 'no_first_scan' THEN NULL
                WHEN k.kind = 'at_station' THEN %(now)s - interval '40 hours'
                WHEN mod(g, 10) = 9 THEN NULL
                ELSE %(now)s - mod(g, 40) * interval '1 hour' END AS last_event,
            CASE
                WHEN k.kind IN ('stalled', 'no_first_scan') THEN NULL
                WHEN k.kind = 'at_station' THEN %(now)s - interval '40 hours'
                WHEN mod(g, 10) IN (6, 7, 9) THEN NULL
                ELSE %(now)s - mod(g, 20) * interval '1 hour' END AS arrival
        ) AS s
        """,
        {
            "courier": courier.id,
            "company": env.company.id,
            "count": count,
            "step": step,
            "now": now,
        },
    )
    cr.execute("ANALYZE logistics_waybill")
    cr.execute("ANALYZE helpdesk_ticket")
    return sum(count // step + (1 if count % step >= r else 0) for r in (1, 2)) + (
        count // step
    )


def add_agents(env, count):
    """``count`` agents, members of the company's parcel-service team."""
    group = env.ref("logistics_followup.group_logistics_agent")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Agent {i}",
                    "login": f"bench_agent_{i}",
                    "group_ids": [(4, group.id)],
                }
                for i in range(count)
            ]
        )
    )
    team = env.company.logistics_team_id
    team.user_ids = [(4, user.id) for user in users]
    return team, users


def time_orm_create(env, count, batch, team, users):
    """helpdesk_mgmt's batch create() of ``count`` plain tickets, committed
    by batches: the baseline of opening a ticket in Odoo."""
    partner = env["res.partner"].create({"name": "联合贸易有限公司"})
    Ticket = env["helpdesk.ticket"]
    start = time.perf_counter()
    for offset in range(0, count, batch):
        Ticket.create(
            [
                {
                    "name": f"Plain ticket {i}",
                    "description": "<p>A customer asks about a parcel.</p>",
                    "partner_id": partner.id,
                    "team_id": team.id,
                    "user_id": users[i % len(users)].id,
                }
                for i in range(offset, min(offset + batch, count))
            ]
        )
        env.cr.commit()
    return time.perf_counter() - start


def time_event_to_ticket(registry, env, now):
    """An exception scan ingested and committed, then the event-driven
    detection's job acquired (ready only if the ingestion triggered it) and
    processed as the cron worker the trigger wakes does; the seconds until
    the exception ticket is stored."""
    IrCron = registry["ir.cron"]
    cron = env.ref("logistics_followup.ir_cron_detect_events")
    # not due by its interval: only the trigger can make it ready
    cron.nextcall = datetime.now() + timedelta(days=1)
    env.cr.commit()

    waybill = env["logistics.waybill"].search([("state", "=", "in_transit")], limit=1)
    start = time.perf_counter()
    env["logistics.tracking.event"].ingest(
        [
            {
                "waybill": waybill.number,
                "courier": "SF",
                "time": (now + timedelta(minutes=5)).isoformat(),
                "status": "exception",
                "place": "杭州萧山转运中心",
                "description": "地址不详，联系不上收件人",
            }
        ]
    )
    env.cr.commit()
    with registry.cursor() as cron_cr:
        job = IrCron._acquire_one_job(cron_cr, cron.id)
        if job:
            IrCron._process_job(cron_cr, job)
    seconds = time.perf_counter() - start
    env.invalidate_all()
    ticket = env["helpdesk.ticket"].search(
        [
            ("waybill_id", "=", waybill.id),
            (
                "problem_type_id",
                "=",
                env.ref("logistics_followup.problem_type_exception_scan").id,
            ),
        ]
    )
    return seconds, bool(ticket)


def time_select(env, now):
    """The bare indexed SELECT of each rule: the same predicates, no
    anti-join, no ticket."""
    from odoo.tools import SQL  # noqa: PLC0415

    Detection = env["logistics.problem.detection"]
    cutoffs = Detection._cutoffs(now)
    found = 0
    start = time.perf_counter()
    for detection in ("stalled", "no_first_scan", "at_station"):
        predicate, _key = Detection._rule_sql(detection, cutoffs)
        env.cr.execute(
            SQL("SELECT w.id FROM logistics_waybill w WHERE w.active AND %s", predicate)
        )
        found += len(env.cr.fetchall())
    return found, time.perf_counter() - start


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)

    from odoo import api  # noqa: PLC0415

    registry = open_registry(args.database, args.addons_path)
    # outside the peak periods shipped as data, so the default 3-day rule holds
    now = datetime(2026, 10, 10, 12, 0)

    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        # the context of a cron run: tickets get their messages and followers
        env = env(context=env["res.users"].context_get())
        print(f"inserting {args.waybills} waybills (untimed) ...", flush=True)
        start = time.perf_counter()
        expected = populate(env, args.waybills, args.findings, now)
        team, agents = add_agents(env, args.agents)
        cr.commit()
        print(f"prepared in {time.perf_counter() - start:.1f} s", flush=True)
        Detection = env["logistics.problem.detection"]

        time_select(env, now)  # warm the cache the same way for every path
        # warm the ticket creation (templates, mail caches) for both paths
        time_orm_create(env, min(200, args.batch), args.batch, team, agents)
        found, select_s = time_select(env, now)
        start = time.perf_counter()
        counts = Detection._detect(batch=args.batch, commit=True, now=now)
        first_s = time.perf_counter() - start
        later = now + timedelta(hours=1)
        found_later, select_later_s = time_select(env, later)
        start = time.perf_counter()
        rerun = Detection._detect(batch=args.batch, commit=True, now=later)
        rerun_s = time.perf_counter() - start
        tickets = env["helpdesk.ticket"].search_count([("detected_date", "!=", False)])
        numbered = env["helpdesk.ticket"].search_count(
            [
                ("detected_date", "!=", False),
                ("number", "not in", [False, "/"]),
                ("user_id", "!=", False),
            ]
        )
        orm_s = time_orm_create(env, counts["created"], args.batch, team, agents)
        event_s, event_ticket = time_event_to_ticket(registry, env, later)

    if found != expected or counts["created"] != expected or tickets != expected:
        print(
            f"MISMATCH: {expected} findings planted, SELECT found {found}, "
            f"detection created {counts['created']}, {tickets} tickets stored",
            file=sys.stderr,
        )
        return 1
    if rerun["created"] or rerun["updated"]:
        print(f"MISMATCH: the rerun changed tickets: {rerun}", file=sys.stderr)
        return 1
    if numbered != tickets or not event_ticket:
        print(
            f"MISMATCH: {tickets - numbered} detected tickets without number or "
            f"assignee; exception ticket stored: {event_ticket}",
            file=sys.stderr,
        )
        return 1
    print()
    rows = (
        ("bare indexed SELECT of the rules", found, select_s),
        ("detection, first pass (opens the tickets)", counts["created"], first_s),
        ("bare SELECT, an hour later", found_later, select_later_s),
        ("detection rerun (all tickets already open)", 0, rerun_s),
        ("helpdesk_mgmt create() of plain tickets", counts["created"], orm_s),
        ("exception scan -> ticket (cron trigger)", 1, event_s),
    )
    print(f"{'path':<44} {'findings':>9} {'seconds':>9}")
    for label, count, seconds in rows:
        print(f"{label:<44} {count:>9} {seconds:>9.3f}")
    created = max(counts["created"], 1)
    print(f"waybills={args.waybills} batch={args.batch} agents={args.agents}")
    print(f"ms_per_ticket={1000 * first_s / created:.3f}")
    print(f"ms_per_orm_ticket={1000 * orm_s / created:.3f}")
    print(f"first_pass_to_orm_create_ratio={first_s / orm_s:.3f}")
    print(f"first_pass_to_select_ratio={first_s / select_s:.3f}")
    print(f"event_to_ticket_seconds={event_s:.3f}")
    print(f"rerun_to_select_ratio={rerun_s / select_later_s:.3f}")
    print(f"detect_to_select_ratio={rerun_s / select_later_s:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
