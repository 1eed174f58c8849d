# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged

from .common import LogisticsCommon

NOW = datetime(2026, 12, 1, 4, 0)  # 12:00 in Shanghai


class NotificationCommon(LogisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Notification = cls.env["logistics.notification"]
        Partner = cls.env["res.partner"]
        cls.sender = Partner.create(
            {"name": "深圳联合贸易", "email": "shipper@example.com", "lang": "en_US"}
        )
        cls.receiver = Partner.create(
            {
                "name": "李四",
                "email": "lisi@example.com",
                "phone": "+8613900139000",
                "tz": "Asia/Shanghai",
                "lang": "en_US",
            }
        )
        cls.seq = 0

    def waybill(self, **vals):
        type(self).seq += 1
        return self.env["logistics.waybill"].create(
            dict(
                {
                    "number": f"SF{7200000000000 + self.seq:013d}",
                    "courier_id": self.courier_sf.id,
                    "direction": "inbound",
                    "sender_partner_id": self.sender.id,
                    "receiver_partner_id": self.receiver.id,
                },
                **vals,
            )
        )

    def scan(self, waybill, status, when, source="api", description=""):
        return self.env["logistics.tracking.event"].ingest(
            [
                {
                    "waybill": waybill.number,
                    "courier": "SF",
                    "time": (when + timedelta(hours=8)).isoformat() + "+08:00",
                    "status": status,
                    "place": "北京海淀站",
                    "description": description or status,
                }
            ],
            source=source,
        )

    def dispatch(self, now=NOW):
        with freeze_time(now):
            return self.Notification._dispatch(now=now)

    def told(self, waybill, partner=None, state="queued", channel="email"):
        domain = [
            ("waybill_id", "=", waybill.id),
            ("state", "=", state),
            ("channel", "=", channel),
        ]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return self.Notification.search(domain)


@tagged("post_install", "-at_install")
class TestNotification(NotificationCommon):
    def test_told_once_per_change_whatever_the_feed(self):
        """R-PT-1: out for delivery told to the receiver, delivered to both,
        each once; the same scans again through another feed tell nothing;
        delivered, an exception, delivered again: delivered told once."""
        waybill = self.waybill()
        self.scan(waybill, "in_transit", NOW - timedelta(hours=5))
        self.dispatch()
        self.assertFalse(self.told(waybill))
        self.scan(waybill, "out_for_delivery", NOW - timedelta(hours=2))
        self.assertTrue(waybill.notify_pending)
        self.dispatch()
        first = self.told(waybill)
        self.assertEqual(first.partner_id, self.receiver)
        self.assertEqual(first.milestone, "out_for_delivery")
        self.assertTrue(first.mail_id)
        self.assertIn(waybill.number, first.mail_id.subject)
        self.assertIn(waybill.number, first.mail_id.body_html)
        self.assertIn("/parcel/notifications/unsubscribe/", first.mail_id.body_html)
        self.assertNotIn(self.sender.name, first.mail_id.body_html)  # other party
        # the same scan again, from the webhook: nothing new
        self.scan(waybill, "out_for_delivery", NOW - timedelta(hours=2), "webhook")
        self.dispatch()
        self.assertEqual(self.told(waybill), first)
        self.scan(waybill, "301", NOW - timedelta(hours=1))  # 本人签收
        self.dispatch()
        delivered = self.told(waybill) - first
        self.assertEqual(delivered.partner_id, self.sender | self.receiver)
        # how it was signed, in the message
        self.assertIn("(", delivered[0].mail_id.subject)
        self.scan(waybill, "exception", NOW - timedelta(minutes=30))
        self.dispatch()
        self.scan(waybill, "delivered", NOW - timedelta(minutes=10))
        self.dispatch()
        milestones = self.told(waybill).mapped("milestone")
        self.assertEqual(milestones.count("delivered"), 2)  # one per party
        self.assertEqual(milestones.count("exception"), 2)

    def test_dispatch_from_its_trigger_as_the_cron_runner(self):
        """The ingestion triggers the dispatch; its cron, run as the cron
        runner runs it, queues the e-mail in Odoo's mail queue."""
        cron = self.env.ref("logistics_followup.ir_cron_notify_dispatch")
        cron.nextcall = datetime.now() + timedelta(days=1)
        waybill = self.waybill()
        self.scan(waybill, "in_transit", datetime.now() - timedelta(hours=3))
        self.scan(waybill, "out_for_delivery", datetime.now() - timedelta(hours=1))
        self.assertTrue(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        )
        # triggered, the job is ready
        self.run_cron("logistics_followup.ir_cron_notify_dispatch", ready_only=True)
        told = self.told(waybill)
        self.assertEqual(told.milestone, "out_for_delivery")
        self.assertEqual(told.mail_id.state, "outgoing")

    def test_first_seen_delivered_and_old_scans_tell_nothing(self):
        """Nothing for a parcel already delivered when first seen, nothing
        for scans older than the configured age."""
        delivered = self.waybill()
        self.scan(delivered, "delivered", NOW - timedelta(hours=1))
        self.dispatch()
        self.assertFalse(self.told(delivered))
        old = self.waybill()
        self.scan(old, "in_transit", NOW - timedelta(days=12))
        self.scan(old, "out_for_delivery", NOW - timedelta(days=10))
        self.dispatch()
        self.assertFalse(self.told(old))

    def test_opt_out_unfollow_and_missing_address(self):
        """A customer's choices are kept: opted out or unfollowed, nothing is
        sent (the ledger says why); without e-mail, skipped and counted."""
        self.receiver._logistics_set_choices({"out_for_delivery": False})
        opted = self.waybill()
        self.scan(opted, "in_transit", NOW - timedelta(hours=3))
        self.scan(opted, "out_for_delivery", NOW - timedelta(hours=1))
        counts = self.dispatch()
        self.assertFalse(self.told(opted))
        self.assertEqual(
            self.told(opted, state="skipped").mapped("skip_reason"), ["opted_out"]
        )
        self.assertGreaterEqual(counts["skipped"], 1)
        muted = self.waybill()
        muted.notify_muted_partner_ids = self.sender
        self.scan(muted, "in_transit", NOW - timedelta(hours=3))
        self.scan(muted, "delivered", NOW - timedelta(hours=1))
        self.dispatch()
        self.assertEqual(self.told(muted).partner_id, self.receiver)
        self.assertEqual(self.told(muted, self.sender, "skipped").skip_reason, "muted")
        nomail = self.env["res.partner"].create({"name": "无邮箱客户"})
        waybill = self.waybill(receiver_partner_id=nomail.id)
        self.scan(waybill, "in_transit", NOW - timedelta(hours=3))
        self.scan(waybill, "out_for_delivery", NOW - timedelta(hours=1))
        self.dispatch()
        self.assertEqual(
            self.told(waybill, nomail, "skipped").skip_reason, "no_address"
        )

    def test_bounced_address_gets_no_more_mail(self):
        self.receiver.message_bounce = 1
        waybill = self.waybill()
        self.scan(waybill, "in_transit", NOW - timedelta(hours=3))
        self.scan(waybill, "out_for_delivery", NOW - timedelta(hours=1))
        self.dispatch()
        self.assertEqual(self.told(waybill, state="skipped").skip_reason, "blacklisted")

    def test_sms_held_in_quiet_hours(self):
        """No SMS between 21:00 and 08:00 local time: held until 08:00, then
        sent through Odoo's SMS queue."""
        night = datetime(2026, 12, 1, 14, 0)  # 22:00 in Shanghai
        waybill = self.waybill()
        self.scan(waybill, "in_transit", night - timedelta(hours=3))
        self.scan(waybill, "out_for_delivery", night - timedelta(minutes=5))
        self.dispatch(night)
        sms = self.told(waybill, state="held", channel="sms")
        self.assertTrue(sms)
        self.assertEqual(sms.send_after, datetime(2026, 12, 2, 0, 0))  # 08:00 local
        self.assertEqual(self.told(waybill).channel, "email")  # e-mail goes now
        if "sms.sms" not in self.env:
            return
        before = self.env["sms.sms"].search_count([])
        with freeze_time(datetime(2026, 12, 1, 23, 0)):
            self.assertEqual(self.Notification._release_held(), 0)
        with freeze_time(datetime(2026, 12, 2, 0, 1)):
            self.assertEqual(self.Notification._release_held(), 1)
        self.assertEqual(self.env["sms.sms"].search_count([]), before + 1)

    def test_expected_date_revised(self):
        """R-WB-5: the expected date moved by a day or more is told once;
        moved by hours, nothing."""
        waybill = self.waybill()
        with freeze_time(NOW):
            self.scan(waybill, "in_transit", NOW - timedelta(hours=3))
            waybill.expected_date = NOW + timedelta(days=1)
            self.dispatch()
            self.assertFalse(self.told(waybill))
            waybill.expected_date = NOW + timedelta(days=1, hours=5)
            self.dispatch()
            self.assertFalse(self.told(waybill))
            waybill.expected_date = NOW + timedelta(days=3)
            self.dispatch()
        told = self.told(waybill)
        self.assertEqual(told.milestone, "expected_revised")
        self.assertIn("expected on 2026-12-04", told.mail_id.subject)

    def test_customer_language(self):
        """The message is in the customer's language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "logistics_followup")]
        )._update_translations(["zh_CN"])
        self.receiver.lang = "zh_CN"
        waybill = self.waybill()
        self.scan(waybill, "in_transit", NOW - timedelta(hours=3))
        self.scan(waybill, "out_for_delivery", NOW - timedelta(hours=1))
        self.dispatch()
        mail = self.told(waybill).mail_id
        self.assertIn("派送中", mail.subject)
        self.assertIn("跟踪您的快件", mail.body_html)

    def test_daily_digest_of_key_customers(self):
        """R-RP-1: a key customer gets one e-mail a day with yesterday's
        arrivals and deliveries, trouble first; once per day."""
        self.sender.logistics_key_customer = True
        yesterday = datetime(2026, 11, 30, 4, 0)
        ok = self.waybill()
        self.scan(ok, "in_transit", yesterday - timedelta(hours=3))
        self.scan(ok, "delivered", yesterday)
        bad = self.waybill()
        self.scan(bad, "at_station", yesterday - timedelta(hours=1))
        self.scan(bad, "exception", yesterday)
        self.waybill()  # nothing yesterday
        with freeze_time(NOW):
            self.assertEqual(self.Notification._cron_daily_digest(now=NOW), 1)
            self.assertEqual(self.Notification._cron_daily_digest(now=NOW), 0)
        digest = self.Notification.search(
            [("partner_id", "=", self.sender.id), ("milestone", "=", "digest")]
        )
        body = digest.mail_id.body_html
        self.assertIn(ok.number, body)
        self.assertIn(bad.number, body)
        self.assertLess(body.index(bad.number), body.index(ok.number))
        self.assertIn("2026-11-30", digest.mail_id.subject)


@tagged("post_install", "-at_install")
class TestNotificationPortal(NotificationCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_user = new_test_user(
            cls.env, "lf_nt_customer", groups="base.group_portal"
        )
        cls.customer = cls.customer_user.partner_id
        cls.customer.email = "customer@example.com"

    def test_unsubscribe_link_without_login(self):
        """Every message's link stops the notifications without a login; a
        wrong token does nothing."""
        url = self.customer._logistics_unsubscribe_url()
        path = url[url.index("/parcel/") :]
        response = self.url_open(path[:-4] + "0000")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.customer.logistics_notification_preference_ids)
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Notifications stopped", response.text)
        choices = self.customer._logistics_notify_choices()
        self.assertTrue(choices)
        self.assertFalse(any(choices.values()))

    def test_preferences_page(self):
        """The customer chooses his milestones on a portal page."""
        self.authenticate("lf_nt_customer", "lf_nt_customer")
        response = self.url_open("/my/parcel-notifications")
        self.assertEqual(response.status_code, 200)
        self.assertIn("milestone_delivered", response.text)
        response = self.url_open(
            "/my/parcel-notifications",
            data={"milestone_delivered": "1", "csrf_token": self.csrf()},
        )
        self.assertIn("Your choices are saved.", response.text)
        choices = self.customer._logistics_notify_choices()
        self.assertTrue(choices[(self.customer.id, "delivered")])
        self.assertFalse(choices[(self.customer.id, "out_for_delivery")])

    def test_unfollow_one_parcel(self):
        waybill = self.waybill(receiver_partner_id=self.customer.id)
        self.authenticate("lf_nt_customer", "lf_nt_customer")
        page = self.url_open(f"/my/parcels/{waybill.id}").text
        self.assertIn("Stop telling me about this parcel", page)
        self.url_open(
            f"/my/parcels/{waybill.id}/notifications",
            data={"follow": "0", "csrf_token": self.csrf()},
        )
        self.assertIn(self.customer, waybill.notify_muted_partner_ids)
        page = self.url_open(f"/my/parcels/{waybill.id}").text
        self.assertIn("Tell me about this parcel", page)

    def csrf(self):
        return Request.csrf_token(self)
