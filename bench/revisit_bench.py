# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The daily revisit planner (R-RV-1..4, R-RP-5) over a year of history.

Run by ``bench/revisit``, which creates a fresh database with the addon, runs
this file with the Odoo Python and drops the database. Run directly::

    /opt/odoo/venv/bin/python bench/revisit_bench.py --database DB \\
        --addons-path /work/main,/opt/odoo/addons [--customers N ...]

Two companies in one database, written untimed: the large one has
``--customers`` customers (100,000 by default), the small one
``--small`` (10,000), both served by the same ``--agents`` agents (20). For
every customer, by SQL into the addon's own tables and ``res_partner``: a
year of delivered parcels (``--parcels`` each) and of done revisits every
60 days (the last one 1 to 75 days ago, so about a fifth is due for its
regular revisit), some calls that did not reach the customer, and 1 % new
customers without any revisit; by the ORM (helpdesk_mgmt's own
``create()``): ``--tickets`` tickets and complaints concentrated on a few
customers (the frequent-problems rule).

Then, per company, in one run:

* select: the bare indexed SELECT of the due customers of every rule (the
  planner's own predicates, ``DISTINCT partner_id``): the physical limit of
  finding them;
* plan: ``logistics.revisit._plan_company``: the due revisits created
  (INSERT ... SELECT into ``logistics_revisit``), today's plan of the
  agents (core.revisit.plan_day) written through the ORM with their
  activities (``mail.activity`` created in a batch);
* rerun: the planner again the same day (must create and change nothing);
* memory: the planner once more from the same state under ``tracemalloc``
  (peak of the Python allocations of the run; PostgreSQL's memory is not
  counted).

Each run is rolled back so that the next one starts from the same state.
Printed: the timings, ``peak_kib_small``, ``peak_kib_large``,
``peak_memory_ratio`` (large / small, must stay within 1.2) and, last,
``plan_to_select_ratio`` (plan / select on the large company, must stay
under 5).
"""

import argparse
import sys
import time
import tracemalloc
from datetime import date

from odoo_registry import open_registry


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--parcels", type=int, default=3)
    parser.add_argument("--tickets", type=int, default=600)
    args = parser.parse_args(argv)
    if args.small < 100 or args.customers < args.small or args.agents < 1:
        parser.error("--small >= 100, --customers >= --small, --agents >= 1")
    return args


def add_agents(env, count, companies):
    group = env.ref("logistics_followup.group_logistics_agent")
    # the database's own users (admin) do not take revisits here
    env["res.users"].search([]).write({"logistics_available": False})
    return env["res.users"].create(
        [
            {
                "name": f"回访坐席 {i}",
                "login": f"bench_revisit_{i}",
                "company_id": companies[0].id,
                "company_ids": [(6, 0, companies.ids)],
                "group_ids": [(6, 0, group.ids)],
            }
            for i in range(count)
        ]
    )


def populate(env, company, count, agents, today, offset, parcels):
    """Customers, their parcels and their revisit history by SQL (untimed)."""
    cr = env.cr
    agent_ids = agents.ids
    courier = env.ref("logistics_followup.courier_sf")
    rule = env["logistics.revisit"]._rule(company, "regular")
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, active, is_company, type,
            company_id, phone, email, lang, autopost_bills, logistics_customer,
            logistics_agent_id, logistics_assigned_date, create_date,
            write_date, create_uid, write_uid)
        SELECT '客户' || g, '客户' || g, TRUE, TRUE, 'contact', %(company)s,
            '0571' || lpad(g::text, 8, '0'), 'c' || g || '@example.com', 'zh_CN',
            'ask', TRUE, (%(agents)s::int[])[1 + mod(g, %(n_agents)s)],
            CASE WHEN mod(g, 100) = 0 THEN %(today)s::date - 2
                 ELSE %(today)s::date - 400 END,
            now(), now(), 1, 1
          FROM generate_series(%(start)s, %(end)s) AS g
        """,
        {
            "company": company.id,
            "agents": agent_ids,
            "n_agents": len(agent_ids),
            "today": today,
            "start": offset + 1,
            "end": offset + count,
        },
    )
    cr.execute(
        """UPDATE res_partner SET commercial_partner_id = id
            WHERE company_id = %s AND commercial_partner_id IS NULL""",
        [company.id],
    )
    # a year of delivered parcels
    cr.execute(
        """
        INSERT INTO logistics_waybill (number, courier_id, company_id, active,
            direction, state, transfer_count, expected_date_manual,
            sender_partner_id, sender_name, last_event_time, create_date,
            write_date, create_uid, write_uid)
        SELECT 'SF' || lpad((5000000000000 + p.id * 10 + k)::text, 13, '0'),
            %(courier)s, %(company)s, TRUE, 'outbound', 'delivered', 0, FALSE,
            p.id, p.name, %(today)s::timestamp - mod(p.id * 7 + k * 97, 365)
            * interval '1 day', now(), now(), 1, 1
          FROM res_partner p CROSS JOIN generate_series(1, %(parcels)s) AS k
         WHERE p.company_id = %(company)s AND p.logistics_customer
        """,
        {
            "courier": courier.id,
            "company": company.id,
            "today": today,
            "parcels": parcels,
        },
    )
    # done revisits every 60 days, the last one 1..75 days ago; new
    # customers (1 %) have none; every 7th revisit needed a second call
    cr.execute(
        """
        INSERT INTO logistics_revisit (partner_id, rule_id, priority, channel,
            due_date, planned_date, state, attempts, last_attempt_date,
            done_date, success, rating_service, rating_staff, phone, user_id,
            company_id, create_date, write_date, create_uid, write_uid)
        SELECT p.id, %(rule)s, 10, 'phone', d.day, d.day, 'done',
            CASE WHEN mod(p.id + k, 7) = 0 THEN 2 ELSE 1 END, d.day,
            d.day + interval '10 hours', 1, 3 + mod(p.id, 3), 4 + mod(k, 2),
            p.phone, p.logistics_agent_id, %(company)s, now(), now(), 1, 1
          FROM res_partner p
          CROSS JOIN generate_series(0, 5) AS k
          CROSS JOIN LATERAL (SELECT %(today)s::date - (1 + mod(p.id * 13, 75))
                              - 60 * k AS day) d
         WHERE p.company_id = %(company)s AND p.logistics_customer
           AND mod(p.id, 100) != 0
        """,
        {"rule": rule.id, "company": company.id, "today": today},
    )


def add_tickets(env, company, count):
    """Tickets and complaints through helpdesk_mgmt's create(), three per
    customer on the first customers: the frequent-problems rule's input."""
    partners = env["res.partner"].search(
        [("company_id", "=", company.id), ("logistics_customer", "=", True)],
        limit=max(1, count // 3),
        order="id",
    )
    env["helpdesk.ticket"].with_company(company).create(
        [
            {
                "name": f"问题 {i}",
                "description": "<p>包裹延误</p>",
                "partner_id": partners[i % len(partners)].id,
                "company_id": company.id,
            }
            for i in range(count)
        ]
    )


def time_select(env, company, today):
    from odoo.tools import SQL  # noqa: PLC0415

    Revisit = env["logistics.revisit"]
    due = Revisit._due_sql(company, today)
    start = time.perf_counter()
    env.cr.execute(SQL("SELECT DISTINCT partner_id FROM (%s) AS due", due))
    found = len(env.cr.fetchall())
    return found, time.perf_counter() - start


def run_plan(env, company, today):
    Revisit = env["logistics.revisit"].with_company(company)
    start = time.perf_counter()
    result = Revisit._plan_company(company, today)
    env.flush_all()
    return result, time.perf_counter() - start


def measure(env, company, today):
    """select, plan, rerun and peak memory of one company, each plan rolled
    back so that the next starts from the same state."""
    cr = env.cr
    time_select(env, company, today)  # warm the cache the same way
    found, select_s = time_select(env, company, today)
    first, plan_s = run_plan(env, company, today)
    rerun, rerun_s = run_plan(env, company, today)
    cr.rollback()
    env.invalidate_all()
    tracemalloc.start()
    run_plan(env, company, today)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    cr.rollback()
    env.invalidate_all()
    return {
        "found": found,
        "select_s": select_s,
        "plan": first,
        "plan_s": plan_s,
        "rerun": rerun,
        "rerun_s": rerun_s,
        "peak": peak,
    }


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)

    from odoo import api  # noqa: PLC0415

    registry = open_registry(args.database, args.addons_path)
    today = date.today()

    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        env = env(context=env["res.users"].context_get())
        large = env.company
        small = env["res.company"].create({"name": "Small Express"})
        companies = large | small
        print(
            f"inserting {args.customers} + {args.small} customers and their "
            "history (untimed) ...",
            flush=True,
        )
        start = time.perf_counter()
        agents = add_agents(env, args.agents, companies)
        populate(env, small, args.small, agents, today, 0, args.parcels)
        populate(env, large, args.customers, agents, today, args.small, args.parcels)
        env.invalidate_all()
        add_tickets(env, large, args.tickets)
        add_tickets(env, small, max(3, args.tickets * args.small // args.customers))
        for table in ("res_partner", "logistics_waybill", "logistics_revisit"):
            cr.execute(f"ANALYZE {table}")
        cr.commit()
        print(f"prepared in {time.perf_counter() - start:.1f} s", flush=True)
        results = {}
        for name, company in (("small", small), ("large", large)):
            results[name] = measure(env, company, today)

    for name, res in results.items():
        if res["plan"]["created"] != res["found"]:
            print(
                f"MISMATCH ({name}): SELECT found {res['found']} due customers, "
                f"the planner created {res['plan']['created']}",
                file=sys.stderr,
            )
            return 1
        if res["rerun"]["created"] or res["rerun"]["changed"]:
            print(
                f"MISMATCH ({name}): the rerun changed {res['rerun']}", file=sys.stderr
            )
            return 1
    print()
    print(f"{'path':<46} {'revisits':>9} {'seconds':>9}")
    for name, res in results.items():
        rows = (
            (
                f"{name}: bare indexed SELECT of the due customers",
                res["found"],
                res["select_s"],
            ),
            (
                f"{name}: planner (create, plan, activities)",
                res["plan"]["created"],
                res["plan_s"],
            ),
            (
                f"{name}: planner rerun the same day",
                res["rerun"]["created"],
                res["rerun_s"],
            ),
        )
        for label, count, seconds in rows:
            print(f"{label:<46} {count:>9} {seconds:>9.3f}")
    large_res, small_res = results["large"], results["small"]
    print(
        f"customers={args.customers} small={args.small} agents={args.agents} "
        f"assigned_today={large_res['plan']['assigned']} "
        f"target={large_res['plan']['target']}"
    )
    print(f"peak_kib_small={small_res['peak'] / 1024:.1f}")
    print(f"peak_kib_large={large_res['peak'] / 1024:.1f}")
    print(f"peak_memory_ratio={large_res['peak'] / max(small_res['peak'], 1):.3f}")
    print(f"plan_to_select_ratio={large_res['plan_s'] / large_res['select_s']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
