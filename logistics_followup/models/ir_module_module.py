# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from contextlib import suppress

from odoo import models
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationImporter, get_base_langs

_logger = logging.getLogger(__name__)

ADDON = "logistics_followup"

#: Other modules whose screens this addon translates, and the folder of the
#: catalogues (``<folder>/<lang>.po``) it ships for them. helpdesk_mgmt ships
#: no Chinese catalogue; ours are offered upstream (docs/upstream/).
EXTRA_CATALOGUES = {"helpdesk_mgmt": "i18n_helpdesk_mgmt"}


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _register_hook(self):
        """When the registry is ready (after ``account``'s hook, which may
        install the chart of accounts of a new database): the demo company's
        currency, see ``res.company._logistics_apply_demo_currency``."""
        super()._register_hook()
        self.env["res.company"].sudo()._logistics_apply_demo_currency()

    def _load_module_terms(self, modules, langs, overwrite=False):
        """Also load our catalogues of the terms of other modules
        (:data:`EXTRA_CATALOGUES`) whenever their terms or ours are loaded:
        when this addon is installed or updated, when that module is updated
        (its update also updates this addon, which depends on it), when a
        language is installed or updated (Settings > Languages, with
        "Overwrite Existing Terms" as ``overwrite``).

        Odoo reads a module's catalogues from its own ``i18n/`` folders only;
        the entries of ours name the other module's records
        (``model:ir.ui.menu,name:helpdesk_mgmt.helpdesk_ticket_main_menu``),
        so they are stored as that module's translations. Code terms (Python
        ``_()``, JavaScript) are read from the module's own files only: the
        few helpdesk_mgmt shows (the team dashboard's tiles) are translated by
        this addon's own code (``helpdesk.ticket.team``).
        """
        super()._load_module_terms(modules, langs, overwrite=overwrite)
        targets = [
            (module, folder)
            for module, folder in EXTRA_CATALOGUES.items()
            if module in modules or ADDON in modules
        ]
        if not targets:
            return
        importer = TranslationImporter(self.env.cr, verbose=False)
        for module, folder in targets:
            for lang in langs:
                for base in get_base_langs(lang):
                    with suppress(FileNotFoundError):
                        path = file_path(f"{ADDON}/{folder}/{base}.po")
                        _logger.info(
                            "module %s: loading %s's translations %s for language %s",
                            ADDON,
                            module,
                            path,
                            lang,
                        )
                        importer.load_file(path, lang)
        importer.save(overwrite=overwrite)
