# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..core.waybill import s10_check_digit
from .common import LogisticsCommon


class StationCommon(LogisticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Station = cls.env["logistics.station"]
        cls.courier_zto = cls.env.ref("logistics_followup.courier_zto")
        cls.nanshan = cls.Station.create(
            {
                "name": "深圳南山科技园网点",
                "courier_id": cls.courier_sf.id,
                "code": "sz-ns01",
                "city": "深圳市",
                "district": "南山区",
                "phone": "0755-26001234",
                "email": "nanshan@example.com",
                "opening_hours": "8:00-21:00",
                "child_ids": [
                    Command.create(
                        {"name": "陈建国", "function": "站长", "phone": "13800001001"}
                    )
                ],
            }
        )
        cls.futian = cls.Station.create(
            {
                "name": "深圳福田华强北网点",
                "courier_id": cls.courier_zto.id,
                "code": "SZ-FT02",
                "city": "深圳市",
                "district": "福田区",
                "phone": "0755-83005678",
                "email": "futian@example.com",
            }
        )
        cls._seq = 0

    @classmethod
    def waybill(cls, destination=None, place=None, courier=None, **vals):
        cls._seq += 1
        waybill = cls.env["logistics.waybill"].create(
            dict(
                {
                    "number": f"SF{7100000000000 + cls._seq}",
                    "courier_id": (courier or cls.courier_sf).id,
                    "destination_station": destination,
                },
                **vals,
            )
        )
        if place:
            LogisticsCommon.set_tracking(
                cls, waybill, state="in_transit", last_event_place=place
            )
        return waybill

    @classmethod
    def ticket_vals(cls, waybill, **vals):
        return dict(
            {
                "name": "催件",
                "description": "<p>客户催件</p>",
                "logistics_kind": "outbound_chase",
                "waybill_id": waybill.id,
            },
            **vals,
        )


@tagged("post_install", "-at_install")
class TestStation(StationCommon):
    """R-PP-11: stations are partners with a courier, a code, phones,
    people and working hours; agents read them, supervisors keep them."""

    def test_station_is_a_partner(self):
        station = self.nanshan
        partner = station.partner_id
        self.assertEqual(partner.name, "深圳南山科技园网点")
        self.assertEqual(partner.phone, "0755-26001234")
        self.assertTrue(partner.is_company)
        self.assertEqual(partner.company_id, self.env.company)
        self.assertEqual(partner.logistics_station_ids, station)
        self.assertEqual(station.code, "SZ-NS01", "stored in upper case")
        self.assertEqual(station.opening_hours, "08:00-21:00", "normalised")
        contact = station.child_ids
        self.assertEqual(contact.name, "陈建国")
        self.assertEqual(contact.parent_id, partner)
        self.assertEqual(contact.company_id, self.env.company)
        self.assertEqual(station.contact_count, 1)
        # found by name or code
        self.assertIn(
            station, self.Station.search([("display_name", "ilike", "sz-ns01")])
        )
        self.assertEqual(station.display_name, "深圳南山科技园网点")

    def test_code_unique_per_courier_and_company(self):
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.Station.create(
                {"name": "重复", "courier_id": self.courier_sf.id, "code": "SZ-NS01"}
            )
        # another courier, another company: allowed
        self.Station.create(
            {"name": "中通南山", "courier_id": self.courier_zto.id, "code": "SZ-NS01"}
        )
        other = self.env["res.company"].create({"name": "Other Express"})
        self.Station.create(
            {
                "name": "别家南山",
                "courier_id": self.courier_sf.id,
                "code": "SZ-NS01",
                "company_id": other.id,
            }
        )
        # stations without a code do not collide
        self.Station.create({"name": "无编码一", "courier_id": self.courier_sf.id})
        self.Station.create({"name": "无编码二", "courier_id": self.courier_sf.id})

    def test_working_hours_and_phones_checked(self):
        with self.assertRaises(ValidationError):
            self.nanshan.opening_hours = "always"
        with self.assertRaises(ValidationError):
            self.nanshan.phone_other = "ask the boss"
        self.nanshan.phone_other = "0755-26001235, 13800138000"
        self.nanshan.opening_hours = "全天"
        self.assertEqual(self.nanshan.opening_hours, "00:00-24:00")

    def test_agents_read_supervisors_write(self):
        """The supervisor is no contact manager: the station's partner and
        its people are written with the station's rights."""
        self.assertFalse(self.supervisor.has_group("base.group_partner_manager"))
        station = self.nanshan.with_user(self.agent)
        self.assertEqual(station.phone, "0755-26001234")
        self.assertEqual(station.child_ids.name, "陈建国")
        with self.assertRaises(AccessError):
            station.write({"phone": "0755-1"})
        with self.assertRaises(AccessError):
            self.Station.with_user(self.agent).create(
                {"name": "x", "courier_id": self.courier_sf.id}
            )
        with self.assertRaises(AccessError):
            station.unlink()
        # the agent cannot edit the station's partner directly either
        with self.assertRaises(AccessError):
            station.partner_id.write({"phone": "0755-1"})

        boss = self.nanshan.with_user(self.supervisor)
        boss.write(
            {
                "phone": "0755-26009999",
                "child_ids": [Command.create({"name": "李娜", "phone": "13900001111"})],
            }
        )
        self.assertEqual(self.nanshan.partner_id.phone, "0755-26009999")
        self.assertEqual(
            sorted(self.nanshan.child_ids.mapped("name")), ["李娜", "陈建国"]
        )
        created = self.Station.with_user(self.supervisor).create(
            {
                "name": "新网点",
                "courier_id": self.courier_sf.id,
                "phone": "0755-1234567",
            }
        )
        self.assertEqual(created.partner_id.phone, "0755-1234567")
        # a station cannot adopt another partner as its contact person
        stranger = self.env["res.partner"].create({"name": "陌生人"})
        with self.assertRaises(AccessError):
            boss.write({"child_ids": [Command.link(stranger.id)]})
        with self.assertRaises(AccessError):
            boss.write({"child_ids": [Command.update(stranger.id, {"name": "x"})]})
        # archiving the station archives its partner (no more proposed)
        boss.action_archive()
        self.assertFalse(self.nanshan.partner_id.active)

    def test_other_company_sees_nothing(self):
        other = self.env["res.company"].create({"name": "Other Express"})
        hidden = self.Station.create(
            {
                "name": "别家网点",
                "courier_id": self.courier_sf.id,
                "code": "X-1",
                "company_id": other.id,
            }
        )
        self.assertEqual(hidden.partner_id.company_id, other)
        for user in (self.agent, self.supervisor):
            self.assertNotIn(hidden, self.Station.with_user(user).search([]))
            with self.assertRaises(AccessError):
                hidden.with_user(user).read(["name"])
        with self.assertRaises(AccessError):
            hidden.with_user(self.supervisor).write({"phone": "1"})
        # moving the station moves its partner and people
        self.nanshan.company_id = other
        self.assertEqual(self.nanshan.partner_id.company_id, other)
        self.assertEqual(self.nanshan.child_ids.company_id, other)

    def test_portal_user_has_no_access(self):
        with self.assertRaises(AccessError):
            self.Station.with_user(self.portal_user).search([])

    def test_tickets_button(self):
        ticket = self.env["helpdesk.ticket"].create(
            self.ticket_vals(self.waybill("深圳南山科技园网点"))
        )
        self.assertEqual(self.nanshan.ticket_count, 1)
        action = self.nanshan.action_view_tickets()
        self.assertEqual(self.env["helpdesk.ticket"].search(action["domain"]), ticket)


@tagged("post_install", "-at_install")
class TestStationResponsible(StationCommon):
    """R-PP-11 / R-CP-6: a ticket's responsible station is the station of
    the directory its waybill names (delivering station, else last scan
    place), the waybill's courier first; the chase proposes its people."""

    def test_from_the_delivering_station(self):
        ticket = self.env["helpdesk.ticket"].create(
            self.ticket_vals(self.waybill("深圳南山科技园网点"))
        )
        self.assertEqual(ticket.responsible_station_id, self.nanshan.partner_id)
        self.assertEqual(ticket.responsible_station, "深圳南山科技园网点")

    def test_from_the_code_or_the_last_scan_place(self):
        by_code = self.waybill(
            "SZ-FT02", courier=self.courier_zto, number="73190553102532"
        )
        by_place = self.waybill("杭州西湖网点", place="【深圳福田华强北网点】派件中")
        at_hub = self.waybill(None, place="深圳转运中心")
        tickets = self.env["helpdesk.ticket"].create(
            [self.ticket_vals(w) for w in (by_code, by_place, at_hub)]
        )
        self.assertEqual(
            tickets.mapped("responsible_station_id"),
            self.futian.partner_id,
        )
        self.assertEqual(tickets[0].responsible_station_id, self.futian.partner_id)
        self.assertEqual(tickets[1].responsible_station_id, self.futian.partner_id)
        self.assertFalse(tickets[2].responsible_station_id, "a hub is no station")

    def test_same_courier_first_and_no_guess(self):
        zto_tianhe = self.Station.create(
            {"name": "广州天河网点", "courier_id": self.courier_zto.id}
        )
        sf_tianhe = self.Station.create(
            {"name": "广州天河网点", "courier_id": self.courier_sf.id}
        )
        Ticket = self.env["helpdesk.ticket"]
        sf_ticket = Ticket.create(self.ticket_vals(self.waybill("广州天河网点")))
        self.assertEqual(sf_ticket.responsible_station_id, sf_tianhe.partner_id)
        cpi_ticket = Ticket.create(
            self.ticket_vals(
                self.waybill(
                    "广州天河网点",
                    courier=self.courier_cpi,
                    number=f"EA12345678{s10_check_digit('12345678')}CN",
                )
            )
        )
        self.assertFalse(cpi_ticket.responsible_station_id, "two stations: no guess")
        self.assertTrue(zto_tianhe)

    def test_given_station_and_delivery_area_are_kept(self):
        chosen = self.env["res.partner"].create({"name": "指定网点"})
        ticket = self.env["helpdesk.ticket"].create(
            self.ticket_vals(
                self.waybill("深圳南山科技园网点"), responsible_station_id=chosen.id
            )
        )
        self.assertEqual(ticket.responsible_station_id, chosen)
        contact = self.env["res.partner"].create({"name": "片区联系人"})
        self.env["logistics.delivery.area"].create(
            {
                "name": "科技园",
                "keywords": "科苑路",
                "courier_partner_id": self.env["res.partner"]
                .create({"name": "快递员 王五"})
                .id,
                "station_partner_id": contact.id,
            }
        )
        inbound = self.waybill(
            "深圳南山科技园网点", direction="inbound", receiver_address="深圳科苑路1号"
        )
        area_ticket = self.env["helpdesk.ticket"].create(
            self.ticket_vals(inbound, logistics_kind="delivery_chase")
        )
        self.assertEqual(area_ticket.responsible_station_id, contact)

    def test_waybill_set_later(self):
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "查件", "description": "<p>?</p>"}
        )
        ticket.waybill_id = self.waybill("深圳南山科技园网点")
        self.assertEqual(ticket.responsible_station_id, self.nanshan.partner_id)

    def test_other_company_station_never_matches(self):
        other = self.env["res.company"].create({"name": "Other Express"})
        self.Station.create(
            {
                "name": "杭州西湖网点",
                "courier_id": self.courier_sf.id,
                "company_id": other.id,
            }
        )
        ticket = self.env["helpdesk.ticket"].create(
            self.ticket_vals(self.waybill("杭州西湖网点"))
        )
        self.assertFalse(ticket.responsible_station_id)

    def test_batch_matching_reads_the_directory_once(self):
        """The detection creates its tickets in batches: the matching costs
        the same queries for 2 waybills as for 20."""
        for index in range(20):
            self.Station.create(
                {
                    "name": f"测试网点{index:02d}",
                    "courier_id": self.courier_sf.id,
                    "code": f"T-{index:02d}",
                }
            )
        few = self.env["logistics.waybill"]
        many = self.env["logistics.waybill"]
        for index in range(20):
            waybill = self.waybill(f"测试网点{index:02d}", place="深圳转运中心")
            many |= waybill
            if index < 2:
                few |= waybill
        Station = self.env["logistics.station"]

        def count(waybills):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            result = Station._match_waybills(waybills.browse(waybills.ids))
            return self.env.cr.sql_log_count - before, result

        small, result = count(few)
        self.assertEqual(len(result), 2)
        big, result = count(many)
        self.assertEqual(len(result), 20)
        self.assertEqual(small, big)
        self.assertEqual(result[many[7].id].code, "T-07")


@tagged("post_install", "-at_install")
class TestStationChase(StationCommon):
    """催件: the chase wizard proposes the station's people first, any
    partner still allowed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls.env["helpdesk.ticket"].create(
            cls.ticket_vals(cls.waybill("深圳南山科技园网点"), user_id=cls.agent.id)
        )

    def wizard(self, ticket=None, **vals):
        action = (ticket or self.ticket).with_user(self.agent).action_escalate()
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.agent)
            .with_context(**action["context"])
        )
        for name, value in vals.items():
            setattr(form, name, value)
        return form

    def test_station_contacts_proposed_first(self):
        form = self.wizard(note="请告知派送时间")
        station = self.nanshan.partner_id
        self.assertEqual(form.partner_id, station)
        wizard = form.save()
        self.assertEqual(wizard.station_contact_ids, station | self.nanshan.child_ids)
        # the contact drop-down lists them first, then anyone
        self.env["res.partner"].create({"name": "陈建国 (同名客户)"})
        Partner = self.env["res.partner"].with_user(self.agent)
        names = Partner.with_context(
            logistics_preferred_partner_ids=wizard.station_contact_ids.ids
        ).name_search("陈建国")
        self.assertEqual(names[0][0], self.nanshan.child_ids.id)
        self.assertEqual(len(names), 2)
        plain = Partner.name_search("陈建国")
        self.assertEqual({i for i, _n in plain}, {i for i, _n in names})
        limited = Partner.with_context(
            logistics_preferred_partner_ids=wizard.station_contact_ids.ids
        ).name_search("", limit=1)
        self.assertEqual(len(limited), 1)
        self.assertIn(limited[0][0], wizard.station_contact_ids.ids)

    def test_chase_a_contact_person_or_anyone(self):
        person = self.nanshan.child_ids
        person.email = "chen@example.com"
        wizard = self.wizard(partner_id=person, note="请今天派送").save()
        wizard.action_confirm()
        self.assertEqual(self.ticket.escalation_ids.partner_id, person)
        anyone = self.env["res.partner"].create(
            {"name": "别的联系人", "email": "x@example.com"}
        )
        wizard = self.wizard(partner_id=anyone, note="再催").save()
        wizard.action_confirm()
        self.assertIn(anyone, self.ticket.escalation_ids.partner_id)

    def test_ticket_without_station_gets_the_one_its_waybill_names(self):
        ticket = self.env["helpdesk.ticket"].create(
            self.ticket_vals(self.waybill("杭州西湖网点"), user_id=self.agent.id)
        )
        self.assertFalse(ticket.responsible_station_id)
        # the directory learns the station afterwards
        self.Station.create(
            {
                "name": "杭州西湖网点",
                "courier_id": self.courier_sf.id,
                "email": "xihu@example.com",
            }
        )
        form = self.wizard(ticket, note="请核实")
        self.assertEqual(form.partner_id.name, "杭州西湖网点")
        form.save().action_confirm()
        self.assertEqual(ticket.responsible_station_id.name, "杭州西湖网点")


@tagged("post_install", "-at_install")
class TestStationImport(StationCommon):
    """Stations from a CSV or XLSX file, Chinese or English headers; a bad
    line is rejected alone with its reason, nothing lost."""

    def run_import(self, data, filename, user=None, **vals):
        wizard = (
            self.env["logistics.station.import"]
            .with_user(user or self.supervisor)
            .create(
                dict(
                    {"file": base64.b64encode(data), "filename": filename},
                    **vals,
                )
            )
        )
        wizard.action_import()
        return wizard

    def report_lines(self, wizard):
        return base64.b64decode(wizard.report_file).decode("utf-8-sig").splitlines()

    def test_csv_with_chinese_headers(self):
        data = (
            "网点名称,网点编码,快递公司,省份,城市,区县,电话,联系人,营业时间\n"
            "深圳宝安西乡网点,SZ-BA03,YTO Express,广东省,深圳市,宝安区,0755-27009012,"
            "黄志强(站长) 13800003003; 刘洋 13800003004,08:00-20:00\n"
            "坏网点,X-1,不存在的快递,,,,,,\n"
            "无名,,SF,,,,call me,,\n"
            ",X-3,SF,,,,,,\n"
            "深圳南山科技园网点,SZ-NS01,shunfeng,,深圳市,南山区,0755-26001234,"
            "李娜 13900001111,8:00-21:30\n"
            "上海浦东陆家嘴网点,SH-PD01,ZTO,火星省,上海市,浦东新区,,,\n"
        ).encode("gb18030")
        wizard = self.run_import(data, "网点.csv")
        self.assertEqual(
            (wizard.created_count, wizard.updated_count, wizard.rejected_count),
            (1, 1, 4),
        )
        baoan = self.Station.search([("code", "=", "SZ-BA03")])
        self.assertEqual(
            baoan.courier_id, self.env.ref("logistics_followup.courier_yto")
        )
        self.assertEqual(baoan.state_id, self.env.ref("base.state_cn_GD"))
        self.assertEqual((baoan.city, baoan.district), ("深圳市", "宝安区"))
        self.assertEqual(baoan.opening_hours, "08:00-20:00")
        self.assertEqual(sorted(baoan.child_ids.mapped("name")), ["刘洋", "黄志强"])
        self.assertEqual(
            baoan.child_ids.filtered(lambda p: p.name == "黄志强").function, "站长"
        )
        # the existing station is updated and gets the new contact person
        self.assertEqual(self.nanshan.opening_hours, "08:00-21:30")
        self.assertEqual(
            sorted(self.nanshan.child_ids.mapped("name")), ["李娜", "陈建国"]
        )
        lines = self.report_lines(wizard)
        self.assertTrue(lines[0].startswith("Line,网点名称"))
        reasons = "\n".join(lines[1:])
        self.assertIn("3,坏网点", reasons)
        self.assertIn("Unknown courier 不存在的快递", reasons)
        self.assertIn("call me is not a phone number", reasons)
        self.assertIn("The station name is missing", reasons)
        self.assertIn("Unknown province 火星省", reasons)
        self.assertEqual(len(lines), 5)

    def test_again_changes_nothing(self):
        data = (
            "网点名称,网点编码,快递公司,联系人\n"
            "深圳宝安西乡网点,SZ-BA03,YTO,黄志强 13800003003\n"
        ).encode()
        self.run_import(data, "a.csv")
        wizard = self.run_import(data, "a.csv")
        self.assertEqual((wizard.created_count, wizard.updated_count), (0, 1))
        station = self.Station.search([("code", "=", "SZ-BA03")])
        self.assertEqual(len(station.child_ids), 1, "the contact is not doubled")

    def test_xlsx_with_english_headers_and_default_courier(self):
        import openpyxl  # noqa: PLC0415

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["Station directory"])
        sheet.append(["Station Name", "Code", "City", "Phone", "Working Hours"])
        sheet.append(
            ["上海浦东陆家嘴网点", "SH-PD01", "上海市", "021-58003344", "8:30-20:00"]
        )
        sheet.append(
            ["广州天河体育中心网点", "GZ-TH01", "广州市", 2038001122, "08:00-21:00"]
        )
        buffer = io.BytesIO()
        book.save(buffer)
        wizard = self.run_import(
            buffer.getvalue(), "stations.xlsx", courier_id=self.courier_zto.id
        )
        self.assertEqual((wizard.created_count, wizard.rejected_count), (2, 0))
        pudong = self.Station.search([("code", "=", "SH-PD01")])
        self.assertEqual(pudong.courier_id, self.courier_zto)
        self.assertEqual(pudong.phone, "021-58003344")
        tianhe = self.Station.search([("code", "=", "GZ-TH01")])
        self.assertEqual(tianhe.phone, "2038001122")

    def test_bad_files(self):
        with self.assertRaises(UserError):
            self.run_import(b"\n\n", "empty.csv")
        with self.assertRaises(UserError):
            self.run_import(b"\x00\x01binary", "x.csv")
        with self.assertRaises(UserError) as error:
            self.run_import("城市,电话\n深圳市,0755-1234567\n".encode(), "x.csv")
        self.assertIn("网点名称", str(error.exception))

    def test_agents_cannot_import(self):
        with self.assertRaises(AccessError):
            self.run_import(b"a,b\n", "x.csv", user=self.agent)
