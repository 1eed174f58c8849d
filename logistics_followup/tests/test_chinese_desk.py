# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

LANGS = ("zh_CN", "zh_TW")

#: helpdesk_mgmt terms equal in Chinese and English (codes, names).
SAME_IN_CHINESE = {"ID", "HTTP Routing"}


def load_chinese(env):
    """Install 简体中文 and 繁體中文 as Settings > Languages does for these
    two modules: ``_update_translations`` (which calls
    ``_load_module_terms``) for the installed languages."""
    for code in LANGS:
        env["res.lang"]._activate_lang(code)
    env["ir.module.module"].search(
        [("name", "in", ("helpdesk_mgmt", "logistics_followup"))]
    )._update_translations(list(LANGS))


@tagged("post_install", "-at_install")
class TestChineseCatalogues(TransactionCase):
    """Issue 15 item 4: helpdesk_mgmt's screens in Chinese from our
    catalogues (i18n_helpdesk_mgmt/), loaded for helpdesk_mgmt whenever its
    terms or ours are loaded."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)

    def names(self, xmlid, field="name"):
        record = self.env.ref(xmlid)
        return [record.with_context(lang=lang)[field] for lang in LANGS]

    def test_stages_menus_and_labels(self):
        self.assertEqual(
            self.names("helpdesk_mgmt.helpdesk_ticket_stage_new"), ["新建", "新建立"]
        )
        self.assertEqual(
            self.names("helpdesk_mgmt.helpdesk_ticket_stage_in_progress"),
            ["处理中", "處理中"],
        )
        self.assertEqual(
            self.names("helpdesk_mgmt.helpdesk_ticket_main_menu"), ["服务台", "服務台"]
        )
        self.assertEqual(
            self.names("helpdesk_mgmt.helpdesk_ticket_dashboard_menu"),
            ["仪表板", "儀表板"],
        )
        fields_tw = (
            self.env["helpdesk.ticket"]
            .with_context(lang="zh_TW")
            .fields_get(["priority", "team_id", "partner_id", "stage_id"])
        )
        self.assertEqual(fields_tw["priority"]["string"], "優先級")
        self.assertEqual(fields_tw["team_id"]["string"], "團隊")
        self.assertEqual(fields_tw["stage_id"]["string"], "階段")
        self.assertEqual(dict(fields_tw["priority"]["selection"])["3"], "非常高")

    def test_views_and_buttons(self):
        arch = (
            self.env["helpdesk.ticket"]
            .with_context(lang="zh_CN")
            .get_view(self.env.ref("helpdesk_mgmt.ticket_view_form").id)["arch"]
        )
        self.assertIn("分配给我", arch)
        self.assertNotIn("Assign to me", arch)

    def test_every_helpdesk_mgmt_name_is_translated(self):
        """All menus, actions, stages, channels, field labels and selection
        values of helpdesk_mgmt have a Chinese name."""
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "helpdesk_mgmt"),
                (
                    "model",
                    "in",
                    (
                        "ir.ui.menu",
                        "ir.actions.act_window",
                        "helpdesk.ticket.stage",
                        "helpdesk.ticket.channel",
                        "ir.model.fields",
                        "ir.model.fields.selection",
                    ),
                ),
            ]
        )
        self.assertGreater(len(data), 150)
        missing = []
        for entry in data:
            record = self.env[entry.model].browse(entry.res_id)
            field = "field_description" if entry.model == "ir.model.fields" else "name"
            english = record.with_context(lang="en_US")[field]
            if english in SAME_IN_CHINESE or not english:
                continue
            for lang in LANGS:
                if record.with_context(lang=lang)[field] == english:
                    missing.append((lang, entry.complete_name, english))
        self.assertFalse(missing, f"{len(missing)} untranslated: {missing[:10]}")

    def test_dashboard_tiles(self):
        tiles = (
            self.env["helpdesk.ticket.team"]
            .with_context(lang="zh_TW")
            .retrieve_dashboard()
        )
        self.assertIn("未結工單", [tile["name"] for tile in tiles])
        tiles = (
            self.env["helpdesk.ticket.team"]
            .with_context(lang="en_US")
            .retrieve_dashboard()
        )
        self.assertIn("Open Tickets", [tile["name"] for tile in tiles])

    def test_reload_with_and_without_overwrite(self):
        """Settings > Languages > Update keeps a term an administrator
        changed, unless "Overwrite Existing Terms" is ticked; updating
        helpdesk_mgmt alone also reloads our catalogue for it."""
        menu = self.env.ref("helpdesk_mgmt.helpdesk_own_ticket_menu")
        menu.with_context(lang="zh_CN").name = "我负责的工单"
        Module = self.env["ir.module.module"]
        Module._load_module_terms(["helpdesk_mgmt"], ["zh_CN"])
        self.assertEqual(menu.with_context(lang="zh_CN").name, "我负责的工单")
        Module._load_module_terms(["helpdesk_mgmt"], ["zh_CN"], overwrite=True)
        self.assertEqual(menu.with_context(lang="zh_CN").name, "我的工单")
        # an update of helpdesk_mgmt's translations, with overwrite
        menu.with_context(lang="zh_TW").name = "我負責的工單"
        Module.search([("name", "=", "helpdesk_mgmt")])._update_translations(
            ["zh_TW"], overwrite=True
        )
        self.assertEqual(menu.with_context(lang="zh_TW").name, "我的工單")


# Waits until the page shows each text in turn, then signals success; a text
# never shown, or any error of the web client, fails the test.
WAIT_FOR_TEXTS = """
(async () => {
    const texts = %s;
    for (const text of texts) {
        let found = false;
        for (let i = 0; i < 300 && !found; i++) {
            found = document.body.innerText.includes(text);
            if (!found) { await new Promise((r) => setTimeout(r, 50)); }
        }
        if (!found) { throw new Error("not shown: " + text); }
    }
    console.log("test successful");
})();
"""


@tagged("post_install", "-at_install")
class TestChineseDesk(HttpCase):
    """A zh_CN and a zh_TW agent see helpdesk_mgmt's menus and stages and our
    forms in their language (headless Chromium)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.users = {
            lang: new_test_user(
                cls.env,
                f"lf_desk_{lang.lower()}",
                groups="logistics_followup.group_logistics_agent",
                lang=lang,
            )
            for lang in LANGS
        }
        cls.waybill = cls.env["logistics.waybill"].create(
            {
                "number": "SF1234567890888",
                "courier_id": cls.env.ref("logistics_followup.courier_sf").id,
            }
        )
        for user in cls.users.values():
            cls.env["helpdesk.ticket"].create(
                {
                    "name": "包裹三天没动",
                    "description": "<p>客户催单</p>",
                    "user_id": user.id,
                    "stage_id": cls.env.ref(
                        "helpdesk_mgmt.helpdesk_ticket_stage_new"
                    ).id,
                }
            )

    def assert_shows(self, path, texts, lang):
        self.browser_js(
            path,
            WAIT_FOR_TEXTS % json.dumps(texts, ensure_ascii=False),
            login=self.users[lang].login,
            timeout=90,
        )

    def check_desk(self, lang, expected):
        self.assert_shows(
            "/odoo/action-helpdesk_mgmt.helpdesk_my_tickets_action",
            [*expected["helpdesk"], "包裹三天没动"],
            lang,
        )
        self.assert_shows(
            f"/odoo/action-logistics_followup.logistics_waybill_action/{self.waybill.id}",
            expected["waybill"],
            lang,
        )

    def test_zh_cn_agent(self):
        self.check_desk(
            "zh_CN",
            {
                "helpdesk": ["服务台", "处理中", "等待中", "我的工单"],
                "waybill": ["快递公司", "物流轨迹", "寄件人与收件人"],
            },
        )

    def test_zh_tw_agent(self):
        self.check_desk(
            "zh_TW",
            {
                "helpdesk": ["服務台", "新建立", "處理中", "我的工單"],
                "waybill": ["快遞公司", "物流軌跡", "寄件人與收件人"],
            },
        )

    def test_portal_ticket_list_labels(self):
        """helpdesk_mgmt's portal ticket list sorts and searches in the
        customer's language (its code terms, named by the addon)."""
        customer = new_test_user(
            self.env, "lf_desk_portal_tw", groups="base.group_portal", lang="zh_TW"
        )
        self.env["helpdesk.ticket"].create(
            {
                "name": "查詢包裹",
                "description": "<p>包裹在哪裡</p>",
                "partner_id": customer.partner_id.id,
            }
        )
        self.authenticate(customer.login, customer.login)
        page = self.url_open("/my/tickets").text
        for label in ("最新", "標題", "按標題搜尋", "查詢包裹"):
            self.assertIn(label, page)
        self.assertNotIn("Search in Title", page)
