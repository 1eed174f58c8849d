# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The supervisor reports' analysis views against hand-written SQL, in one run.

Run by ``bench/reports``, which creates a fresh database with the addon, runs
this file with the Odoo Python and drops the database. Run directly::

    /opt/odoo/venv/bin/python bench/reports_bench.py --database DB \\
        --addons-path /work/main,/opt/odoo/addons [--waybills N --tickets T]

``--waybills`` waybills (1,000,000) and ``--tickets`` logistics tickets
(200,000: problem parcels, complaints, chases) are written by SQL, untimed
(setup only: production code creates tickets through the ORM), shipped over
three months, over 2 couriers, 50 stations, the seeded causes and problem
types. Then each analysis model's default grouped read (``_read_group``, as
the pivot view asks it) is timed against the hand-written aggregate SQL over
the base tables giving the same figures (checked equal), best of
``--repeat``. Printed: one line per view and, last, ``report_to_sql_ratio``
(the worst view's read / SQL time).
"""

import argparse
import sys
import time
from datetime import datetime

from odoo_registry import open_registry


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--waybills", type=int, default=1_000_000)
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    return parser.parse_args(argv)


def populate(env, waybills, tickets, start):
    """Waybills and tickets by SQL (untimed), their mix by modulo."""
    cr = env.cr
    # weeks start on Monday, as in China (the hand-written SQL's date_trunc)
    env["res.lang"]._activate_lang(env.user.lang or "en_US").week_start = "1"
    couriers = [env.ref("logistics_followup.courier_sf").id]
    couriers.append(env.ref("logistics_followup.courier_cpi").id)
    causes = env["logistics.cause"].search([]).ids
    types = env["logistics.problem.type"].search([("kind", "=", "problem")]).ids
    targets = env["logistics.response.target"].search([]).ids or [None]
    stage_open = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress").id
    stage_done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id
    users = env["res.users"].search([("share", "=", False)], limit=5).ids
    cr.execute(
        """
        INSERT INTO logistics_waybill (
            number, courier_id, company_id, active, direction, state,
            transfer_count, expected_date_manual, origin_station,
            destination_station, shipped_date, create_date, write_date,
            create_uid, write_uid)
        SELECT 'SF' || lpad((5000000000000 + g)::text, 13, '0'),
            (%(couriers)s::int[])[1 + mod(g, 2)], %(company)s, TRUE,
            CASE WHEN mod(g, 3) = 0 THEN 'inbound' ELSE 'outbound' END,
            'delivered', 0, FALSE, '深圳南山站',
            '站点' || mod(g, 50), %(start)s + mod(g, 92 * 24) * interval '1 hour',
            %(start)s, %(start)s, 1, 1
        FROM generate_series(1, %(count)s) AS g
        """,
        {
            "couriers": couriers,
            "company": env.company.id,
            "start": start,
            "count": waybills,
        },
    )
    cr.execute("SELECT min(id) FROM logistics_waybill WHERE number LIKE 'SF5%%'")
    first = cr.fetchone()[0]
    cr.execute(
        """
        INSERT INTO helpdesk_ticket (
            number, name, description, company_id, active, priority, stage_id,
            user_id, logistics_kind, problem_type_id, cause_id, waybill_id,
            responsible_station, logistics_open, reopen_count,
            response_target_id, first_response_deadline, first_response_date,
            response_breached, create_date, closed_date, write_date,
            create_uid, write_uid)
        SELECT 'B' || g, 'bench ' || g, '<p>bench</p>', %(company)s, TRUE, '1',
            CASE WHEN mod(g, 4) = 0 THEN %(open)s ELSE %(done)s END,
            (%(users)s::int[])[1 + mod(g, %(nusers)s)],
            k.kind,
            CASE WHEN k.kind = 'problem'
                 THEN (%(types)s::int[])[1 + mod(g, %(ntypes)s)] END,
            (%(causes)s::int[])[1 + mod(g, %(ncauses)s)],
            %(first)s + mod(g * 7, %(waybills)s),
            '站点' || mod(g * 7 + %(first)s, 50),
            mod(g, 4) = 0, CASE WHEN mod(g, 17) = 0 THEN 1 ELSE 0 END,
            (%(targets)s::int[])[1 + mod(g, %(ntargets)s)],
            c.created + interval '8 hours',
            c.created + mod(g, 12) * interval '1 hour',
            mod(g, 12) > 8,
            c.created,
            CASE WHEN mod(g, 4) <> 0
                 THEN c.created + mod(g, 200) * interval '1 hour' END,
            c.created, 1, 1
        FROM generate_series(1, %(count)s) AS g
        CROSS JOIN LATERAL (SELECT CASE mod(g, 5)
            WHEN 0 THEN 'complaint' WHEN 1 THEN 'delivery_chase'
            ELSE 'problem' END AS kind) AS k
        CROSS JOIN LATERAL (
            SELECT %(start)s + mod(g, 92 * 24) * interval '1 hour' AS created) AS c
        """,
        {
            "company": env.company.id,
            "open": stage_open,
            "done": stage_done,
            "users": users,
            "nusers": len(users),
            "types": types,
            "ntypes": len(types),
            "causes": causes,
            "ncauses": len(causes),
            "targets": targets,
            "ntargets": len(targets),
            "first": first,
            "waybills": waybills,
            "start": start,
            "count": tickets,
        },
    )
    cr.execute("ANALYZE logistics_waybill")
    cr.execute("ANALYZE helpdesk_ticket")


def _key(value):
    if hasattr(value, "_name"):
        return value.id or None
    if isinstance(value, float):
        return round(value, 2)
    return value if value is not False else None


def normalize(rows):
    return sorted(
        (tuple(_key(v) for v in row) for row in rows), key=lambda r: tuple(map(str, r))
    )


# each view's default grouping (its pivot / action), and the SQL over the base
# tables that gives the same figures
CASES = [
    (
        "shipments per day x courier x direction",
        "logistics.shipment.report",
        [],
        ["shipped_date:day", "courier_id", "direction"],
        ["shipment_count:sum"],
        """SELECT date_trunc('day', shipped_date), courier_id, direction, count(*)
             FROM logistics_waybill WHERE shipped_date IS NOT NULL AND active
            GROUP BY 1, 2, 3""",
    ),
    (
        "problem parcels type x station x courier x week",
        "logistics.ticket.report",
        [("logistics_kind", "=", "problem")],
        ["problem_type_id", "station", "courier_id", "create_date:week"],
        ["ticket_count:sum"],
        """SELECT t.problem_type_id, t.responsible_station, w.courier_id,
                  date_trunc('week', t.create_date), count(*)
             FROM helpdesk_ticket t
             LEFT JOIN logistics_waybill w ON w.id = t.waybill_id
            WHERE t.logistics_kind = 'problem' AND t.active
            GROUP BY 1, 2, 3, 4""",
    ),
    (
        "complaints cause x station x resolution",
        "logistics.ticket.report",
        [("logistics_kind", "=", "complaint")],
        ["cause_id", "station", "resolution"],
        ["ticket_count:sum", "reopened_count:sum"],
        """SELECT t.cause_id, t.responsible_station,
                  CASE WHEN NOT COALESCE(s.closed, FALSE) THEN 'open'
                       WHEN t.closed_date - t.create_date <= interval '24 hours'
                         THEN 'day'
                       WHEN t.closed_date - t.create_date <= interval '72 hours'
                         THEN 'three_days'
                       WHEN t.closed_date - t.create_date <= interval '168 hours'
                         THEN 'week'
                       WHEN t.closed_date IS NULL THEN 'open'
                       ELSE 'longer' END,
                  count(*), count(*) FILTER (WHERE t.reopen_count > 0)
             FROM helpdesk_ticket t
             LEFT JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
            WHERE t.logistics_kind = 'complaint' AND t.active
            GROUP BY 1, 2, 3""",
    ),
    (
        "response breaches target x agent",
        "logistics.ticket.report",
        [("breached", "=", True)],
        ["response_target_id", "user_id"],
        ["breach_count:sum"],
        """SELECT response_target_id, user_id, count(*)
             FROM helpdesk_ticket
            WHERE logistics_kind IS NOT NULL AND active
              AND (COALESCE(response_breached, FALSE) OR (first_response_deadline
                   IS NOT NULL AND COALESCE(first_response_date,
                   now() AT TIME ZONE 'UTC') > first_response_deadline))
            GROUP BY 1, 2""",
    ),
    (
        "complaints per 10,000 parcels courier x month",
        "logistics.complaint.rate.report",
        [],
        ["courier_id", "shipped_date:month"],
        ["parcel_count:sum", "complaint_count:sum", "per_10k:sum"],
        """SELECT w.courier_id, date_trunc('month', w.shipped_date), count(*),
                  COALESCE(sum(c.n), 0),
                  round(COALESCE(sum(c.n), 0)::numeric * 10000 / count(*), 2)
             FROM logistics_waybill w
             LEFT JOIN (SELECT waybill_id, count(*) AS n FROM helpdesk_ticket
                         WHERE logistics_kind = 'complaint' AND active
                         GROUP BY waybill_id) c ON c.waybill_id = w.id
            WHERE w.shipped_date IS NOT NULL AND w.active
            GROUP BY 1, 2""",
    ),
]


def best(repeat, func):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)

    from odoo import api  # noqa: PLC0415

    registry = open_registry(args.database, args.addons_path)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        print(
            f"inserting {args.waybills} waybills and {args.tickets} tickets "
            "(untimed) ...",
            flush=True,
        )
        start = time.perf_counter()
        populate(env, args.waybills, args.tickets, datetime(2026, 9, 1))
        cr.commit()
        print(f"prepared in {time.perf_counter() - start:.1f} s", flush=True)
        print()
        print(
            f"{'view (default grouping)':<50} {'groups':>7} {'read s':>8} {'SQL s':>8}"
        )
        worst = 0.0
        for label, model, domain, groupby, aggregates, sql in CASES:
            Model = env[model]

            def read(
                Model=Model, domain=domain, groupby=groupby, aggregates=aggregates
            ):
                env.invalidate_all()
                return Model._read_group(domain, groupby, aggregates)

            def hand(sql=sql):
                cr.execute(sql)
                return cr.fetchall()

            read()  # warm both the same way
            hand()
            read_s, rows = best(args.repeat, read)
            sql_s, sql_rows = best(args.repeat, hand)
            if normalize(rows) != normalize(sql_rows):
                print(
                    f"MISMATCH: {label}: the view and the SQL differ", file=sys.stderr
                )
                return 1
            ratio = read_s / sql_s
            worst = max(worst, ratio)
            print(
                f"{label:<50} {len(rows):>7} {read_s:>8.3f} {sql_s:>8.3f}  x{ratio:.2f}"
            )
    print(f"waybills={args.waybills} tickets={args.tickets}")
    print(f"report_to_sql_ratio={worst:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
