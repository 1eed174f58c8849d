# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import itertools
import threading
import time
from contextlib import closing
from unittest.mock import patch

import psycopg2.errors
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.exceptions import AccessError
from odoo.service.model import retrying
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from ..core import events as events_core
from ..core import state as state_core
from ..core import status as status_core
from ..core import waybill as waybill_core
from ..models import logistics_tracking_event as event_module
from .common import LogisticsCommon

NUMBER = "SF3299150988269"


# one parcel's flow: (time, status, place, description)
FLOW = [
    ("2026-11-10T09:00:00+08:00", "1", "深圳宝安", "已揽收"),
    ("2026-11-10T21:00:00+08:00", "0", "深圳转运中心", "已发出"),
    ("2026-11-11T06:00:00+08:00", "0", "杭州转运中心", "已到达"),
    ("2026-11-11T08:00:00+08:00", "5", "杭州西湖网点", "派送中"),
    ("2026-11-11T10:30:00+08:00", "301", "杭州西湖网点", "本人签收"),
]


def sf_number(serial):
    return f"SF{serial:013d}"


@tagged("post_install", "-at_install")
class TestTrackingIngest(LogisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Event = cls.env["logistics.tracking.event"]
        cls.Waybill = cls.env["logistics.waybill"]
        cls.counter = itertools.count(1)
        cls.flow = FLOW

    def rows(self, number, flow=None):
        return [
            {
                "waybill": number,
                "courier": "SF",
                "time": time,
                "status": status,
                "place": place,
                "description": text,
            }
            for time, status, place, text in (flow or self.flow)
        ]

    def waybill(self, number):
        return self.Waybill.search([("number", "=", number)])

    def timeline(self, waybill):
        return [(e.event_time, e.state, e.place) for e in waybill.event_ids]

    def test_ingest_creates_waybill_and_state(self):
        """R-WB-3: events build the timeline and the current state."""
        result = self.Event.ingest(self.rows(NUMBER))
        self.assertEqual(result, {"accepted": 5, "duplicates": 0, "rejected": []})
        waybill = self.waybill(NUMBER)
        self.assertEqual(waybill.courier_id, self.courier_sf)
        self.assertEqual(waybill.state, "delivered")
        self.assertEqual(waybill.signed_by, "addressee")
        self.assertEqual(waybill.last_event_place, "杭州西湖网点")
        self.assertEqual(str(waybill.last_event_time), "2026-11-11 02:30:00")  # UTC
        self.assertEqual(str(waybill.first_scan_time), "2026-11-10 01:00:00")
        # no station scan in this flow: the first delivery attempt (R-RC-8)
        self.assertEqual(str(waybill.arrival_date), "2026-11-11 00:00:00")
        self.assertEqual(waybill.event_ids[0].state, "delivered")  # newest first

    def test_replay_adds_nothing(self):
        """R-WB-3: a replayed feed adds nothing."""
        self.Event.ingest(self.rows(NUMBER))
        result = self.Event.ingest(self.rows(NUMBER), source="webhook")
        self.assertEqual(result, {"accepted": 0, "duplicates": 5, "rejected": []})
        self.assertEqual(len(self.waybill(NUMBER).event_ids), 5)
        # duplicates inside one batch count as duplicates too
        result = self.Event.ingest(self.rows("SF1111111111111") * 2)
        self.assertEqual((result["accepted"], result["duplicates"]), (5, 5))

    @settings(max_examples=15, deadline=None)
    @given(st.permutations(range(5)), st.integers(min_value=1, max_value=4))
    def test_order_independence(self, order, batches):
        """R-WB-3 property: any arrival order, in any batches, gives the same
        state and timeline as the ordered feed, and as core.derive_state."""
        serial = next(self.counter)
        reference, shuffled = sf_number(10**6 + serial), sf_number(2 * 10**6 + serial)
        self.Event.ingest(self.rows(reference))
        rows = self.rows(shuffled)
        arrival = [rows[i] for i in order]
        size = -(-len(arrival) // batches)
        for start in range(0, len(arrival), size):
            self.Event.ingest(arrival[start : start + size])
        ref, got = self.waybill(reference), self.waybill(shuffled)
        self.assertEqual(got.state, ref.state)
        self.assertEqual(got.last_event_time, ref.last_event_time)
        self.assertEqual(self.timeline(got), self.timeline(ref))
        derived = state_core.derive_state(
            [
                {
                    "time": e.event_time,
                    "state": e.state,
                    "place": e.place,
                    "signed_by": e.signed_by,
                    "dedup_key": e.dedup_key,
                }
                for e in got.event_ids
            ]
        )
        self.assertEqual(got.state, derived.state)
        self.assertEqual(got.signed_by or None, derived.signed_by)
        self.assertEqual(got.arrival_date or None, derived.arrival_time)
        self.assertEqual(got.first_scan_time or None, derived.first_scan_time)

    def test_late_older_event_never_moves_state_back(self):
        """R-WB-3: an older event arriving late keeps the current state."""
        self.Event.ingest(self.rows(NUMBER)[2:])
        self.assertEqual(self.waybill(NUMBER).state, "delivered")
        self.Event.ingest(self.rows(NUMBER)[:1])
        waybill = self.waybill(NUMBER)
        self.assertEqual(waybill.state, "delivered")
        self.assertEqual(len(waybill.event_ids), 4)
        self.assertEqual(str(waybill.first_scan_time), "2026-11-10 01:00:00")

    def test_bad_rows_rejected_valid_rows_kept(self):
        """Bad input gets a reason per row and loses nothing else."""
        rows = [
            *self.rows(NUMBER)[:2],
            "not a dict",
            {
                "waybill": "YT1234588888888",
                "courier": "SF",
                "time": "2026-11-10T09:00:00",
                "status": "1",
            },
            {"waybill": NUMBER, "courier": "SF", "time": "yesterday", "status": "1"},
            {
                "waybill": NUMBER,
                "courier": "SF",
                "time": "2026-11-10T09:00:00",
                "status": "???",
            },
            {
                "waybill": NUMBER,
                "courier": "NOPE",
                "time": "2026-11-10T09:00:00",
                "status": "1",
            },
            {"waybill": NUMBER, "courier": "SF", "tme": "2026-11-10", "status": "1"},
        ]
        before = self.Event.search_count([])
        result = self.Event.ingest(rows)
        self.assertEqual(result["accepted"], 2)
        self.assertEqual([r["index"] for r in result["rejected"]], [2, 3, 4, 5, 6, 7])
        for rejection in result["rejected"]:
            self.assertTrue(rejection["reason"].strip())
        self.assertIn("SF + 13", result["rejected"][1]["reason"])  # expected formats
        self.assertEqual(self.Event.search_count([]), before + 2)

    def test_courier_inferred_from_number(self):
        """The courier may be left out when the number identifies it."""
        result = self.Event.ingest(
            [
                {
                    "waybill": "JT1234567890123",
                    "time": "2026-11-10T09:00:00",
                    "status": "已揽收",
                }
            ]
        )
        self.assertEqual(result["accepted"], 1)
        self.assertEqual(self.waybill("JT1234567890123").courier_id.code, "JT")

    def test_unknown_waybill_setting(self):
        self.env["ir.config_parameter"].set_param(
            "logistics_followup.ingest_unknown_waybill", "reject"
        )
        result = self.Event.ingest(self.rows("SF2222222222222")[:1])
        self.assertEqual(result["accepted"], 0)
        self.assertEqual(len(result["rejected"]), 1)
        self.assertFalse(self.waybill("SF2222222222222"))

    def test_naive_time_is_company_timezone(self):
        self.env.company.partner_id.tz = "Asia/Shanghai"
        self.Event.ingest(
            [
                {
                    "waybill": NUMBER,
                    "courier": "SF",
                    "time": "2026-11-10 09:00:00",
                    "status": "1",
                }
            ]
        )
        self.assertEqual(
            str(self.waybill(NUMBER).event_ids.event_time), "2026-11-10 01:00:00"
        )

    def test_signed_evidence_kept(self):
        """R-PP-8: a locker drop is not an addressee signature."""
        flow = [
            *self.flow[:4],
            ("2026-11-11T10:30:00+08:00", "304", "丰巢柜", "已投柜签收"),
        ]
        self.Event.ingest(self.rows(NUMBER, flow))
        waybill = self.waybill(NUMBER)
        self.assertEqual((waybill.state, waybill.signed_by), ("delivered", "locker"))

    def test_statement_count_independent_of_batch_size(self):
        """Set-based: the number of SQL statements does not grow with rows."""

        def statements(count, offset):
            rows = []
            for i in range(count):
                rows += self.rows(sf_number(offset + i))
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            result = self.Event.ingest(rows)
            self.assertEqual(result["accepted"], 5 * count)
            return self.env.cr.sql_log_count - before

        statements(1, 4 * 10**6)  # warm the caches (mappings, couriers)
        small = statements(2, 5 * 10**6)
        large = statements(60, 6 * 10**6)
        self.assertEqual(large, small)
        self.assertLessEqual(large, 20)

    def test_text_stored_as_received(self):
        """The rows travel to the server as COPY text: tabs, line breaks,
        backslashes and a literal \\N are stored exactly as received, in every
        text column; the same rows again are duplicates."""
        texts = {
            "place": "A\\N",
            "description": "line 1\nline\t2 \\ C:\\temp\\new\r\\.",
            "operator": "\\N",
            "operator_phone": "138\t0013",
        }
        row = dict(self.rows(NUMBER)[0], **texts)
        result = self.Event.ingest([row])
        self.assertEqual(result, {"accepted": 1, "duplicates": 0, "rejected": []})
        event = self.waybill(NUMBER).event_ids
        self.assertEqual({name: event[name] for name in texts}, texts)
        self.assertEqual(event.status_raw, "1")
        self.assertEqual(self.waybill(NUMBER).last_event_place, "A\\N")
        self.assertEqual(self.Event.ingest([row])["duplicates"], 1)

    def test_text_postgresql_cannot_store(self):
        """A NUL character (or a lone surrogate) cannot be stored in
        PostgreSQL: the row holding it is rejected alone with a reason, the
        other rows of the batch are stored (issue 11 item 1; it used to
        refuse the whole batch with a ValueError)."""
        rows = self.rows(NUMBER)
        bad = [
            dict(rows[0], description="bad\x00text"),
            dict(rows[1], place="\ud800"),
        ]
        result = self.Event.ingest(bad + rows[2:])
        self.assertEqual(result["accepted"], 3)
        self.assertEqual([r["index"] for r in result["rejected"]], [0, 1])
        self.assertEqual(len(self.waybill(NUMBER).event_ids), 3)
        self.assertEqual(self.Event.ingest(rows)["accepted"], 2)

    def test_manual_entry(self):
        self.Event.ingest(self.rows(NUMBER)[:1])
        waybill = self.waybill(NUMBER)
        wizard = (
            self.env["logistics.tracking.event.add"]
            .with_user(self.agent)
            .create(
                {
                    "waybill_id": waybill.id,
                    "event_time": "2026-11-10 05:00:00",
                    "state": "in_transit",
                    "place": "Shenzhen hub",
                }
            )
        )
        wizard.action_add()
        self.assertEqual(waybill.state, "in_transit")
        self.assertEqual(waybill.event_ids[0].source, "manual")

    def test_portal_user_cannot_reach_tracking(self):
        """Portal users cannot read waybills or events through the backend."""
        self.Event.ingest(self.rows(NUMBER))
        with self.assertRaises(AccessError):
            self.Waybill.with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            self.Event.with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            self.Event.with_user(self.portal_user).ingest(self.rows(NUMBER))

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.text(
                alphabet=st.one_of(
                    st.sampled_from(',{}"\\ NULLnull'),
                    st.characters(
                        blacklist_categories=("Cs",), blacklist_characters="\x00"
                    ),
                ),
                max_size=6,
            ),
            max_size=6,
        ),
        st.lists(st.integers(-(2**31), 2**31 - 1), max_size=6),
    )
    def test_batch_arrays_reach_the_server_unchanged(self, texts, ints):
        """The numbers and ids of a batch, sent as one text parameter each,
        are the arrays the lists would have been."""
        self.env.cr.execute(
            SQL(
                "SELECT %s, %s",
                event_module._varchar_array(texts),
                event_module._int_array(ints),
            )
        )
        self.assertEqual(self.env.cr.fetchone(), (texts, ints))

    def test_multi_company_isolation(self):
        """Waybills and events carry their company; a user of company A never
        sees company B's."""
        company_b = self.env["res.company"].create({"name": "Company B"})
        self.Event.with_company(company_b).ingest(self.rows("SF3333333333333"))
        self.Event.ingest(self.rows("SF4444444444444"))
        waybill_b = self.waybill("SF3333333333333")
        self.assertEqual(waybill_b.company_id, company_b)
        self.assertEqual(waybill_b.event_ids.company_id, company_b)
        agent = self.agent.with_user(self.agent)
        numbers = agent.env["logistics.waybill"].search([]).mapped("number")
        self.assertIn("SF4444444444444", numbers)
        self.assertNotIn("SF3333333333333", numbers)
        self.assertFalse(
            agent.env["logistics.tracking.event"].search(
                [("waybill_id", "=", waybill_b.id)]
            )
        )


@tagged("post_install", "-at_install")
class TestIngestCompanies(LogisticsCommon):
    """Issue 11 item 2: a waybill is unique per number, courier and company;
    a user's ingest reaches his companies' waybills only and learns nothing
    of the others (R-WB-3 within each company)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_a.partner_id.tz = "Asia/Shanghai"
        cls.company_b = cls.env["res.company"].create({"name": "LF Company B"})
        cls.company_b.partner_id.tz = "Asia/Shanghai"
        group = "logistics_followup.group_logistics_agent"
        cls.agent_a = new_test_user(
            cls.env,
            "lf_agent_a",
            groups=group,
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.agent_b = new_test_user(
            cls.env,
            "lf_agent_b",
            groups=group,
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.Event = cls.env["logistics.tracking.event"]
        cls.Waybill = cls.env["logistics.waybill"]
        cls.flow = FLOW

    rows = TestTrackingIngest.rows

    def waybill(self, company, courier=None):
        return self.Waybill.search(
            [
                ("number", "=", NUMBER),
                ("company_id", "=", company.id),
                ("courier_id", "=", (courier or self.courier_sf).id),
            ]
        )

    def test_rpc_ingest_stays_in_the_users_company(self):
        rows = self.rows(NUMBER)
        result = self.Event.with_user(self.agent_a).ingest(rows[:3])
        self.assertEqual(result, {"accepted": 3, "duplicates": 0, "rejected": []})
        waybill_a = self.waybill(self.company_a)
        self.assertEqual(waybill_a.state, "in_transit")
        # B sends the same rows and the delivery: his own waybill, every row
        # new to him (no duplicate count telling him that A has the parcel)
        result = self.Event.with_user(self.agent_b).ingest(rows)
        self.assertEqual(result, {"accepted": 5, "duplicates": 0, "rejected": []})
        waybill_b = self.waybill(self.company_b)
        self.assertEqual(waybill_b.state, "delivered")
        self.assertEqual(waybill_b.event_ids.company_id, self.company_b)
        self.assertEqual(len(waybill_b.event_ids), 5)
        # A's waybill did not move
        self.assertEqual(waybill_a.state, "in_transit")
        self.assertEqual(len(waybill_a.event_ids), 3)
        # duplicates are counted within the caller's company only
        result = self.Event.with_user(self.agent_a).ingest(rows[2:])
        self.assertEqual(result, {"accepted": 2, "duplicates": 1, "rejected": []})
        self.assertEqual(waybill_a.state, "delivered")
        # and each user sees his own waybill only
        Waybill = self.env["logistics.waybill"]
        self.assertEqual(
            Waybill.with_user(self.agent_b).search([("number", "=", NUMBER)]),
            waybill_b,
        )
        self.assertEqual(
            Waybill.with_user(self.agent_a).search([("number", "=", NUMBER)]),
            waybill_a,
        )

    def test_rows_without_courier_do_not_use_another_company(self):
        """A row without a courier takes the courier of an existing waybill
        of the user's companies only, not another company's."""
        number = "786187979245"  # legacy: both an SF and a ZTO format
        zto = self.env.ref("logistics_followup.courier_zto")
        waybill_a = self.Waybill.create(
            {"number": number, "courier_id": zto.id, "company_id": self.company_a.id}
        )
        row = dict(self.rows(number)[0], courier=None)
        self.assertEqual(
            self.Event.with_user(self.agent_a).ingest([row])["accepted"], 1
        )
        self.assertEqual(len(waybill_a.event_ids), 1)
        self.assertEqual(
            self.Event.with_user(self.agent_b).ingest([row])["accepted"], 1
        )
        waybill_b = self.Waybill.search(
            [("number", "=", number), ("company_id", "=", self.company_b.id)]
        )
        # guessed from the formats as if A had no waybill: SF comes first
        self.assertEqual(waybill_b.courier_id, self.courier_sf)
        self.assertEqual(len(waybill_a.event_ids), 1)

    def test_machine_sources_reach_every_company(self):
        """The superuser (webhooks, Kuaidi100, pull) feeds every company's
        waybill of the number and courier; rows are counted once."""
        rows = self.rows(NUMBER)
        self.Event.with_user(self.agent_a).ingest(rows[:1])
        self.Event.with_user(self.agent_b).ingest(rows[:2])
        result = self.Event.sudo().ingest(rows, source="webhook")
        self.assertEqual(result, {"accepted": 4, "duplicates": 1, "rejected": []})
        for company in (self.company_a, self.company_b):
            waybill = self.waybill(company)
            self.assertEqual(waybill.state, "delivered")
            self.assertEqual(len(waybill.event_ids), 5)
        # a number nobody has: created once, in the environment's company
        other = "SF1000000000017"
        self.Event.sudo().ingest(self.rows(other)[:1], source="webhook")
        created = self.Waybill.search([("number", "=", other)])
        self.assertEqual(created.company_id, self.env.company)

    def test_import_wizard_stays_in_the_users_company(self):
        self.Event.with_user(self.agent_a).ingest(self.rows(NUMBER)[:2])
        waybill_a = self.waybill(self.company_a)
        data = "\n".join(
            ["运单号,快递公司,时间,地点,状态,描述"]
            + [
                f"{NUMBER},SF,{when[:19].replace('T', ' ')},{place},{status},{text}"
                for when, status, place, text in self.flow
            ]
        ).encode()
        wizard = (
            self.env["logistics.tracking.import"]
            .with_user(self.agent_b)
            .create({"file": base64.b64encode(data), "filename": "scans.csv"})
        )
        wizard.action_read_file()
        wizard.action_import()
        self.assertEqual(
            (wizard.accepted_count, wizard.duplicate_count, wizard.rejected_count),
            (5, 0, 0),
        )
        self.assertEqual(len(waybill_a.event_ids), 2)
        self.assertEqual(waybill_a.state, "in_transit")
        self.assertEqual(self.waybill(self.company_b).state, "delivered")

    def test_manual_entry_reaches_the_forms_waybill_only(self):
        """A user of both companies enters a scan on B's waybill: A's
        waybill of the same number gets nothing."""
        both = new_test_user(
            self.env,
            "lf_agent_ab",
            groups="logistics_followup.group_logistics_agent",
            company_id=self.company_a.id,
            company_ids=[Command.set((self.company_a | self.company_b).ids)],
        )
        waybills = self.Waybill.create(
            [
                {"number": NUMBER, "courier_id": self.courier_sf.id},
                {
                    "number": NUMBER,
                    "courier_id": self.courier_sf.id,
                    "company_id": self.company_b.id,
                },
            ]
        )
        env = self.env(
            user=both,
            context=dict(
                self.env.context,
                allowed_company_ids=(self.company_a | self.company_b).ids,
            ),
        )
        env["logistics.tracking.event.add"].create(
            {
                "waybill_id": waybills[1].id,
                "state": "picked_up",
                "place": "深圳宝安",
            }
        ).action_add()
        self.assertFalse(waybills[0].event_ids)
        self.assertEqual(len(waybills[1].event_ids), 1)
        self.assertEqual(waybills[1].state, "picked_up")

    def test_number_unique_per_company(self):
        waybill_a = self.Waybill.create(
            {"number": NUMBER, "courier_id": self.courier_sf.id}
        )
        waybill_b = self.Waybill.create(
            {
                "number": NUMBER,
                "courier_id": self.courier_sf.id,
                "company_id": self.company_b.id,
            }
        )
        self.assertNotEqual(waybill_a, waybill_b)
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
        ):
            self.Waybill.create({"number": NUMBER, "courier_id": self.courier_sf.id})


@tagged("post_install", "-at_install")
class TestIngestCourierScope(LogisticsCommon):
    """Issue 11 items 3 and 6: a courier's source writes that courier's rows
    only; a row that adds no event creates no waybill (R-WB-3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "Asia/Shanghai"
        cls.Event = cls.env["logistics.tracking.event"].sudo()
        cls.Waybill = cls.env["logistics.waybill"]
        cls.courier_zto = cls.env.ref("logistics_followup.courier_zto")
        cls.flow = FLOW

    rows = TestTrackingIngest.rows

    def test_other_couriers_rows_rejected_alone(self):
        zto_number = "73190553102532"  # a ZTO format only
        rows = self.rows(NUMBER)[:2]
        rows.append(dict(rows[0], waybill=zto_number, courier="ZTO"))
        # no courier: guessed as ZTO from the number's format
        rows.append(dict(rows[1], waybill=zto_number, courier=None))
        result = self.Event.ingest(rows, source="webhook", courier="SF")
        self.assertEqual((result["accepted"], result["duplicates"]), (2, 0))
        self.assertEqual([r["index"] for r in result["rejected"]], [2, 3])
        self.assertIn("ZTO", result["rejected"][0]["reason"])
        self.assertNotEqual(result["rejected"][0]["reason"], "courier_mismatch")
        self.assertFalse(self.Waybill.search([("number", "=", zto_number)]))
        self.assertEqual(
            len(self.Waybill.search([("number", "=", NUMBER)]).event_ids), 2
        )

    def test_old_courier_row_after_correction_creates_nothing(self):
        number = "786187979245"  # legacy: both an SF and a ZTO format
        rows = [dict(row, courier="ZTO") for row in self.rows(number)[:2]]
        self.assertEqual(self.Event.ingest(rows)["accepted"], 2)
        waybill = self.Waybill.search([("number", "=", number)])
        self.assertEqual(waybill.courier_id, self.courier_zto)
        # corrected (by an agent, or Kuaidi100's comOld / comNew)
        waybill.courier_id = self.courier_sf
        result = self.Event.ingest(rows)
        self.assertEqual(result, {"accepted": 0, "duplicates": 2, "rejected": []})
        self.assertEqual(self.Waybill.search([("number", "=", number)]), waybill)
        # a new event under the old courier is new information: it is stored
        fresh = dict(self.rows(number)[2], courier="ZTO")
        self.assertEqual(self.Event.ingest([fresh, *rows])["accepted"], 1)
        self.assertEqual(len(self.Waybill.search([("number", "=", number)])), 2)

    def test_kuaidi100_correction_then_old_row(self):
        number = "786187979245"
        waybill = self.Waybill.create(
            {"number": number, "courier_id": self.courier_zto.id}
        )
        rows = [dict(row, courier="ZTO") for row in self.rows(number)[:2]]
        self.Event.ingest(rows, source="kuaidi100")
        self.Waybill._apply_courier_correction(
            number, self.courier_zto, self.courier_sf
        )
        self.assertEqual(waybill.courier_id, self.courier_sf)
        self.assertEqual(self.Event.ingest(rows)["duplicates"], 2)
        self.assertEqual(self.Waybill.search([("number", "=", number)]), waybill)


@tagged("post_install", "-at_install")
class TestCoreCodesTranslated(LogisticsCommon):
    """Every code the core returns reaches users as a message of its own."""

    def test_selections_match_core(self):
        for model, field, codes in (
            ("logistics.waybill", "state", status_core.STATES),
            ("logistics.waybill", "signed_by", status_core.SIGNED_BY),
            ("logistics.tracking.event", "state", status_core.STATES),
            ("logistics.status.mapping", "source", status_core.SOURCES),
        ):
            selection = self.env[model]._fields[field].selection
            self.assertEqual([key for key, _label in selection], list(codes), field)

    def test_rejection_codes(self):
        Event = self.env["logistics.tracking.event"]
        params = {"field": "place", "max": 128, "status": "x", "courier": "X"}
        messages = set()
        for code in events_core.REJECTION_CODES:
            message = Event._rejection_reason(code, params)
            self.assertNotEqual(message, code, f"{code} has no message")
            messages.add(message)
        self.assertEqual(len(messages), len(events_core.REJECTION_CODES))

    def test_number_codes(self):
        Courier = self.env["logistics.courier"]
        for code in waybill_core.VALIDATION_CODES:
            self.assertNotEqual(Courier._number_reason(code), code, code)
        Rule = self.env["logistics.courier.number.rule"]
        for code in waybill_core.RULE_PROBLEMS:
            self.assertNotEqual(Rule._rule_problem_message(code), code, code)


@tagged("post_install", "-at_install")
class TestIngestConcurrency(TransactionCase):
    """Two ingest transactions with overlapping rows, really concurrent: each
    on its own database connection, both snapshots taken before either
    commits, each run the way Odoo runs a request (``retrying``)."""

    def _real_env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def assert_committed(self, dbname, numbers, events):
        """What the concurrent calls committed: each waybill of ``numbers``
        with ``events`` distinct events, delivered."""
        with closing(sql_db.db_connect(dbname).cursor()) as cr:
            cr.execute(
                "SELECT w.number, count(e.id), count(DISTINCT e.dedup_key), "
                "min(w.state) FROM logistics_waybill w "
                "JOIN logistics_tracking_event e ON e.waybill_id = w.id "
                "WHERE w.number = ANY(%s) GROUP BY w.number ORDER BY 1",
                [numbers],
            )
            self.assertEqual(
                cr.fetchall(), [(n, events, events, "delivered") for n in numbers]
            )

    def drop_committed(self, dbname, numbers):
        """Delete the waybills the concurrent calls committed (and their events)."""
        with closing(sql_db.db_connect(dbname).cursor()) as cr:
            cr.execute(
                "DELETE FROM logistics_waybill WHERE number = ANY(%s)", [numbers]
            )
            cr.commit()  # pylint: disable=invalid-commit

    def test_concurrent_overlapping_batches(self):
        dbname = self.env.cr.dbname
        base = time.time_ns() % 10**12
        numbers = [f"SF9{base + i:012d}" for i in range(2)]
        times = [f"2026-11-{10 + day:02d}T08:00:00+08:00" for day in range(9)]
        statuses = ["1", "0", "0", "0", "0", "0", "5", "5", "301"]

        def rows(indexes):
            return [
                {
                    "waybill": number,
                    "courier": "SF",
                    "time": times[i],
                    "status": statuses[i],
                    "place": f"站点{i}",
                }
                for number in numbers
                for i in indexes
            ]

        batches = {"a": rows(range(6)), "b": rows(range(3, 9))}
        barrier = threading.Barrier(2)
        results, errors = {}, []

        def worker(name):
            try:
                with closing(sql_db.db_connect(dbname).cursor()) as cr:
                    env = self._real_env(cr)
                    cr.execute("SELECT 1")  # the snapshot: before any commit
                    barrier.wait(timeout=30)
                    results[name] = retrying(
                        lambda: env["logistics.tracking.event"].ingest(batches[name]),
                        env,
                    )
                    # its own transaction, not the test's: it must commit
                    cr.commit()  # pylint: disable=invalid-commit
            except Exception as exc:  # reported by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(n,)) for n in batches]
        # Environments and retrying() look the registry up by name, which
        # waits for the registry lock the test runner holds while tests run:
        # hand them the loaded registry instead.
        registry = self.registry
        with (
            patch("odoo.orm.environments.Registry", lambda _db_name: registry),
            # the serialization failure and its retry are expected here
            mute_logger("odoo.sql_db", "odoo.service.model"),
        ):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertFalse(any(t.is_alive() for t in threads), "a worker hung")
        try:
            self.assertEqual(errors, [], "an error reached the caller")
            self.assertEqual(results["a"]["accepted"] + results["b"]["accepted"], 2 * 9)
            self.assertEqual(
                results["a"]["duplicates"] + results["b"]["duplicates"], 2 * 3
            )
            self.assert_committed(dbname, numbers, 9)
        finally:
            self.drop_committed(dbname, numbers)

    def test_concurrent_jobs_without_retry(self):
        """Issue 11 item 5: three background jobs (no ``retrying`` around
        them, as crons and queue jobs run) ingest overlapping batches on
        their own connections, every snapshot taken before any commit: no
        event is lost, none is stored twice, no error reaches a job."""
        dbname = self.env.cr.dbname
        base = time.time_ns() % 10**12
        numbers = [f"SF8{base + i:012d}" for i in range(3)]
        times = [f"2026-11-{10 + day:02d}T08:00:00+08:00" for day in range(12)]

        def rows(indexes):
            return [
                {
                    "waybill": number,
                    "courier": "SF",
                    "time": times[i],
                    "status": "0" if i < 11 else "301",
                    "place": f"站点{i}",
                }
                for number in numbers
                for i in indexes
            ]

        # each job: two batches, each committed; every batch overlaps others
        jobs = {
            "a": [rows(range(0, 4)), rows(range(4, 8))],
            "b": [rows(range(2, 6)), rows(range(6, 10))],
            "c": [rows(range(4, 8)), rows(range(8, 12))],
        }
        barrier = threading.Barrier(len(jobs))
        results, errors = {}, []

        def job(name):
            try:
                with closing(sql_db.db_connect(dbname).cursor()) as cr:
                    env = self._real_env(cr)
                    for batch in jobs[name]:
                        cr.execute("SELECT 1")  # the snapshot: before any commit
                        if not results.get(name):
                            barrier.wait(timeout=30)
                        result = env["logistics.tracking.event"].ingest(batch)
                        results.setdefault(name, []).append(result)
                        cr.commit()  # pylint: disable=invalid-commit
            except Exception as exc:  # reported by the assertion below
                errors.append(exc)

        Event = event_module.LogisticsTrackingEvent
        apart = Event._ingest_store_apart
        calls = []

        def counted(self, *args):
            calls.append(1)
            return apart(self, *args)

        threads = [threading.Thread(target=job, args=(n,)) for n in jobs]
        registry = self.registry
        with (
            patch("odoo.orm.environments.Registry", lambda _db_name: registry),
            patch.object(Event, "_ingest_store_apart", counted),
            mute_logger("odoo.sql_db"),
        ):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertFalse(any(t.is_alive() for t in threads), "a job hung")
        try:
            self.assertEqual(errors, [], "an error reached a job")
            # the snapshots predate the first commit: the conflicts happened
            self.assertTrue(calls, "no concurrent conflict was provoked")
            done = [r for name in jobs for r in results[name]]
            self.assertEqual(len(done), 6)
            self.assertEqual(sum(r["accepted"] for r in done), 3 * 12)
            self.assertEqual(
                sum(r["accepted"] + r["duplicates"] for r in done), 3 * 4 * 6
            )
            self.assert_committed(dbname, numbers, 12)
        finally:
            self.drop_committed(dbname, numbers)

    def test_caller_holding_the_locks_gets_its_serialization_failure(self):
        """When the caller's own transaction holds a lock on one of the
        waybills, the write step cannot run apart: ingest re-raises the
        serialization failure, which the caller's retry (Odoo's HTTP layer)
        handles, instead of waiting on itself."""
        dbname = self.env.cr.dbname
        base = time.time_ns() % 10**12
        numbers = [f"SF7{base + i:012d}" for i in range(2)]

        def rows(day, which=numbers):
            return [
                {
                    "waybill": number,
                    "courier": "SF",
                    "time": f"2026-11-{day}T08:00:00+08:00",
                    "status": "0",
                }
                for number in which
            ]

        registry = self.registry
        with (
            patch("odoo.orm.environments.Registry", lambda _db_name: registry),
            patch.object(event_module, "INGEST_LOCK_TIMEOUT", "200ms"),
            mute_logger("odoo.sql_db"),
            closing(sql_db.db_connect(dbname).cursor()) as caller,
            closing(sql_db.db_connect(dbname).cursor()) as other,
        ):
            try:
                setup = self._real_env(other)
                setup["logistics.tracking.event"].ingest(rows(10))
                other.commit()  # pylint: disable=invalid-commit
                # the caller's snapshot, and a lock of its own on the first
                caller.execute(
                    "UPDATE logistics_waybill SET write_date = write_date "
                    "WHERE number = %s",
                    [numbers[0]],
                )
                # a concurrent commit on the second waybill
                setup["logistics.tracking.event"].ingest(rows(11, numbers[1:]))
                other.commit()  # pylint: disable=invalid-commit
                env = self._real_env(caller)
                with self.assertRaises(psycopg2.errors.SerializationFailure):
                    env["logistics.tracking.event"].ingest(rows(12))
                caller.rollback()
                other.execute(
                    "SELECT count(*) FROM logistics_tracking_event e "
                    "JOIN logistics_waybill w ON w.id = e.waybill_id "
                    "WHERE w.number = ANY(%s)",
                    [numbers],
                )
                # nothing of the failed call was committed
                self.assertEqual(other.fetchone()[0], 3)
            finally:
                caller.rollback()
                other.rollback()
                other.execute(
                    "DELETE FROM logistics_waybill WHERE number = ANY(%s)", [numbers]
                )
                other.commit()  # pylint: disable=invalid-commit
