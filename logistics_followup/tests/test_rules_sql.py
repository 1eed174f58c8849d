# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One implementation per rule: where a rule runs as SQL for speed, the SQL
and the core function give the same result on the same generated data, in
a real database (issue 16).

- the waybill recompute (``logistics.tracking.event._recompute_waybills``)
  and ``core.state.derive_state`` (R-WB-3);
- the detection's predicates (``logistics.problem.detection._rule_sql``) and
  ``core.problem.is_stalled / has_no_first_scan / is_stuck_at_station``
  (R-PP-5, R-PP-6, R-PP-7);
- the transit norm of a waybill (``logistics.waybill._norm_hours_sql``) and
  ``core.transit.pick_norm`` (R-WB-4);
- the tracking-stop cron (``logistics.waybill._cron_flag_stopped_tracking``)
  and ``core.transit.tracking_stop_reason``.
"""

import itertools
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import tagged
from odoo.tools import SQL

from ..core import problem as problem_core
from ..core import state as state_core
from ..core import status as status_core
from ..core import transit as transit_core
from .common import LogisticsCommon

NOW = datetime(2026, 10, 10, 12, 0)
BASE = datetime(2026, 10, 1, 8, 0)

_times = st.one_of(
    st.none(),
    st.integers(-30, 30).map(lambda hours: NOW - timedelta(days=3, hours=hours)),
    st.integers(0, 20).map(lambda days: NOW - timedelta(days=days)),
)
_stop_reasons = st.sampled_from((None, "no_record", "no_change", "aborted"))


@tagged("post_install", "-at_install")
class TestRulesSqlMatchCore(LogisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Waybill = cls.env["logistics.waybill"]
        cls.Event = cls.env["logistics.tracking.event"]
        cls.counter = itertools.count(1)
        cls.courier_zto = cls.env["logistics.courier"].create(
            {"name": "Rules ZTO", "code": "RULESZTO"}
        )

    def new_waybill(self, **values):
        waybill = self.Waybill.create(
            {
                "number": f"SF{8100000000000 + next(self.counter):013d}",
                "courier_id": self.courier_sf.id,
                **values,
            }
        )
        waybill.flush_recordset()
        return waybill

    # -- the recompute and derive_state -----------------------------------

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(status_core.STATES),
                st.integers(0, 3),
                st.sampled_from((None, *status_core.SIGNED_BY)),
                st.sampled_from((None, "深圳转运中心", "福田网点")),
                st.binary(min_size=15, max_size=15).map(bytes.hex),
            ),
            min_size=1,
            max_size=7,
            unique_by=lambda event: event[4],
        )
    )
    def test_recompute_like_derive_state(self, events):
        """R-WB-3: the state, signature, last event, first scan and arrival
        the recompute writes are those of derive_state, ties on the time
        and the state included."""
        waybill = self.new_waybill()
        rows = [
            {
                "time": BASE + timedelta(minutes=minute),
                "state": state,
                "signed_by": signed_by,
                "place": place,
                # unique in the company across examples, same order within one
                "dedup_key": f"{waybill.id:010x}{key}",
            }
            for state, minute, signed_by, place, key in events
        ]
        for row in rows:
            self.env.cr.execute(
                SQL(
                    "INSERT INTO logistics_tracking_event (waybill_id, company_id, "
                    "event_time, place, state, state_rank, signed_by, dedup_key, "
                    "source) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'api')",
                    waybill.id,
                    waybill.company_id.id,
                    row["time"],
                    row["place"],
                    row["state"],
                    status_core.STATE_RANK[row["state"]],
                    row["signed_by"],
                    row["dedup_key"],
                )
            )
        self.Event._recompute_waybills([waybill.id])
        derived = state_core.derive_state(rows)
        waybill.invalidate_recordset()
        self.assertEqual(
            (
                waybill.state,
                waybill.signed_by or None,
                waybill.last_event_time,
                waybill.last_event_place or None,
                waybill.first_scan_time or None,
                waybill.arrival_date or None,
            ),
            (
                derived.state,
                derived.signed_by,
                derived.last_event_time,
                derived.last_event_place,
                derived.first_scan_time,
                derived.arrival_time,
            ),
        )

    # -- the detection's predicates and core.problem ----------------------

    def matches(self, waybill, detection, cutoffs):
        predicate, _key = self.env["logistics.problem.detection"]._rule_sql(
            detection, cutoffs
        )
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM logistics_waybill w WHERE w.id = %s AND %s",
                waybill.id,
                predicate,
            )
        )
        return bool(self.env.cr.fetchone())

    @settings(max_examples=120, deadline=None)
    @given(
        st.sampled_from(status_core.STATES),
        _times,
        _times,
        _times,
        _times,
        st.integers(0, 20).map(lambda days: NOW - timedelta(days=days)),
        _stop_reasons,
    )
    def test_detection_like_core(
        self, state, last_event, first_scan, arrival, shipped, created, stop
    ):
        """R-PP-5 / R-PP-6 / R-PP-7: a waybill matches a detection's SQL
        predicate exactly when the core rule says so (tracking stops
        included)."""
        cutoffs = problem_core.detection_cutoffs(NOW)
        waybill = self.set_tracking(
            self.new_waybill(),
            state=state,
            last_event_time=last_event,
            first_scan_time=first_scan,
            arrival_date=arrival,
            shipped_date=shipped,
            create_date=created,
            tracking_stop_reason=stop,
        )
        expected = {
            "stalled": problem_core.is_stalled(
                state, last_event, cutoffs, stop, first_scan
            ),
            "no_first_scan": problem_core.has_no_first_scan(
                state, first_scan, shipped or created, cutoffs, stop
            ),
            "at_station": problem_core.is_stuck_at_station(state, arrival, cutoffs),
        }
        got = {
            detection: self.matches(waybill, detection, cutoffs)
            for detection in expected
        }
        self.assertEqual(got, expected)

    # -- the transit norm and core.transit.pick_norm ----------------------

    @settings(max_examples=40, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(transit_core.ROUTE_CLASSES),
                st.integers(1, 200),
                st.sampled_from((None, "sf", "zto")),
                st.sampled_from((None, "standard", " Standard ", "EXPRESS")),
                st.sampled_from((None, "land", "air")),
                st.booleans(),
            ),
            max_size=6,
        ),
        st.sampled_from((*transit_core.ROUTE_CLASSES, None)),
        st.sampled_from(("sf", "zto")),
        st.sampled_from((None, "standard", "express", "STANDARD ")),
        st.sampled_from((None, "land", "air")),
    )
    def test_norm_hours_like_pick_norm(self, norms, route, courier, service, mode):
        """R-WB-4: the hours the SQL picks for a waybill are those of the
        most specific matching norm by pick_norm (ties: the first)."""
        Norm = self.env["logistics.transit.time"]
        couriers = {"sf": self.courier_sf, "zto": self.courier_zto}
        Norm.search([]).active = False
        records = Norm.create(
            [
                {
                    "route_class": route_class,
                    "hours": hours,
                    "courier_id": couriers[code].id if code else False,
                    "service": norm_service or False,
                    "transport_mode": norm_mode or False,
                    "active": active,
                }
                for route_class, hours, code, norm_service, norm_mode, active in norms
            ]
        )
        core_norms = [
            transit_core.TransitNorm(
                route_class=record.route_class,
                hours=record.hours,
                courier=record.courier_id.code or None,
                service=record.service or None,
                transport_mode=record.transport_mode or None,
            )
            for record in records.sorted("id")
            if record.active
        ]
        waybill = self.new_waybill(
            courier_id=couriers[courier].id,
            service=service or False,
            transport_mode=mode or False,
        )
        self.set_tracking(waybill, route_class=route)
        Norm.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM logistics_waybill w WHERE w.id = %s",
                self.Waybill._norm_hours_sql("w"),
                waybill.id,
            )
        )
        got = self.env.cr.fetchone()[0]
        best = transit_core.pick_norm(
            core_norms, couriers[courier].code, service, mode, route
        )
        self.assertEqual(got, best.hours if best else None)

    # -- the tracking-stop cron and core.transit.tracking_stop_reason -----

    @settings(max_examples=60, deadline=None)
    @given(
        st.sampled_from(status_core.STATES),
        st.integers(0, 100).map(lambda hours: timedelta(hours=hours * 12)),
        st.one_of(
            st.none(), st.integers(0, 150).map(lambda days: timedelta(days=days))
        ),
    )
    def test_tracking_stop_like_core(self, state, age, silence):
        """The cron flags a waybill exactly as tracking_stop_reason says
        (no record N days after creation, no change for N days, never in a
        final state)."""
        self.env.cr.execute("SELECT now() at time zone 'UTC'")
        now = self.env.cr.fetchone()[0]
        created = now - age - timedelta(minutes=1)
        last_event = (
            now - silence - timedelta(minutes=1) if silence is not None else None
        )
        waybill = self.set_tracking(
            self.new_waybill(),
            state=state,
            create_date=created,
            last_event_time=last_event,
            tracking_stop_reason=None,
        )
        self.Waybill._cron_flag_stopped_tracking()
        waybill.invalidate_recordset()
        self.assertEqual(
            waybill.tracking_stop_reason or None,
            transit_core.tracking_stop_reason(created, last_event, state, now),
        )
