# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo company's currency, applied once when the install is over
(``res.company._logistics_apply_demo_currency``, README "The demo")."""

from odoo.tests import TransactionCase, tagged

from ..models.settings import get_setting, set_setting


@tagged("post_install", "-at_install")
class TestDemoCurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        self.company = self.env.ref("base.main_company")
        self.eur = self.env.ref("base.EUR")
        self.Company = self.env["res.company"]

    def company_moves(self):
        return self.env["account.move"].search_count(
            [("company_id", "child_of", self.company.id)]
        )

    def test_nothing_asked_nothing_changes(self):
        before = self.company.currency_id
        self.Company._logistics_apply_demo_currency()
        self.assertEqual(self.company.currency_id, before)

    def test_currency_applied_once(self):
        if self.company.currency_id == self.eur:
            self.eur = self.env.ref("base.CNY")
        if self.company_moves():
            self.skipTest("the main company has entries (demo data)")
        set_setting(self.env, "demo_currency", self.eur.get_external_id()[self.eur.id])
        self.Company._logistics_apply_demo_currency()
        self.assertEqual(self.company.currency_id, self.eur)
        self.assertTrue(self.eur.active)
        self.assertFalse(get_setting(self.env, "demo_currency"), "applied once")

    def test_entries_of_its_own_keep_the_currency(self):
        """An entry that is not account's demo: the company keeps its currency."""
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "general")], limit=1
        )
        accounts = self.env["account.account"].search(
            [("company_ids", "in", self.company.id)], limit=2
        )
        if not journal or len(accounts) < 2:
            self.skipTest("no chart of accounts on the main company")
        move = self.env["account.move"].create(
            {
                "journal_id": journal.id,
                "line_ids": [
                    (0, 0, {"account_id": accounts[0].id, "debit": 10.0}),
                    (0, 0, {"account_id": accounts[1].id, "credit": 10.0}),
                ],
            }
        )
        before = self.company.currency_id
        target = self.env.ref(
            "base.CNY" if before != self.env.ref("base.CNY") else "base.EUR"
        )
        set_setting(self.env, "demo_currency", target.get_external_id()[target.id])
        self.Company._logistics_apply_demo_currency()
        self.assertEqual(self.company.currency_id, before)
        self.assertTrue(move.exists())
