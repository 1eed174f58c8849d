# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Throughput of ``logistics.tracking.event.ingest`` (R-WB-3), in one run.

Run by ``bench/ingest``, which creates a fresh database with the addon, runs
this file with the Odoo Python and drops the database. Run directly::

    /opt/odoo/venv/bin/python bench/ingest_bench.py --database DB \\
        --addons-path /work/main,/opt/odoo/addons [--events N --waybills W ...]

Three ways of turning the same tracking rows into stored events:

* ours: ``env["logistics.tracking.event"].ingest(batch, source="api")``, batches
  of ``--batch`` rows (default 10,000), one commit per batch; the rows are raw
  (ISO times with an offset, Kuaidi100 codes, Chinese text), so normalisation,
  courier and number checks, dedup keys, the INSERT and the waybill state
  recompute are all timed;
* COPY: the same rows, already normalised untimed (waybill_id, event_time,
  place, state, description, dedup_key, the values ``ingest`` stores),
  ``COPY ... FROM STDIN`` into a scratch table of those six columns with a
  unique index on dedup_key, same batches and commits: the physical limit of
  storing the rows with the same constraint. Formatting the COPY text is
  timed. A second COPY writes every column ``ingest`` writes into an
  identical table: ``CREATE TABLE ... (LIKE logistics_tracking_event
  INCLUDING ALL)`` (columns, defaults, indexes, constraints) plus its foreign
  keys, the cost of storing the same rows in a table like ours;
* naive: per event, normalise the row, look the courier and the waybill up,
  check the dedup key, one ORM ``create``, then recompute the waybill's state
  with ORM searches and a ``write``; run on ``--naive-sample`` events only and
  extrapolated (events/s of the sample).

The waybills are created before anything is timed, the same way (ORM
``create``, tracking disabled) for every path: ours on waybills
``SF1000000000000``.., naive on its own ``SF2000000000000``.. (so its events do
not collide with ours), COPY references ours. The last two lines are
``ingest_to_copy_ratio=<ours events/s / raw COPY events/s>`` (for reference)
and, last, ``ingest_to_identical_copy_ratio=<ours events/s / events/s of the
COPY into the identical table>``.

``--notify`` measures instead what customer notifications cost the
ingestion: every waybill has a sender and a receiver with an e-mail (opted
in by default), the same rows are ingested twice into two sets of waybills,
once with notifications switched off and once on (the ingestion then flags
the waybills that reached a milestone and triggers the dispatch, which runs
apart: timed separately, informational). The last line is
``notify_overhead=<seconds with / seconds without>``.
"""

import argparse
import sys
import threading
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from odoo_registry import open_registry

OURS_BASE = 1_000_000_000_000
NAIVE_BASE = 2_000_000_000_000
NOTIFY_BASE = 3_000_000_000_000
START = datetime(2026, 6, 1, 8, 0)
SPREAD_MINUTES = 120 * 24 * 60  # waybill start times spread over 120 days
STATUSES = ("1", "0", "0", "5", "301")  # Kuaidi100: 揽收, 在途, 在途, 派件, 本人签收
ORIGINS = (
    "深圳宝安区福永网点",
    "广州白云区太和网点",
    "东莞长安镇营业部",
    "上海浦东新区张江网点",
)
HUBS = ("深圳华南转运中心", "广州花都集散中心", "武汉华中转运中心", "杭州萧山转运中心")
STATIONS = (
    "杭州西湖区文三路网点",
    "北京朝阳区望京网点",
    "成都高新区天府三街网点",
    "南京鼓楼区湖南路网点",
)
COURIERS = ("张师傅", "李师傅", "王师傅", "赵师傅")


# ---------------------------------------------------------------- the rows


def events_per_waybill(events, waybills):
    base, extra = divmod(events, waybills)
    return [base + (1 if index < extra else 0) for index in range(waybills)]


def make_row(base, index, step):
    """Row ``step`` of waybill ``index``: times increase with ``step``."""
    status = STATUSES[step % len(STATUSES)]
    start = START + timedelta(minutes=(index * 7) % SPREAD_MINUTES)
    moment = start + timedelta(minutes=step * 180 + (index * 37 + step * 11) % 60)
    origin = ORIGINS[index % len(ORIGINS)]
    hub = HUBS[(index + step) % len(HUBS)]
    station = STATIONS[index % len(STATIONS)]
    courier = COURIERS[(index + step) % len(COURIERS)]
    if status == "1":
        place, text = origin, f"顺丰速运 已收取快件(第{step // 5 + 1}次揽收)"
    elif status == "0":
        place = hub
        text = f"快件在【{hub}】完成分拣,准备发往【{station[:2]}转运中心】"
    elif status == "5":
        place = station
        text = f"快件交给{courier},正在派送途中(联系电话:1380013{index % 10000:04d})"
    else:
        place, text = station, "已签收,签收人是:本人,感谢使用顺丰,期待再次为您服务"
    row = {
        "waybill": f"SF{base + index:013d}",
        "courier": "SF",
        "time": moment.strftime("%Y-%m-%dT%H:%M:%S+08:00"),
        "status": status,
        "place": place,
        "description": text,
    }
    if status in ("5", "301"):
        row["operator"] = courier
    return row


def build_rows(base, counts, order):
    """All rows of waybills ``base + i``; ``interleaved``: step-major (each
    batch carries the next scan of many waybills, like a live feed),
    ``grouped``: waybill-major (each waybill's history in a row)."""
    if order == "grouped":
        return [
            make_row(base, index, step)
            for index, count in enumerate(counts)
            for step in range(count)
        ]
    return [
        make_row(base, index, step)
        for step in range(max(counts, default=0))
        for index, count in enumerate(counts)
        if step < count
    ]


# ------------------------------------------------------------------ helpers


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def create_waybills(env, base, count):
    """The waybills of the rows, through the ORM, before any timing."""
    courier = env.ref("logistics_followup.courier_sf")
    Waybill = env["logistics.waybill"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
    for start in range(0, count, 2000):
        Waybill.create(
            [
                {"number": f"SF{base + index:013d}", "courier_id": courier.id}
                for index in range(start, min(count, start + 2000))
            ]
        )
        env.cr.commit()
        env.invalidate_all()


def waybill_ids(env, base, count):
    numbers = [f"SF{base + index:013d}" for index in range(count)]
    env.cr.execute(
        "SELECT number, id FROM logistics_waybill WHERE number = ANY(%s)", [numbers]
    )
    return dict(env.cr.fetchall())


def check_stored(env, label, base, count, expected_events, expected_state):
    """The events and states a path stored: a fast path that stores less is
    not faster."""
    numbers = [f"SF{base + index:013d}" for index in range(count)]
    env.cr.execute(
        "SELECT count(e.id), count(DISTINCT e.dedup_key) FROM logistics_waybill w "
        "JOIN logistics_tracking_event e ON e.waybill_id = w.id "
        "WHERE w.number = ANY(%s)",
        [numbers],
    )
    events, keys = env.cr.fetchone()
    env.cr.execute(
        "SELECT state, count(*) FROM logistics_waybill WHERE number = ANY(%s) "
        "GROUP BY state",
        [numbers],
    )
    states = dict(env.cr.fetchall())
    problems = []
    if events != expected_events or keys != expected_events:
        problems.append(f"{events} events ({keys} keys), expected {expected_events}")
    if expected_state and states.get(expected_state) != count:
        problems.append(f"waybill states {states}, expected {expected_state}")
    if problems:
        raise SystemExit(f"{label}: wrong result: {'; '.join(problems)}")


def expected_final_state(counts):
    """Every waybill ends on the same status when all have the same count."""
    if len(set(counts)) != 1 or not counts[0]:
        return None
    return {"1": "picked_up", "0": "in_transit", "5": "out_for_delivery"}.get(
        STATUSES[(counts[0] - 1) % len(STATUSES)], "delivered"
    )


# ---------------------------------------------------------------- profiling


class Profile:
    """Time per phase of ``ingest``: Python phases by wrapping the functions
    the model calls, SQL by Odoo's per-thread query hook."""

    SQL_LABELS = (
        ("INSERT INTO logistics_tracking_event", "SQL insert events"),
        ("UPDATE logistics_waybill w SET state", "SQL recompute waybills"),
        ("UPDATE logistics_waybill w SET expected_date", "SQL expected dates"),
        ("SELECT id FROM logistics_waybill WHERE id = ANY", "SQL lock waybills"),
        ("SELECT w.number, w.courier_id, w.id", "SQL waybill ids"),
        ("INSERT INTO logistics_waybill", "SQL create waybills"),
    )

    def __init__(self, env):
        from odoo.addons.logistics_followup.core import (  # noqa: PLC0415
            tracking,
            waybill,
        )

        self.times = defaultdict(float)
        self.calls = defaultdict(int)
        self.patched = []
        self._wrap(tracking, "normalize_row", "py normalize_row")
        self._wrap(tracking, "dedup_key", "py dedup_key (sha1)")
        self._wrap(waybill, "validate_number", "py validate_number (courier)")
        # the same work done per batch (RowBatch, NumberChecker), when the
        # benchmarked revision has them
        self._wrap(getattr(tracking, "RowBatch", None), "normalize", "py normalize_row")
        self._wrap(getattr(tracking, "RowBatch", None), "key", "py dedup_key (sha1)")
        self._wrap(
            getattr(waybill, "NumberChecker", None),
            "validate",
            "py validate_number (courier)",
        )
        self.thread = threading.current_thread()

    def _wrap(self, module, name, label):
        if module is None:
            return
        original = getattr(module, name)
        times, calls, clock = self.times, self.calls, time.perf_counter

        def wrapper(*args, **kwargs):
            start = clock()
            try:
                return original(*args, **kwargs)
            finally:
                times[label] += clock() - start
                calls[label] += 1

        setattr(module, name, wrapper)
        self.patched.append((module, name, original))

    def hook(self, _cr, query, _params, _start, delay):
        text = query.decode() if isinstance(query, bytes) else str(query)
        label = "SQL other"
        for prefix, name in self.SQL_LABELS:
            if text.lstrip().startswith(prefix):
                label = name
                break
        self.times[label] += delay
        self.calls[label] += 1

    def __enter__(self):
        self.thread.query_hooks = (*getattr(self.thread, "query_hooks", ()), self.hook)
        return self

    def __exit__(self, *exc):
        self.thread.query_hooks = tuple(
            h for h in getattr(self.thread, "query_hooks", ()) if h != self.hook
        )
        for module, name, original in self.patched:
            setattr(module, name, original)

    def report(self, total, commit):
        print(f"\nprofile of ours (total {total:.2f} s incl. commits):")
        known = 0.0
        # dedup_key runs inside nothing else we time; normalize_row and
        # validate_number neither: the phases are disjoint
        for label in sorted(self.times, key=lambda k: -self.times[k]):
            seconds = self.times[label]
            known += seconds
            print(
                f"  {label:<32} {seconds:8.2f} s {100 * seconds / total:5.1f} %"
                f"  {self.calls[label]:>8} calls"
            )
        print(
            f"  {'commit':<32} {commit:8.2f} s {100 * commit / total:5.1f} %"
            f"\n  {'other Python (loops, columns)':<32} "
            f"{total - known - commit:8.2f} s "
            f"{100 * (total - known - commit) / total:5.1f} %"
        )


# --------------------------------------------------------------- the paths


def run_ours(env, rows, batch_size, profile):
    Event = env["logistics.tracking.event"]
    elapsed = commit_time = 0.0
    accepted = 0
    prof = Profile(env) if profile else None
    if prof:
        prof.__enter__()
    try:
        for batch in chunks(rows, batch_size):
            start = time.perf_counter()
            result = Event.ingest(batch, source="api")
            middle = time.perf_counter()
            env.cr.commit()
            end = time.perf_counter()
            elapsed += end - start
            commit_time += end - middle
            if result["rejected"] or result["duplicates"]:
                raise SystemExit(f"ours: unexpected result {result!r:.500}")
            accepted += result["accepted"]
            env.invalidate_all()
    finally:
        if prof:
            prof.__exit__(None, None, None)
    if prof:
        prof.report(elapsed, commit_time)
    return accepted, elapsed


def normalised(env, rows, ids):
    """Rows as the values ``ingest`` stores (untimed, for COPY)."""
    from odoo.addons.logistics_followup.core import events, status  # noqa: PLC0415
    from odoo.addons.logistics_followup.models.common import (  # noqa: PLC0415
        local_tz_name,
    )

    tz_name = local_tz_name(env)
    mapping = env["logistics.status.mapping"]._get_mapping()
    result = []
    for raw in rows:
        row = events.normalize_row(raw, tz_name=tz_name, mapping=mapping)
        result.append(
            (
                ids[row.number],
                row.time,
                row.place or None,
                row.state,
                status.STATE_RANK[row.state],
                row.signed_by,
                row.status_raw or None,
                row.description or None,
                row.operator or None,
                row.operator_phone or None,
                row.key_for("SF"),
            )
        )
    return result


def _copy_text(value):
    if value is None:
        return "\\N"
    text = value if isinstance(value, str) else str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def run_copy(env, values, batch_size, full):
    """COPY the normalised rows in batches, one commit per batch."""
    import io  # noqa: PLC0415

    cr = env.cr
    if full:
        table = "bench_copy_full"
        cr.execute(
            "CREATE TABLE bench_copy_full (LIKE logistics_tracking_event INCLUDING ALL)"
        )
        cr.execute("CREATE SEQUENCE bench_copy_full_id_seq OWNED BY bench_copy_full.id")
        cr.execute(
            "ALTER TABLE bench_copy_full ALTER id SET DEFAULT "
            "nextval('bench_copy_full_id_seq')"
        )
        # the access-log columns only when the event table has them (an older
        # revision, --rev)
        cr.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = "
            "'logistics_tracking_event' AND column_name = 'create_uid'"
        )
        log_access = bool(cr.fetchone())
        for column, target in (
            ("waybill_id", "logistics_waybill"),
            ("company_id", "res_company"),
            *((("create_uid", "res_users"), ("write_uid", "res_users")) * log_access),
        ):
            cr.execute(
                f"ALTER TABLE bench_copy_full ADD FOREIGN KEY ({column}) "
                f"REFERENCES {target} (id)"
            )
        columns = (
            "waybill_id, company_id, event_time, place, state, state_rank, "
            "signed_by, status_raw, description, operator, operator_phone, "
            "dedup_key, source"
            + (", create_uid, create_date, write_uid, write_date" * log_access)
        )
        company = str(env.company.id)
        uid = str(env.uid)

        def line(v):
            return "\t".join(
                (
                    str(v[0]),
                    company,
                    *(_copy_text(x) for x in v[1:]),
                    "api",
                    *((uid, now, uid, now) * log_access),
                )
            )
    else:
        table = "bench_copy_event"
        cr.execute(
            "CREATE TABLE bench_copy_event AS SELECT waybill_id, event_time, place, "
            "state, description, dedup_key FROM logistics_tracking_event WITH NO DATA"
        )
        cr.execute("CREATE UNIQUE INDEX ON bench_copy_event (dedup_key)")
        columns = "waybill_id, event_time, place, state, description, dedup_key"

        def line(v):
            return "\t".join(
                (
                    str(v[0]),
                    str(v[1]),
                    _copy_text(v[2]),
                    v[3],
                    _copy_text(v[7]),
                    v[10],
                )
            )

    cr.commit()
    statement = f"COPY {table} ({columns}) FROM STDIN"
    elapsed = 0.0
    for batch in chunks(values, batch_size):
        start = time.perf_counter()
        now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        text = "\n".join(line(v) for v in batch) + "\n"
        cr.copy_expert(statement, io.StringIO(text))
        cr.commit()
        elapsed += time.perf_counter() - start
    cr.execute(f"SELECT count(*), count(DISTINCT dedup_key) FROM {table}")
    count, keys = cr.fetchone()
    if count != len(values) or keys != len(values):
        raise SystemExit(f"COPY: {count} rows ({keys} keys), expected {len(values)}")
    return count, elapsed


def run_naive(env, rows, batch_size):
    """One ORM create per event and an ORM recompute of its waybill."""
    from odoo.addons.logistics_followup.core import events, status  # noqa: PLC0415
    from odoo.addons.logistics_followup.models.common import (  # noqa: PLC0415
        local_tz_name,
    )

    Event = env["logistics.tracking.event"]
    Waybill = env["logistics.waybill"]
    Courier = env["logistics.courier"]
    Mapping = env["logistics.status.mapping"]
    tz_name = local_tz_name(env)
    elapsed = 0.0
    created = 0
    for batch in chunks(rows, batch_size):
        start = time.perf_counter()
        for raw in batch:
            row = events.normalize_row(
                raw, tz_name=tz_name, mapping=Mapping._get_mapping()
            )
            courier = Courier.search([("code", "=", row.courier_code)], limit=1)
            waybill = Waybill.search(
                [("number", "=", row.number), ("courier_id", "=", courier.id)],
                limit=1,
            )
            key = row.key_for(courier.code)
            if Event.search_count([("dedup_key", "=", key)], limit=1):
                continue
            Event.create(
                {
                    "waybill_id": waybill.id,
                    "company_id": waybill.company_id.id,
                    "event_time": row.time,
                    "place": row.place or False,
                    "state": row.state,
                    "state_rank": status.STATE_RANK[row.state],
                    "signed_by": row.signed_by or False,
                    "status_raw": row.status_raw or False,
                    "description": row.description or False,
                    "operator": row.operator or False,
                    "operator_phone": row.operator_phone or False,
                    "dedup_key": key,
                    "source": "api",
                }
            )
            created += 1
            last = Event.search(
                [("waybill_id", "=", waybill.id)],
                order="event_time desc, state_rank desc, dedup_key desc",
                limit=1,
            )
            first_scan = Event.search(
                [("waybill_id", "=", waybill.id), ("state", "!=", "created")],
                order="event_time asc",
                limit=1,
            )
            waybill.write(
                {
                    "state": last.state,
                    "signed_by": last.signed_by if last.state == "delivered" else False,
                    "last_event_time": last.event_time,
                    "last_event_place": last.place,
                    "first_scan_time": first_scan.event_time,
                }
            )
        env.cr.commit()
        elapsed += time.perf_counter() - start
        env.invalidate_all()
    return created, elapsed


# -------------------------------------------------------------------- main


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--waybills", type=int, default=20_000)
    parser.add_argument("--naive-sample", type=int, default=2_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument(
        "--order",
        choices=("interleaved", "grouped"),
        default="interleaved",
        help="row order: step-major like a live feed (default) or per waybill",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="break ours down by phase (adds a little overhead to ours)",
    )
    parser.add_argument(
        "--notify",
        action="store_true",
        help="measure the overhead of customer notifications on ingest",
    )
    args = parser.parse_args(argv)
    if not 0 < args.waybills <= args.events:
        parser.error("need 0 < --waybills <= --events")
    if args.naive_sample < 1 or args.batch < 1:
        parser.error("--naive-sample and --batch must be positive")
    return args


def give_partners(env, base, count):
    """Every waybill of ``base`` gets a sender and a receiver with an e-mail
    (200 partners shared; untimed, by SQL on our own table)."""
    partners = env["res.partner"].create(
        [{"name": f"客户 {i}", "email": f"customer{i}@example.com"} for i in range(200)]
    )
    ids = partners.ids
    env.cr.execute(
        "UPDATE logistics_waybill SET sender_partner_id = (%s::int[])[1 + id %% 100], "
        "receiver_partner_id = (%s::int[])[101 + id %% 100] "
        "WHERE number LIKE %s",
        [ids, ids, f"SF{base // 10**12}%"],
    )


def run_notify(env, args, counts):
    """The same rows ingested with notifications off, then on, into two sets
    of waybills; then the dispatch, apart."""
    Config = env["ir.config_parameter"].sudo()
    Config.set_param("logistics_followup.notify_max_age_days", "3650")
    rows_off = build_rows(OURS_BASE, counts, args.order)
    rows_on = build_rows(NOTIFY_BASE, counts, args.order)
    create_waybills(env, OURS_BASE, args.waybills)
    create_waybills(env, NOTIFY_BASE, args.waybills)
    give_partners(env, OURS_BASE, args.waybills)
    give_partners(env, NOTIFY_BASE, args.waybills)
    env.cr.commit()
    # batch by batch, off and on in turn (the order swapped every other
    # batch), so both see the same table sizes and the same machine noise
    print("ingest, notifications off and on in turn ...", flush=True)
    timed = {False: 0.0, True: 0.0}
    accepted = {False: 0, True: 0}
    Event = env["logistics.tracking.event"]
    batches = zip(
        chunks(rows_off, args.batch), chunks(rows_on, args.batch), strict=True
    )
    for number, (batch_off, batch_on) in enumerate(batches):
        runs = [(False, batch_off), (True, batch_on)]
        for enabled, batch in runs if number % 2 == 0 else runs[::-1]:
            Config.set_param(
                "logistics_followup.notify_enabled", "1" if enabled else "0"
            )
            env.cr.commit()
            start = time.perf_counter()
            result = Event.ingest(batch, source="api")
            env.cr.commit()
            timed[enabled] += time.perf_counter() - start
            accepted[enabled] += result["accepted"]
            env.invalidate_all()
    off = (accepted[False], timed[False])
    on = (accepted[True], timed[True])
    env.cr.execute("SELECT count(*) FROM logistics_waybill WHERE notify_pending")
    flagged = env.cr.fetchone()[0]
    start = time.perf_counter()
    counts_sent = env["logistics.notification"]._dispatch(commit=True)
    dispatch_s = time.perf_counter() - start
    print()
    print(f"{'path':<44} {'events':>8} {'seconds':>9} {'events/s':>10}")
    for label, (count, seconds) in (
        ("ingest(), notifications off", off),
        ("ingest(), notifications on", on),
    ):
        print(f"{label:<44} {count:>8} {seconds:>9.2f} {count / seconds:>10.0f}")
    print(
        f"dispatch (apart, informational): {flagged} waybills flagged, "
        f"{counts_sent['queued']} notifications queued in {dispatch_s:.2f} s"
    )
    print(f"notify_overhead={on[1] / off[1]:.3f}")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)

    from odoo import api  # noqa: PLC0415

    registry = open_registry(args.database, args.addons_path)

    counts = events_per_waybill(args.events, args.waybills)
    per = max(1, round(args.events / args.waybills))
    naive_counts = events_per_waybill(args.naive_sample, -(-args.naive_sample // per))

    if args.notify:
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env = env(context=env["res.users"].context_get())
            run_notify(env, args, counts)
        return

    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        env = env(context=env["res.users"].context_get())
        print(
            f"building {args.events} rows over {args.waybills} waybills "
            f"({args.order} order), naive sample {args.naive_sample} rows over "
            f"{len(naive_counts)} waybills",
            flush=True,
        )
        start = time.perf_counter()
        rows = build_rows(OURS_BASE, counts, args.order)
        naive_rows = build_rows(NAIVE_BASE, naive_counts, args.order)
        create_waybills(env, OURS_BASE, args.waybills)
        create_waybills(env, NAIVE_BASE, len(naive_counts))
        ids = waybill_ids(env, OURS_BASE, args.waybills)
        values = normalised(env, rows, ids)
        cr.commit()
        print(f"prepared in {time.perf_counter() - start:.1f} s (untimed)", flush=True)

        results = {}
        print("ours: ingest ...", flush=True)
        results["ours"] = run_ours(env, rows, args.batch, args.profile)
        check_stored(
            env,
            "ours",
            OURS_BASE,
            args.waybills,
            args.events,
            expected_final_state(counts),
        )
        del rows
        print("COPY ...", flush=True)
        results["copy"] = run_copy(env, values, args.batch, full=False)
        results["copy_full"] = run_copy(env, values, args.batch, full=True)
        del values
        print("naive ...", flush=True)
        results["naive"] = run_naive(env, naive_rows, args.batch)
        check_stored(
            env,
            "naive",
            NAIVE_BASE,
            len(naive_counts),
            args.naive_sample,
            expected_final_state(naive_counts),
        )

    rate = {name: count / seconds for name, (count, seconds) in results.items()}
    labels = {
        "ours": f"ours: ingest(), batches of {args.batch}",
        "copy": "COPY: 6 columns + unique(dedup_key)",
        "copy_full": "COPY: identical table (LIKE ALL + FKs)",
        "naive": "naive: ORM create per event (sampled)",
    }
    print()
    print(f"{'path':<40} {'events':>8} {'seconds':>9} {'events/s':>10}")
    for name, (count, seconds) in results.items():
        print(f"{labels[name]:<40} {count:>8} {seconds:>9.2f} {rate[name]:>10.0f}")
    print(f"naive: events/s of the {args.naive_sample}-event sample")
    print(f"ours_to_naive_ratio={rate['ours'] / rate['naive']:.3f}")
    # the raw COPY ratio for reference, the identical table's last
    print(f"ingest_to_copy_ratio={rate['ours'] / rate['copy']:.3f}")
    print(f"ingest_to_identical_copy_ratio={rate['ours'] / rate['copy_full']:.3f}")


if __name__ == "__main__":
    main()
