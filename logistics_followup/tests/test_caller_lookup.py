# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The caller look-up (issue 15, item 1), the "Refresh tracking" button and
the journey's progress line (item 9)."""

import json
from unittest.mock import patch

import requests

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import LogisticsCommon

NUMBER_A = "SF1500000000001"
NUMBER_B = "SF1500000000002"
NUMBER_C = "73190553102532"
UNKNOWN = "904417268350"  # SF, ZTO and STO legacy formats all accept it


def make_parcels(env):
    """A: at the delivering station, receiver 王小明 +86 139 1234 5678;
    B: exception while out for delivery, sender 138-0013-8000, receiver
    王小明; C: ZTO, sender contact "Acme Trading", landline. A and B have an
    open ticket each. Demo waybills are archived (not found)."""
    env["logistics.waybill"].search([]).action_archive()
    Waybill = env["logistics.waybill"]
    sf = env.ref("logistics_followup.courier_sf")
    acme = env["res.partner"].create({"name": "Acme Trading"})
    parcels = Waybill.create(
        [
            {
                "number": NUMBER_A,
                "courier_id": sf.id,
                "sender_name": "李雷",
                "receiver_name": "王小明",
                "receiver_phone": "+86 139 1234 5678",
            },
            {
                "number": NUMBER_B,
                "courier_id": sf.id,
                "sender_phone": "138-0013-8000",
                "receiver_name": "王小明",
            },
            {
                "number": NUMBER_C,
                "courier_id": env.ref("logistics_followup.courier_zto").id,
                "sender_partner_id": acme.id,
                "sender_phone": "0755-1234 5670",
            },
        ]
    )
    rows = [
        (NUMBER_A, "2026-11-10T09:00:00+08:00", "picked_up", "上海浦东网点"),
        (NUMBER_A, "2026-11-10T21:00:00+08:00", "in_transit", "上海转运中心"),
        (NUMBER_A, "2026-11-11T06:00:00+08:00", "in_transit", "北京转运中心"),
        (NUMBER_A, "2026-11-11T09:00:00+08:00", "at_station", "北京海淀网点"),
        (NUMBER_B, "2026-11-10T09:00:00+08:00", "picked_up", "深圳南山网点"),
        (NUMBER_B, "2026-11-11T08:00:00+08:00", "out_for_delivery", "广州天河网点"),
        (NUMBER_B, "2026-11-11T15:00:00+08:00", "exception", "广州天河网点"),
    ]
    result = env["logistics.tracking.event"].ingest(
        [
            {"waybill": n, "courier": "SF", "time": t, "status": s, "place": p}
            for n, t, s, p in rows
        ]
    )
    assert not result["rejected"], result
    env["helpdesk.ticket"].create(
        [
            {"name": f"催单 {waybill.number}", "description": "<p>催</p>"}
            | {"waybill_id": waybill.id}
            for waybill in parcels[:2]
        ]
    )
    return parcels


@tagged("post_install", "-at_install")
class TestCallerLookup(LogisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Waybill = cls.env["logistics.waybill"]
        cls.a, cls.b, cls.c = make_parcels(cls.env)

    def lookup(self, words, user=None):
        return self.Waybill.with_user(user or self.agent).action_caller_lookup(words)

    def assertLandsOn(self, words, waybill):
        action = self.lookup(words)
        self.assertEqual(
            (action.get("res_model"), action.get("res_id")),
            ("logistics.waybill", waybill.id),
            f"{words!r} should land on {waybill.number}: {action}",
        )
        self.assertEqual(action["views"], [(False, "form")])

    def test_number_in_any_form(self):
        for words in (
            NUMBER_A,
            "sf1500000000001",
            "SF 1500-0000-00001",
            " ｓｆ１５００００００００００１ ",
        ):
            self.assertLandsOn(words, self.a)

    def test_phone_in_any_form(self):
        for words in (
            "13800138000",
            "+86 138 0013 8000",
            "0086-138-0013-8000",
            "138 0013 8000",
        ):
            self.assertLandsOn(words, self.b)
        self.assertLandsOn("13912345678", self.a)
        # a landline given with the country code
        self.assertLandsOn("+86 755 1234 5670", self.c)
        self.assertEqual(self.c.sender_phone_key, "075512345670")

    def test_last4_of_sender_and_receiver(self):
        self.assertLandsOn("5678", self.a)  # receiver's phone
        self.assertLandsOn("8000", self.b)  # sender's phone
        self.assertLandsOn("尾号 5670", self.c)

    def test_name_on_the_waybill_or_of_its_contact(self):
        self.assertLandsOn("李雷", self.a)
        self.assertLandsOn("acme", self.c)  # the sender contact's name
        action = self.lookup("王小明")
        self.assertEqual(action["res_model"], "logistics.waybill")
        self.assertEqual(action["context"], {"search_default_caller_query": "王小明"})
        self.assertEqual(action["views"][0], (False, "list"))

    def test_search_view_caller_field(self):
        """The search view's Caller field: the same readings."""
        for words, expected in (
            ("王小明", self.a | self.b),
            ("5678", self.a),
            ("+86 138 0013 8000", self.b),
            ("sf 1500 0000 00002", self.b),
            ("SF12", self.Waybill),
        ):
            found = self.Waybill.with_user(self.agent).search(
                [("caller_query", "ilike", words)]
            )
            self.assertEqual(found, expected, words)

    def test_one_search_query(self):
        """Set-based: the look-up's search is one query whatever the
        readings (the access checks and the action read come on top)."""
        self.lookup("5678")  # warm the caches
        with self.assertQueryCount(1):
            self.Waybill.with_user(self.agent).search(
                [("caller_query", "ilike", "138-0013-8000")], limit=2
            )

    def test_invalid_words_say_what_is_accepted(self):
        for words in ("SF12", "", "!!!", "张"):
            action = self.lookup(words)
            self.assertEqual(action["tag"], "display_notification")
            self.assertEqual(action["params"]["type"], "warning")
            self.assertIn("last 4 digits", action["params"]["message"])
        self.assertIn(
            "SF12 is not a waybill number", self.lookup("SF12")["params"]["title"]
        )
        action = self.lookup("王大锤")
        self.assertIn("No parcel matches 王大锤", action["params"]["title"])

    def test_unknown_number_offers_tracking_with_candidates(self):
        action = self.lookup("9044-1726-8350")
        self.assertEqual(action["res_model"], "logistics.waybill.track")
        self.assertEqual(action["target"], "new")
        wizard = self.env["logistics.waybill.track"].browse(action["res_id"])
        self.assertEqual(wizard.number, UNKNOWN)
        codes = wizard.candidate_courier_ids.mapped("code")
        self.assertTrue({"SF", "ZTO", "STO"} <= set(codes), codes)
        zto = self.env.ref("logistics_followup.courier_zto")
        wizard.with_user(self.agent).courier_id = zto
        result = wizard.with_user(self.agent).action_track()
        waybill = self.Waybill.browse(result["res_id"])
        self.assertEqual((waybill.number, waybill.courier_id), (UNKNOWN, zto))
        self.assertEqual(waybill.journey["current"], None)
        # found from now on
        self.assertLandsOn(UNKNOWN, waybill)

    def test_unknown_number_of_one_courier(self):
        action = self.lookup("yt 7318 8264 53017")
        wizard = self.env["logistics.waybill.track"].browse(action["res_id"])
        self.assertEqual(wizard.courier_id.code, "YTO")
        self.assertEqual(wizard.candidate_courier_ids, wizard.courier_id)

    def test_a_phone_is_not_offered_as_a_new_number(self):
        action = self.lookup("0755 8888 1234")
        self.assertEqual(action["tag"], "display_notification")

    def test_clerk_may_look_up_but_not_create(self):
        self.assertEqual(self.lookup("5678", self.clerk)["res_id"], self.a.id)
        action = self.lookup(UNKNOWN, self.clerk)
        self.assertEqual(action["tag"], "display_notification")

    def test_other_company_parcels_are_not_found(self):
        company_b = self.env["res.company"].create({"name": "Caller Company B"})
        agent_b = new_test_user(
            self.env,
            "lf_caller_b",
            groups="logistics_followup.group_logistics_agent",
            company_id=company_b.id,
            company_ids=[company_b.id],
        )
        for words in ("5678", NUMBER_A, "王小明", "+86 138 0013 8000"):
            self.assertFalse(
                self.Waybill.with_user(agent_b).search(
                    [("caller_query", "ilike", words)]
                ),
                words,
            )
        for words in ("5678", "王小明", "+86 138 0013 8000"):
            action = self.lookup(words, agent_b)
            self.assertEqual(action.get("tag"), "display_notification", words)
        # company A's number is, for company B, a new parcel to track
        action = self.lookup(NUMBER_A, agent_b)
        wizard = self.env["logistics.waybill.track"].browse(action["res_id"])
        self.assertEqual(wizard.company_id, company_b)

    def test_portal_user_cannot_look_up(self):
        with self.assertRaises(AccessError):
            self.lookup("5678", self.portal_user)

    # -- refresh tracking ----------------------------------------------------

    def test_refresh_without_source_says_so(self):
        with self.assertRaisesRegex(UserError, "no tracking source"):
            self.a.with_user(self.agent).action_refresh_tracking()
        self.courier_sf.pull_adapter = "kuaidi100"
        with self.assertRaisesRegex(UserError, "Kuaidi100 customer id and key"):
            self.a.with_user(self.agent).action_refresh_tracking()

    def test_refresh_pulls_now_through_the_pull_path(self):
        params = self.env["ir.config_parameter"]
        params.set_param("logistics_followup.kuaidi100_customer", "CUST")
        params.set_param("logistics_followup.kuaidi100_key", "KEY")
        self.courier_sf.write(
            {"pull_adapter": "kuaidi100", "kuaidi100_code": "shunfeng"}
        )
        answer = {
            "message": "ok",
            "nu": NUMBER_A,
            "com": "shunfeng",
            "status": "200",
            "state": "5",
            "data": [
                {
                    "time": "2026-11-11 10:00:00",
                    "context": "【北京海淀网点】快递员正在派件",
                    "status": "派件",
                }
            ],
        }
        calls = []

        class Response:
            content = json.dumps(answer, ensure_ascii=False).encode()

        def post(url, data=None, timeout=None):
            calls.append(json.loads(data["param"]))
            return Response()

        with patch.object(requests, "post", post):
            action = self.a.with_user(self.agent).action_refresh_tracking()
        self.assertEqual([call["num"] for call in calls], [NUMBER_A])
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(self.a.state, "out_for_delivery")
        self.assertTrue(self.a.last_pull_time)
        self.assertEqual(self.a.journey["current"], "out_for_delivery")
        # Kuaidi100 locks a number queried more often than every 30 minutes
        with (
            patch.object(requests, "post", post),
            self.assertRaisesRegex(UserError, "may be asked again"),
        ):
            self.a.with_user(self.agent).action_refresh_tracking()
        self.assertEqual(len(calls), 1)

    # -- journey (item 9) ----------------------------------------------------

    def test_journey_of_the_form(self):
        journey = self.a.journey
        self.assertEqual(journey["current"], "at_station")
        self.assertEqual(
            [step["status"] for step in journey["steps"]],
            ["done", "done", "current", "todo", "todo"],
        )
        hubs = journey["steps"][1]
        self.assertEqual(hubs["place"], "北京转运中心")
        self.assertEqual(hubs["detail"], "2 hubs")
        self.assertEqual(
            (self.b.journey["current"], self.b.journey["marker"]),
            ("out_for_delivery", "exception"),
        )
        self.assertEqual(self.b.journey["marker_label"], "Exception")

    def test_journey_labels_in_chinese(self):
        for lang in ("zh_CN", "zh_TW"):
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["logistics_followup"], ["zh_CN", "zh_TW"], overwrite=True
        )
        for lang, station, hubs in (
            ("zh_CN", "网点", "2 个转运中心"),
            ("zh_TW", "網點", "2 個轉運中心"),
        ):
            journey = self.a.with_context(lang=lang).journey
            labels = [step["label"] for step in journey["steps"]]
            self.assertIn(station, labels[2], lang)
            self.assertEqual(journey["steps"][1]["detail"], hubs, lang)


@tagged("post_install", "-at_install")
class TestCallerLookupTour(HttpCase):
    """From the caller's words to the parcel's timeline in the browser: type
    in the helpdesk home's field (or the waybill list's), land on the
    parcel's form with its progress line and open tickets (≤ 3
    interactions); the unknown number's offer to create and track it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env,
            "lf_caller_agent",
            groups="logistics_followup.group_logistics_agent",
        )
        cls.parcels = make_parcels(cls.env)

    def tour(self, name, path="/odoo/helpdesk-dashboard"):
        self.start_tour(path, name, login="lf_caller_agent", timeout=120)

    def test_last4_from_the_helpdesk_home(self):
        self.tour("logistics_caller_lookup_last4")

    def test_phone_from_the_helpdesk_home(self):
        self.tour("logistics_caller_lookup_phone")

    def test_number_from_the_waybill_list(self):
        self.tour(
            "logistics_caller_lookup_number",
            "/odoo/action-logistics_followup.logistics_waybill_action",
        )

    def test_name_lists_the_candidates(self):
        self.tour("logistics_caller_lookup_candidates")

    def test_progress_line_in_traditional_chinese(self):
        self.env["res.lang"]._activate_lang("zh_TW")
        self.env["ir.module.module"]._load_module_terms(
            ["logistics_followup"], ["zh_TW"], overwrite=True
        )
        self.agent.lang = "zh_TW"
        self.tour("logistics_caller_lookup_zh_tw")

    def test_unknown_number_is_created_and_tracked(self):
        self.tour("logistics_caller_lookup_unknown")
        waybill = self.env["logistics.waybill"].search([("number", "=", UNKNOWN)])
        self.assertEqual(waybill.courier_id.code, "ZTO")
