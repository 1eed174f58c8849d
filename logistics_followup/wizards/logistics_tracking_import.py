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
SAMPLE_ROWS = 50
SAMPLE_LENGTH = 80
REPORT_FILENAME = "rejected_rows.csv"


class LogisticsTrackingImport(models.TransientModel):
    """Import scans from a CSV or XLSX file: upload, map the columns, import.

    A source of ``logistics.tracking.event.ingest`` like any other (R-WB-3):
    all the rows of the file go to ``ingest`` in one call; the rejected ones
    come back as a CSV report with the file's line numbers and the reasons.
    """

    _name = "logistics.tracking.import"
    _description = "Import Tracking Events"

    state = fields.Selection(
        selection=[
            ("upload", "Upload"),
            ("map", "Map Columns"),
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
            if wizard.state == "map" and wizard.file:
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
            }
        )
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.write({"column_ids": [Command.clear()], "state": "upload"})
        return self._reopen()

    def action_import(self):
        """Step 2: send every row to ``ingest`` in one call, keep the counts
        and the report of the rejected rows."""
        self.ensure_one()
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
        rejected = [(line, row, lost[line]) for line, row in lines if line in lost]
        sent = [(line, row) for line, row in lines if line not in lost]
        couriers = self._courier_codes()
        rows = [self._ingest_row(row, couriers) for _line, row in sent]

        result = self.env["logistics.tracking.event"].ingest(rows, source="import")

        for rejection in result["rejected"]:
            line, row = sent[rejection["index"]]
            rejected.append((line, row, rejection["reason"]))
        rejected.sort(key=lambda item: item[0])
        values = {
            "state": "done",
            "accepted_count": result["accepted"],
            "duplicate_count": result["duplicates"],
            "rejected_count": len(rejected),
            "report_file": False,
            "report_filename": False,
        }
        if rejected:
            labels = {
                "line": self.env._("Line"),
                "reason": self.env._("Reason"),
                **{name: headers.get(index) or name for index, name in mapping.items()},
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

    def _read_table(self, limit=None):
        if not self.file:
            raise UserError(self.env._("Choose a CSV or XLSX file to import."))
        try:
            return importer.read_table(
                base64.b64decode(self.file), self.filename or "", limit=limit
            )
        except importer.ImportFileError as error:
            raise UserError(self._file_error_message(error)) from error

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

    def _courier_codes(self):
        """Courier code of each text a courier column may hold, by
        ``importer.text_key``: the code, the Kuaidi100 code and the name in
        every installed language (``顺丰速运``, ``shunfeng``, ``SF``)."""
        couriers = self.env["logistics.courier"].search([])
        codes = {}
        for lang, _label in self.env["res.lang"].get_installed():
            for courier in couriers.with_context(lang=lang):
                codes.setdefault(importer.text_key(courier.name), courier.code)
        for kuaidi100_code, code in webhook_core.KUAIDI100_COMPANIES.items():
            codes[importer.text_key(kuaidi100_code)] = code
        for courier in couriers:
            if courier.kuaidi100_code:
                codes[importer.text_key(courier.kuaidi100_code)] = courier.code
            codes[importer.text_key(courier.code)] = courier.code
        return codes

    @api.model
    def _ingest_row(self, row, couriers):
        """The row for ``ingest``: a courier name becomes its code (unknown
        texts are left for ``ingest`` to reject)."""
        if not row.get("courier"):
            return row
        code = couriers.get(importer.text_key(row["courier"]))
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
            table = importer.read_table(
                base64.b64decode(self.file), self.filename or "", limit=PREVIEW_ROWS
            )
        except importer.ImportFileError as error:
            return Markup("<p class='text-danger'>%s</p>") % self._file_error_message(
                error
            )
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
