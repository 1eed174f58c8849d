# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The caller look-up's search (issue 15, item 1) on many waybills.

Run by ``bench/lookup``, which creates a fresh database with the addon, runs
this file with the Odoo Python and drops the database. Run directly::

    /opt/odoo/venv/bin/python bench/lookup_bench.py --database DB \\
        --addons-path /work/main,/opt/odoo/addons [--waybills N]

``--waybills`` waybills (100,000 by default) written by SQL, untimed, with
three-character Chinese names (sender and receiver) and mobile phones
stored as people type them (``+86 138 0013 8000``, ``138-0013-8000``), their
normalised keys and last 4 digits as the ORM computes them. Then, for one
parcel's full phone (typed otherwise), last 4 digits, receiver name and
number: the look-up's ORM search (``caller_query``, as
``action_caller_lookup`` runs it), best of 20, its plan (the index scans
PostgreSQL chose), and the same SQL with index scans refused (the table
scan the indexes save). Rolled back at the end.
"""

import argparse
import random
import sys
import time

from odoo_registry import open_registry


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--waybills", type=int, default=100_000)
    return parser.parse_args(argv)


SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
    "鑫宇浩然子涵欣怡梓轩雨萱博文思远嘉诚"
)


def populate(env, count):
    from odoo.tools import SQL  # noqa: PLC0415

    from odoo.addons.logistics_followup.core import lookup, masking  # noqa: PLC0415

    rnd = random.Random(15)
    courier = env.ref("logistics_followup.courier_sf")
    columns = {k: [] for k in ("number", "rname", "sname", "phone", "last4", "key")}
    for index in range(count):
        digits = f"1{rnd.randint(3, 9)}{rnd.randrange(10**9):09d}"
        typed = rnd.choice(
            [
                digits,
                f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}",
                "-".join([digits[:3], digits[3:7], digits[7:]]),
            ]
        )
        columns["number"].append(f"SF9{index:012d}")
        columns["rname"].append(
            rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN)
        )
        columns["sname"].append(
            rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN)
        )
        columns["phone"].append(typed)
        columns["last4"].append(masking.phone_last4(typed))
        columns["key"].append(lookup.normalize_phone(typed))
    env.cr.execute(
        SQL(
            "INSERT INTO logistics_waybill (number, courier_id, company_id, "
            "receiver_name, sender_name, receiver_phone, receiver_phone_last4, "
            "receiver_phone_key, direction, state, active) "
            "SELECT n, %(courier)s, %(company)s, r, s, p, l, k, 'outbound', "
            "'created', TRUE FROM unnest(%(n)s::varchar[], %(r)s::varchar[], "
            "%(s)s::varchar[], %(p)s::varchar[], %(l)s::varchar[], "
            "%(k)s::varchar[]) AS t(n, r, s, p, l, k)",
            courier=courier.id,
            company=env.company.id,
            n=columns["number"],
            r=columns["rname"],
            s=columns["sname"],
            p=columns["phone"],
            l=columns["last4"],
            k=columns["key"],
        )
    )
    env.cr.execute("ANALYZE logistics_waybill")
    middle = count // 2
    key = columns["key"][middle]
    return {
        "phone": f"0086 {key[:3]}-{key[3:7]}-{key[7:]}",
        "last4": columns["last4"][middle],
        "name": columns["rname"][middle],
        "number": columns["number"][middle].lower(),
    }


def measure(env, words):
    from odoo.tools import SQL  # noqa: PLC0415

    Waybill = env["logistics.waybill"]
    domain = [("caller_query", "ilike", words)]
    best = float("inf")
    for _ in range(20):
        start = time.perf_counter()
        found = Waybill.search(domain, order="id")
        best = min(best, time.perf_counter() - start)
    query = Waybill._search(domain, order="id").select()
    env.cr.execute(SQL("EXPLAIN %s", query))
    scans = sorted(
        {
            line.split(" on ")[0].strip(" ->").split("  ")[0]
            + " on "
            + line.split(" on ")[1].split()[0]
            for (line,) in env.cr.fetchall()
            if " Scan on " in line or " Scan using " in line
        }
    )
    env.cr.execute("SET LOCAL enable_indexscan = off")
    env.cr.execute("SET LOCAL enable_bitmapscan = off")
    start = time.perf_counter()
    env.cr.execute(query)
    scan = time.perf_counter() - start
    env.cr.execute("SET LOCAL enable_indexscan = on")
    env.cr.execute("SET LOCAL enable_bitmapscan = on")
    return len(found), best, scan, scans


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)

    from odoo import api  # noqa: PLC0415

    registry = open_registry(args.database, args.addons_path)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        print(f"inserting {args.waybills} waybills (untimed) ...", flush=True)
        words = populate(env, args.waybills)
        ratio = None
        for reading, text in words.items():
            found, best, scan, scans = measure(env, text)
            print(
                f"{reading:7} {text!r}: {found} found, ORM search {best * 1000:.2f} "
                f"ms (best of 20), the same SQL as a table scan {scan * 1000:.2f} "
                f"ms; plan: {', '.join(scans) or 'table scan'}",
                flush=True,
            )
            if reading == "name":
                ratio = scan / best
        cr.rollback()
    print(f"name_index_speedup={ratio:.1f}")


if __name__ == "__main__":
    main()
