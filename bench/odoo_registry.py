# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Odoo registry of a benchmark database, shared by the bench scripts
(run with the Odoo Python; Odoo is imported only when called)."""

import threading


def open_registry(database, addons_path):
    """Configure Odoo for ``database`` (no HTTP, warnings only) and return
    its registry."""
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(
        [
            "-d",
            database,
            "--addons-path",
            addons_path,
            "--no-http",
            "--log-level",
            "warn",
        ],
        setup_logging=True,
    )
    threading.current_thread().dbname = database
    return Registry(database)
