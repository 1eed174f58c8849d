# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ..core import events as events_core
from ..core import importer
from ..core import webhook as webhook_core

FIELD_SELECTION = [
    ("waybill", "Waybill Number"),
    ("courier", "Courier"),
    ("time", "Time"),
    ("place", "Place"),
    ("status", "Status"),
    ("description", "Description"),
    ("operator", "Operator"),
    ("operator_phone", "Operator Phone"),
    (importer.IGNORE, "Do Not Import"),
]

#: Fields without which every row would be rejected.
REQUIRED_FIELDS = ("waybill", "time", "status")

PREVIEW_ROWS = 10
#: Rejected rows listed in the preview (the report after the import has all).
PREVIEW_REJECTED_ROWS = 50
SAMPLE_ROWS = 50
SAMPLE_LENGTH = 80
REPORT_FILENAME = "rejected_rows.csv"


class LogisticsTrackingImport(models.TransientModel):
    """Import scans from a CSV or XLSX file: upload, map the columns,
    preview, import.

    A source of ``logistics.tracking.event.ingest`` like any other (R-WB-3):
    all the rows of the file go to ``ingest`` in one call; the rejected ones
    come back as a CSV report with the file's line numbers and the reasons.
    The preview runs the same rows through ``ingest`` in a savepoint that is
    rolled back, so it shows exactly what the import will do. The file is
    read by one method (:meth:`_read_table`, one decoding:
    ``core.importer.decode``) for the columns, the preview and the import.
    """

    _name = "logistics.tracking.import"
    _description = "Import Tracking Events"

    state = fields.Selection(
        selection=[
            ("upload", "Upload"),
            ("map", "Map Columns"),
            ("preview", "Preview"),
            ("done", "Done"),
        ],
        required=True,
        default="upload",
    )
    file = fields.Binary(required=True, attachment=False)
    filename = fields.Char()
    courier_id = fields.Many2one(
        comodel_name="logistics.courier",
        string="Default Courier",
        help="Courier of every row when the file has no courier column. Without "
        "it, the courier is found from an existing waybill or from the formats "
        "of the couriers' numbers.",
    )
    column_ids = fields.One2many(
        comodel_name="logistics.tracking.import.column",
        inverse_name="import_id",
        string="Columns",
    )
    encoding_warning = fields.Char(
        readonly=True,
        help="Set when the CSV file's encoding is a guess: check the preview.",
    )
    encoding_label = fields.Char(
        string="Read As",
        readonly=True,
        help="How the file was decoded: UTF-8, UTF-8 with BOM, GB18030 (GBK), "
        "UTF-16, or an XLSX workbook.",
    )
    preview_accepted_count = fields.Integer(string="To Import", readonly=True)
    preview_duplicate_count = fields.Integer(string="Duplicates", readonly=True)
    preview_rejected_count = fields.Integer(string="To Reject", readonly=True)
    preview_rejected = fields.Html(string="Rejected Rows Preview", readonly=True)
    has_waybill_column = fields.Boolean(compute="_compute_has_waybill_column")
    preview = fields.Html(compute="_compute_preview")
    accepted_count = fields.Integer(string="Imported", readonly=True)
    duplicate_count = fields.Integer(string="Already Recorded", readonly=True)
    rejected_count = fields.Integer(string="Rejected", readonly=True)
    report_file = fields.Binary(string="Rejected Rows", attachment=False, readonly=True)
    report_filename = fields.Char(readonly=True)

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("column_ids.field")
    def _compute_has_waybill_column(self):
        for wizard in self:
            wizard.has_waybill_column = "waybill" in wizard.column_ids.mapped("field")

    @api.depends(
        "state",
        "file",
        "filename",
        "courier_id",
        "column_ids.field",
        "column_ids.column_index",
    )
    def _compute_preview(self):
        for wizard in self:
            if wizard.state in ("map", "preview") and wizard.file:
                wizard.preview = wizard._preview_html()
            else:
                wizard.preview = False

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_read_file(self):
        """Step 1: read the file and guess the columns from their headers."""
        self.ensure_one()
        table = self._read_table()
        mapping = importer.guess_mapping(table.headers)
        commands = [Command.clear()]
        for index, header in enumerate(table.headers):
            commands.append(
                Command.create(
                    {
                        "column_index": index,
                        "name": header
                        or self.env._("Column %(number)s", number=index + 1),
                        "sample": self._sample(table.rows, index),
                        "field": mapping.get(index, importer.IGNORE),
                    }
                )
            )
        self.write(
            {
                "column_ids": commands,
                "state": "map",
                "encoding_warning": self._encoding_warning(table),
                "encoding_label": self._encoding_label(table),
            }
        )
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        if self.state == "preview":
            self.write({"state": "map", "preview_rejected": False})
        else:
            self.write({"column_ids": [Command.clear()], "state": "upload"})
        return self._reopen()

    def action_preview(self):
        """Step 2: what the import will do, without importing: the rows go
        through ``ingest`` in a savepoint that is rolled back."""
        self.ensure_one()
        prepared = self._prepare_rows()
        Event = self.env["logistics.tracking.event"].with_context(
            logistics_ingest_dry_run=True
        )
        with self.env.cr.savepoint() as savepoint:
            result = Event.ingest(prepared["rows"], source="import")
            savepoint.close(rollback=True)
        rejected = self._rejected_lines(prepared, result)
        self.write(
            {
                "state": "preview",
                "preview_accepted_count": result["accepted"],
                "preview_duplicate_count": result["duplicates"],
                "preview_rejected_count": len(rejected),
                "preview_rejected": self._rejected_html(
                    rejected, prepared["mapping"], prepared["headers"]
                ),
            }
        )
        return self._reopen()

    def action_import(self):
        """Step 3: send every row to ``ingest`` in one call, keep the counts
        and the report of the rejected rows."""
        self.ensure_one()
        prepared = self._prepare_rows()
        result = self.env["logistics.tracking.event"].ingest(
            prepared["rows"], source="import"
        )
        rejected = self._rejected_lines(prepared, result)
        headers = prepared["headers"]
        values = {
            "state": "done",
            "accepted_count": result["accepted"],
            "duplicate_count": result["duplicates"],
            "rejected_count": len(rejected),
            "report_file": False,
            "report_filename": False,
            "preview_rejected": False,
        }
        if rejected:
            labels = {
                "line": self.env._("Line"),
                "reason": self.env._("Reason"),
                **{
                    name: headers.get(index) or name
                    for index, name in prepared["mapping"].items()
                },
            }
            report = importer.rejected_report_csv(rejected, labels=labels)
            values.update(
                report_file=base64.b64encode(report),
                report_filename=REPORT_FILENAME,
            )
        self.write(values)
        return self._reopen()

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Tracking Events"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def _file_content(self):
        """The file's bytes. The web client reads the wizard with
        ``bin_size``, under which a binary field gives its size ("1.2 Kb"),
        not its content: the preview used to decode that text and report a
        valid file as empty or in an unknown encoding."""
        self.ensure_one()
        data = self.with_context(bin_size=False).file
        return base64.b64decode(data) if data else b""

    def _read_table(self, limit=None):
        """The file as a table: the one reading of the columns, the preview
        and the import (``core.importer.read_table``)."""
        if not self.with_context(bin_size=False).file:
            raise UserError(self.env._("Choose a CSV or XLSX file to import."))
        try:
            return importer.read_table(
                self._file_content(), self.filename or "", limit=limit
            )
        except importer.ImportFileError as error:
            raise UserError(self._file_error_message(error)) from error

    def _encoding_label(self, table):
        """How the file was decoded, for the user."""
        labels = {
            "": self.env._("XLSX workbook"),
            "utf-8": self.env._("UTF-8"),
            "utf-8-sig": self.env._("UTF-8 with BOM"),
            "utf-16": self.env._("UTF-16"),
            "gb18030": self.env._("GB18030 (GBK, Simplified Chinese)"),
        }
        return labels.get(table.encoding) or table.encoding.upper()

    def _prepare_rows(self):
        """The rows of the whole file for ``ingest``, as the preview and the
        import send them: ``{"mapping", "headers", "sent": [(line, row)],
        "rows": [row for ingest], "lost": [(line, row, reason)]}``; lines
        whose digits a spreadsheet lost are never sent."""
        mapping = self._get_mapping()
        table = self._read_table()
        lines = importer.build_rows(
            table.rows,
            mapping,
            default_courier=self.courier_id.code or None,
            first_line=table.first_line,
        )
        if not lines:
            raise UserError(self.env._("The file has no rows to import."))

        # digits lost in a mapped column: the number is wrong, never send it
        headers = dict(enumerate(table.headers))
        lost = {}
        for issue in table.issues:
            if issue.column in mapping and issue.line not in lost:
                lost[issue.line] = self.env._(
                    "Digits of %(value)s in column %(column)s were lost: the "
                    "spreadsheet stored it as a number and keeps only 15 digits. "
                    "Format the column as text, type the numbers again and export "
                    "the file again.",
                    value=issue.value,
                    column=headers.get(issue.column) or issue.column + 1,
                )
        # a courier text that names no courier: say so in the user's words
        # (ingest would only see an invalid code)
        couriers = self._courier_index()
        for line, row in lines:
            courier = row.get("courier")
            if (
                courier
                and line not in lost
                and not importer.match_courier(courier, couriers)
            ):
                lost[line] = self.env._(
                    "Unknown courier %(courier)s: add this name to the courier's "
                    "Other Names.",
                    courier=courier,
                )
        sent = [(line, row) for line, row in lines if line not in lost]
        return {
            "mapping": mapping,
            "headers": headers,
            "sent": sent,
            "rows": [self._ingest_row(row, couriers) for _line, row in sent],
            "lost": [(line, row, lost[line]) for line, row in lines if line in lost],
        }

    @api.model
    def _rejected_lines(self, prepared, result):
        """``[(line, row, reason)]`` of the lines not sent or rejected by
        ``ingest``, by line."""
        rejected = list(prepared["lost"])
        for rejection in result["rejected"]:
            line, row = prepared["sent"][rejection["index"]]
            rejected.append((line, row, rejection["reason"]))
        rejected.sort(key=lambda item: item[0])
        return rejected

    def _rejected_html(self, rejected, mapping, headers):
        """The rejected lines of the preview as an HTML table (escaped)."""
        if not rejected:
            return Markup("<p class='text-success'>%s</p>") % self.env._(
                "No row will be rejected."
            )
        names = [name for name in events_core.ROW_FIELDS if name in mapping.values()]
        index_of = {name: index for index, name in mapping.items()}
        head = Markup("").join(
            Markup("<th>%s</th>") % (headers.get(index_of[name]) or name)
            for name in names
        )
        body = Markup("").join(
            Markup("<tr><td>%s</td>%s<td>%s</td></tr>")
            % (
                line,
                Markup("").join(
                    Markup("<td>%s</td>") % (row.get(name) or "") for name in names
                ),
                reason,
            )
            for line, row, reason in rejected[:PREVIEW_REJECTED_ROWS]
        )
        more = Markup("")
        if len(rejected) > PREVIEW_REJECTED_ROWS:
            more = Markup("<p class='text-muted'>%s</p>") % self.env._(
                "%(count)s more rejected rows: the report after the import lists "
                "them all.",
                count=len(rejected) - PREVIEW_REJECTED_ROWS,
            )
        return (
            Markup(
                "<table class='table table-sm table-striped'>"
                "<thead><tr><th>%s</th>%s<th>%s</th></tr></thead>"
                "<tbody>%s</tbody></table>"
            )
            % (self.env._("Line"), head, self.env._("Reason"), body)
            + more
        )

    def _encoding_warning(self, table):
        """The warning shown when the encoding of a CSV is a guess (issue 11
        item 10: a Latin-1 file used to be read as GB18030 silently)."""
        if table.encoding_note == "encoding_guessed":
            return self.env._(
                "The file is not UTF-8 text: it was read as %(encoding)s, the "
                "encoding it most likely uses. Check the accented or Chinese "
                "characters in the preview; if they are wrong, save the file as "
                "CSV UTF-8 and read it again.",
                encoding=table.encoding.upper(),
            )
        if table.encoding_note == "encoding_uncertain":
            return self.env._(
                "The file is not UTF-8 text and its encoding could not be "
                "recognised with certainty: it was read as GBK (GB18030). Check "
                "the characters in the preview; if they are wrong, save the file "
                "as CSV UTF-8 and read it again."
            )
        return False

    def _file_error_message(self, error):
        params = error.params
        messages = {
            "empty": self.env._("The file is empty: it has no rows to import."),
            "format": self.env._(
                "The file %(filename)s is not a CSV or XLSX file (Excel 97-2003 .xls "
                "files are not supported): save it as .xlsx or .csv and try again.",
                filename=self.filename or "",
            ),
            "binary": self.env._(
                "The file %(filename)s is not a text, CSV or XLSX file: its "
                "content is binary. Export the scans as .xlsx or .csv and try "
                "again.",
                filename=self.filename or "",
            ),
            "encoding": self.env._(
                "The CSV file is neither UTF-8 nor GBK (GB18030) text: save it as "
                "CSV UTF-8 and try again."
            ),
            "xlsx_unavailable": self.env._(
                "XLSX files cannot be read on this server (the Python library "
                "openpyxl is missing): save the file as CSV and try again."
            ),
            "too_many_rows": self.env._(
                "The file has more than %(max)s rows: split it into smaller files.",
                max=params.get("max", importer.MAX_ROWS),
            ),
        }
        return messages.get(error.code) or error.code

    def _get_mapping(self):
        """Column index -> field, checked: ``UserError`` when a required field
        has no column or a field has two."""
        mapping = {}
        for column in self.column_ids.sorted("column_index"):
            if column.field == importer.IGNORE:
                continue
            if column.field in mapping.values():
                raise UserError(
                    self.env._(
                        "Several columns are imported as %(field)s: keep one.",
                        field=self._field_labels()[column.field],
                    )
                )
            mapping[column.column_index] = column.field
        missing = [name for name in REQUIRED_FIELDS if name not in mapping.values()]
        if missing:
            raise UserError(
                self.env._(
                    "No column of the file is imported as %(fields)s. Read the file, "
                    "then choose in the mapping the column that holds each of them.",
                    fields=", ".join(self._field_labels()[name] for name in missing),
                )
            )
        return mapping

    def _field_labels(self):
        """The translated labels of the fields of the mapping."""
        description = self.env["logistics.tracking.import.column"].fields_get(
            ["field"], ["selection"]
        )
        return dict(description["field"]["selection"])

    @api.model
    def _sample(self, rows, index):
        for cells in rows[:SAMPLE_ROWS]:
            if index < len(cells) and cells[index].strip():
                return cells[index].strip()[:SAMPLE_LENGTH]
        return False

    def _courier_index(self):
        """Courier code of each text a courier column may hold
        (``core.importer.courier_index``): the code, the Kuaidi100 code, the
        name in every installed language and the other names of the courier
        (``顺丰``, ``順豐速運``, ``SF Express``), which are data and so do not
        depend on the languages installed."""
        couriers = self.env["logistics.courier"].search([])
        names = {courier.code: [] for courier in couriers}
        for lang, _label in self.env["res.lang"].get_installed():
            for courier in couriers.with_context(lang=lang):
                names[courier.code].append(courier.name)
        for courier in couriers:
            names[courier.code] += importer.split_aliases(courier.alias_names)
            if courier.kuaidi100_code:
                names[courier.code].append(courier.kuaidi100_code)
        for kuaidi100_code, code in webhook_core.KUAIDI100_COMPANIES.items():
            names.setdefault(code, []).append(kuaidi100_code)
        return importer.courier_index(names.items())

    @api.model
    def _ingest_row(self, row, couriers):
        """The row for ``ingest``: a courier name becomes its code (unknown
        texts are left for ``ingest`` to reject)."""
        if not row.get("courier"):
            return row
        code = importer.match_courier(row["courier"], couriers)
        return dict(row, courier=code) if code else row

    def _preview_html(self):
        """The first mapped rows as an HTML table; every cell is escaped."""
        self.ensure_one()
        mapping = {
            column.column_index: column.field
            for column in self.column_ids
            if column.field and column.field != importer.IGNORE
        }
        if len(set(mapping.values())) < len(mapping):
            return Markup("<p class='text-warning'>%s</p>") % self.env._(
                "Several columns are imported as the same field."
            )
        if not mapping:
            return Markup("<p class='text-muted'>%s</p>") % self.env._(
                "No column is imported yet."
            )
        try:
            table = self._read_table(limit=PREVIEW_ROWS)
        except UserError as error:
            return Markup("<p class='text-danger'>%s</p>") % error.args[0]
        lines = importer.build_rows(
            table.rows,
            mapping,
            default_courier=self.courier_id.code or None,
            first_line=table.first_line,
        )[:PREVIEW_ROWS]
        names = [
            name
            for name in events_core.ROW_FIELDS
            if any(name in row for _line, row in lines)
        ]
        labels = self._field_labels()
        head = Markup("").join(Markup("<th>%s</th>") % labels[name] for name in names)
        body = Markup("").join(
            Markup("<tr><td>%s</td>%s</tr>")
            % (
                line,
                Markup("").join(
                    Markup("<td>%s</td>") % row.get(name, "") for name in names
                ),
            )
            for line, row in lines
        )
        return Markup(
            "<table class='table table-sm table-striped'>"
            "<thead><tr><th>%s</th>%s</tr></thead><tbody>%s</tbody></table>"
        ) % (self.env._("Line"), head, body)


class LogisticsTrackingImportColumn(models.TransientModel):
    """A column of the imported file and the field it is imported as."""

    _name = "logistics.tracking.import.column"
    _description = "Import Tracking Events: Column"
    _order = "column_index, id"

    import_id = fields.Many2one(
        comodel_name="logistics.tracking.import", required=True, ondelete="cascade"
    )
    column_index = fields.Integer(string="Column", required=True)
    name = fields.Char(string="Header")
    sample = fields.Char(string="Sample Value")
    field = fields.Selection(
        selection=FIELD_SELECTION,
        string="Import As",
        required=True,
        default=importer.IGNORE,
    )
