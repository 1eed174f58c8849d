# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged

from ..core import portal as portal_core

SENDER_PHONE = "13800138000"
RECEIVER_PHONE = "13912345678"
COURIER_PHONE = "13700137123"


@tagged("post_install", "-at_install")
class TestParcelPortal(HttpCase):
    """R-PT-1 (customers' parcel pages) and R-PT-2 (public look-up)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Waybill = cls.env["logistics.waybill"]
        cls.customer_user = new_test_user(
            cls.env, "lf_pt_customer", groups="base.group_portal"
        )
        cls.other_user = new_test_user(
            cls.env, "lf_pt_other", groups="base.group_portal"
        )
        cls.company_partner = cls.env["res.partner"].create(
            {"name": "深圳华强电子有限公司", "is_company": True}
        )
        # the customer is a contact of a company: he sees its parcels
        cls.customer_user.partner_id.parent_id = cls.company_partner
        cls.consignee = cls.env["res.partner"].create({"name": "王小明"})
        cls.mine = cls.Waybill.create(
            {
                "number": "SF3299150988269",
                "courier_id": cls.env.ref("logistics_followup.courier_sf").id,
                "direction": "outbound",
                "sender_partner_id": cls.company_partner.id,
                "sender_name": "李华强",
                "sender_phone": SENDER_PHONE,
                "sender_address": "广东省深圳市福田区华强北路1号华强大厦12楼1203室",
                "receiver_partner_id": cls.consignee.id,
                "receiver_name": "王小明",
                "receiver_phone": RECEIVER_PHONE,
                "receiver_address": "浙江省杭州市西湖区文三路90号东部软件园3号楼501室",
            }
        )
        cls.env["logistics.tracking.event"].ingest(
            [
                {
                    "waybill": "SF3299150988269",
                    "courier": "SF",
                    "time": "2026-11-10T09:00:00+08:00",
                    "status": "1",
                    "place": "深圳福田网点",
                    "description": "顺丰速运 已收取快件",
                },
                {
                    "waybill": "SF3299150988269",
                    "courier": "SF",
                    "time": "2026-11-11T08:00:00+08:00",
                    "status": "5",
                    "place": "杭州西湖网点",
                    "description": "快件交给张师傅,正在派送途中"
                    f"(联系电话:{COURIER_PHONE})",
                },
            ]
        )
        cls.others = cls.Waybill.create(
            {
                "number": "SF1234567890128",
                "courier_id": cls.env.ref("logistics_followup.courier_sf").id,
                "sender_partner_id": cls.other_user.partner_id.id,
                "sender_name": "赵敏",
                "sender_phone": "13600136000",
            }
        )

    def csrf(self):
        return Request.csrf_token(self)

    def post_ticket(self, waybill, request_kind, description):
        """The customer's chase / complaint form of a parcel page, posted."""
        return self.url_open(
            f"/my/parcels/{waybill.id}/ticket",
            data={
                "request_kind": request_kind,
                "description": description,
                "csrf_token": self.csrf(),
            },
        )

    # ------------------------------------------------------------ R-PT-1

    def test_portal_user_has_no_backend_access(self):
        """Portal users reach parcels only through the pages below, never
        through the backend models (issue 3 item 10)."""
        with self.assertRaises(AccessError):
            self.Waybill.with_user(self.customer_user).search([])
        with self.assertRaises(AccessError):
            self.mine.with_user(self.customer_user).read(["number"])

    def test_list_shows_only_own_parcels(self):
        """R-PT-1: a customer lists the parcels his company sent or
        receives, not another customer's."""
        self.authenticate("lf_pt_customer", "lf_pt_customer")
        response = self.url_open("/my/parcels")
        self.assertEqual(response.status_code, 200)
        self.assertIn("SF3299150988269", response.text)
        self.assertNotIn("SF1234567890128", response.text)
        response = self.url_open("/my/parcels?filterby=received")
        self.assertNotIn("SF3299150988269", response.text)
        response = self.url_open("/my/parcels?search=0988")
        self.assertIn("SF3299150988269", response.text)

    def test_home_counts_parcels(self):
        """R-PT-1: the portal home shows how many parcels the customer has."""
        self.authenticate("lf_pt_customer", "lf_pt_customer")
        response = self.url_open(
            "/my/counters", json={"params": {"counters": ["parcel_count"]}}
        )
        self.assertEqual(response.json()["result"]["parcel_count"], 1)

    def test_own_parcel_page(self):
        """R-PT-1: status, timeline (local time), expected date; his own side
        in clear (the courier's phone too: he has to call him), the other
        party masked."""
        self.mine.expected_date = fields.Datetime.now() + timedelta(days=1)
        self.authenticate("lf_pt_customer", "lf_pt_customer")
        response = self.url_open(f"/my/parcels/{self.mine.id}")
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn("Out for Delivery", text)
        self.assertIn("杭州西湖网点", text)
        self.assertIn(COURIER_PHONE, text)
        self.assertIn("08:00", text)  # Asia/Shanghai, not 00:00 UTC
        self.assertIn(SENDER_PHONE, text)
        self.assertNotIn(RECEIVER_PHONE, text)
        self.assertNotIn("王小明", text)
        self.assertNotIn("501室", text)
        self.assertIn("Expected Delivery", text)
        self.assertIn('name="description"', text)  # the chase / complaint form

    def test_other_customers_parcel_is_refused(self):
        """R-PT-1: another customer's parcel page redirects to the portal
        home and shows nothing of it."""
        self.authenticate("lf_pt_customer", "lf_pt_customer")
        response = self.url_open(f"/my/parcels/{self.others.id}")
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertNotIn("SF1234567890128", response.text)
        response = self.url_open(f"/my/parcels/{self.others.id + 1000}")
        self.assertTrue(response.url.endswith("/my"), response.url)

    def test_access_token_shows_masked_page(self):
        """A shared link (access token) opens the parcel for anyone, masked;
        a wrong token does not."""
        self.mine._portal_ensure_token()
        response = self.url_open(
            f"/my/parcels/{self.mine.id}?access_token={self.mine.access_token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("SF3299150988269", response.text)
        self.assertNotIn(SENDER_PHONE, response.text)
        self.assertNotIn(COURIER_PHONE, response.text)
        self.assertNotIn("Something wrong with this parcel?", response.text)
        response = self.url_open(f"/my/parcels/{self.mine.id}?access_token=wrong")
        self.assertNotIn("SF3299150988269", response.text)

    def test_page_queries_do_not_grow_with_events(self):
        """ARCHITECTURE: portal pages issue a number of queries independent
        of the number of events."""
        self.authenticate("lf_pt_customer", "lf_pt_customer")
        self.url_open(f"/my/parcels/{self.mine.id}")  # warm the caches

        def queries():
            before = self.cr.sql_log_count
            response = self.url_open(f"/my/parcels/{self.mine.id}")
            self.assertEqual(response.status_code, 200)
            return self.cr.sql_log_count - before

        first = queries()
        self.env["logistics.tracking.event"].ingest(
            [
                {
                    "waybill": "SF3299150988269",
                    "courier": "SF",
                    "time": f"2026-11-10T{hour:02d}:30:00+08:00",
                    "status": "0",
                    "place": f"转运中心{hour}",
                }
                for hour in range(10, 22)
            ]
        )
        self.assertEqual(queries(), first)

    def test_customer_chases_from_the_parcel(self):
        """R-PT-1: the customer opens a chase on his parcel; the ticket is
        linked to it, of the right kind, and he can read it in the portal."""
        self.authenticate("lf_pt_customer", "lf_pt_customer")
        response = self.post_ticket(self.mine, "chase", "三天了还没到,请尽快派送")
        ticket = self.mine.ticket_ids
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.logistics_kind, "outbound_chase")
        self.assertEqual(ticket.partner_id, self.customer_user.partner_id)
        self.assertIn("三天了还没到", ticket.description)
        self.assertTrue(response.url.endswith(f"/my/ticket/{ticket.id}"))
        self.assertEqual(response.status_code, 200)
        response = self.url_open(f"/my/parcels/{self.mine.id}")
        self.assertIn(f"/my/ticket/{ticket.id}", response.text)
        # the ticket list does not leak into the breadcrumbs
        self.assertNotIn('href="/my/tickets', response.text)

    def test_second_chase_joins_the_open_ticket(self):
        """The same customer chasing the same parcel again: his request is
        added to the open chase, and its page says so; an internal ticket
        of the parcel (the detection's) stays out of his page."""
        self.authenticate("lf_pt_customer", "lf_pt_customer")
        self.post_ticket(self.mine, "chase", "第一次催件")
        ticket = self.mine.ticket_ids
        internal = self.env["helpdesk.ticket"].create(
            {
                "name": "Stalled after a hub scan",
                "description": "<p>internal</p>",
                "waybill_id": self.mine.id,
                "problem_type_id": self.env.ref(
                    "logistics_followup.problem_type_stalled"
                ).id,
                "partner_id": self.customer_user.partner_id.id,
            }
        )
        response = self.post_ticket(self.mine, "chase", "第二次催件")
        self.assertEqual(self.mine.ticket_ids, ticket | internal)
        self.assertTrue(
            response.url.endswith(f"/my/ticket/{ticket.id}?request_added=1")
        )
        self.assertIn("your request was added to it", response.text)
        self.assertIn("第二次催件", "".join(ticket.message_ids.mapped("body")))
        page = self.url_open(f"/my/parcels/{self.mine.id}").text
        self.assertIn(f"/my/ticket/{ticket.id}", page)
        self.assertNotIn(f"/my/ticket/{internal.id}", page)
        self.assertNotIn("Stalled after a hub scan", self.url_open("/my/tickets").text)

    def test_empty_chase_is_refused_and_kept(self):
        """Bad input: a clear error, what the customer typed kept, nothing
        created."""
        self.authenticate("lf_pt_customer", "lf_pt_customer")
        response = self.post_ticket(self.mine, "refund", "我的快递呢")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Choose whether you chase or complain.", response.text)
        self.assertIn("我的快递呢", response.text)
        response = self.post_ticket(self.mine, "complaint", "  ")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Tell us what happened with your parcel.", response.text)
        # a NUL character: a reason, not a server error
        response = self.post_ticket(self.mine, "complaint", "快递\x00丢了")
        self.assertEqual(response.status_code, 400)
        self.assertIn("characters we cannot store", response.text)
        self.assertFalse(self.mine.ticket_ids)

    def test_cannot_open_ticket_on_others_parcel(self):
        """R-PT-1: a ticket cannot be opened on another customer's parcel."""
        self.authenticate("lf_pt_customer", "lf_pt_customer")
        self.post_ticket(self.others, "complaint", "x")
        self.assertFalse(self.others.ticket_ids)
        with self.assertRaises(UserError):
            self.others._portal_open_ticket(
                self.customer_user.partner_id, "complaint", "x"
            )

    # ------------------------------------------------------------ R-PT-2

    def track(self, number, last4):
        if not getattr(self, "session", None):
            self.authenticate(None, None)
        return self.url_open(
            "/parcel/track",
            data={"number": number, "last4": last4, "csrf_token": self.csrf()},
        )

    def test_public_lookup_masks_everything(self):
        """R-PT-2: number + last 4 digits of the receiver's (or sender's)
        phone show a masked timeline: names, phones, addresses masked, the
        courier's phone inside the scan text too."""
        for last4 in (RECEIVER_PHONE[-4:], SENDER_PHONE[-4:]):
            response = self.track("sf 3299-1509-88269", last4)
            self.assertEqual(response.status_code, 200)
            text = response.text
            self.assertIn("杭州西湖网点", text)
            self.assertIn("王*明", text)
            for secret in (
                RECEIVER_PHONE,
                SENDER_PHONE,
                COURIER_PHONE,
                "王小明",
                "李华强",
                "501室",
                "1203室",
            ):
                self.assertNotIn(secret, text)

    def test_public_lookup_wrong_digits(self):
        """R-PT-2: wrong digits or an unknown number give the same answer
        and show nothing."""
        for number, last4 in (
            ("SF3299150988269", "0000"),
            ("SF9999999999999", RECEIVER_PHONE[-4:]),
        ):
            response = self.track(number, last4)
            self.assertEqual(response.status_code, 404)
            self.assertIn(
                "No parcel matches this waybill number and these phone digits.",
                response.text,
            )
            self.assertNotIn("杭州西湖网点", response.text)
        response = self.track("SF3299150988269", "12a")
        self.assertIn("Enter the last 4 digits of the phone number.", response.text)

    def test_public_lookup_is_throttled(self):
        """R-PT-2: after too many failures a client is refused, even with
        the right digits, until the window has passed; the client's address
        is not stored."""
        for _attempt in range(portal_core.LOOKUP_FAILURE_LIMIT):
            self.assertEqual(self.track("SF3299150988269", "0000").status_code, 404)
        response = self.track("SF3299150988269", RECEIVER_PHONE[-4:])
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many failed look-ups", response.text)
        self.assertNotIn("杭州西湖网点", response.text)
        Lookup = self.env["logistics.tracking.lookup"]
        failures = Lookup.search([])
        self.assertEqual(len(failures), portal_core.LOOKUP_FAILURE_LIMIT)
        self.assertNotIn("127.0.0.1", failures[0].client_key)
        # the window passes
        later = fields.Datetime.now() + portal_core.LOOKUP_WINDOW + timedelta(seconds=1)
        with patch.object(fields.Datetime, "now", return_value=later):
            response = self.track("SF3299150988269", RECEIVER_PHONE[-4:])
        self.assertEqual(response.status_code, 200)

    def test_failed_lookups_are_erased(self):
        """Failed look-ups are kept one day, then erased (PIPL: no longer
        than needed)."""
        Lookup = self.env["logistics.tracking.lookup"]
        Lookup._record_failure("abc", "SF1")
        Lookup.flush_model()
        self.env.cr.execute(
            "UPDATE logistics_tracking_lookup "
            "SET create_date = create_date - interval '2 days'"
        )
        Lookup._record_failure("abc", "SF2")
        Lookup.invalidate_model()
        Lookup._gc_failed_lookups()
        self.assertEqual(Lookup.search([]).mapped("number"), ["SF2"])

    def test_agent_previews_the_shared_page(self):
        """The waybill's "Customer Preview" opens the shared (masked) page,
        which an agent can read."""
        agent = new_test_user(
            self.env, "lf_pt_agent", groups="logistics_followup.group_logistics_agent"
        )
        action = self.mine.with_user(agent).action_preview_portal()
        self.assertIn(f"/my/parcels/{self.mine.id}?access_token=", action["url"])
        self.authenticate("lf_pt_agent", "lf_pt_agent")
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("王*明", response.text)
        self.assertNotIn(RECEIVER_PHONE, response.text)
