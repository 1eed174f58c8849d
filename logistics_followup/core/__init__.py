# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Business rules of logistics_followup as pure Python.

Nothing in this package imports ``odoo``: the rules are tested on their own
(``tests/core`` at the repository root) and the ORM layer in ``models/`` calls
them. Functions return codes and parameters, never translated text; the ORM
layer turns codes into translated messages (see ``models/`` and docs/architecture.md).
"""
