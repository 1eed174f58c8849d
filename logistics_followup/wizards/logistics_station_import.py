# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command

from ..core import importer
from ..core import station as station_core

_logger = logging.getLogger(__name__)

REPORT_FILENAME = "rejected_stations.csv"


class LogisticsStationImport(models.TransientModel):
    """Import the station directory (网点) from a CSV or XLSX file.

    The file is read as the tracking import reads its files
    (``core.importer``: encodings, header line, spreadsheet numbers); its
    columns are recognised from Chinese or English headers
    (``core.station.HEADER_ALIASES``); each line is checked by
    ``core.station.parse_rows``. A station already in the directory (same
    courier and code, else same courier and name) is updated, the others are
    created, contact people are added to their station; a bad line is
    rejected alone with its reason, in a report to correct and import again.
    """

    _name = "logistics.station.import"
    _description = "Import Stations"

    state = fields.Selection(
        selection=[("upload", "Upload"), ("done", "Done")],
        required=True,
        default="upload",
    )
    file = fields.Binary(required=True, attachment=False)
    filename = fields.Char()
    courier_id = fields.Many2one(
        comodel_name="logistics.courier",
        string="Default Courier",
        help="Courier of the lines that name none (or of every line when the "
        "file has no courier column).",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    created_count = fields.Integer(string="Stations Created", readonly=True)
    updated_count = fields.Integer(string="Stations Updated", readonly=True)
    rejected_count = fields.Integer(string="Lines Rejected", readonly=True)
    report_file = fields.Binary(
        string="Report of Rejected Lines", attachment=False, readonly=True
    )
    report_filename = fields.Char(readonly=True)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_import(self):
        self.ensure_one()
        self.env["logistics.station"].check_access("create")
        table = self._read_table()
        mapping = station_core.guess_mapping(table.headers)
        if "name" not in mapping.values():
            raise UserError(
                self.env._(
                    "No column of the file holds the station names: name it "
                    "网点名称 (or Station Name). Columns found: %(headers)s.",
                    headers=", ".join(h for h in table.headers if h) or "-",
                )
            )
        couriers = self.env["logistics.tracking.import"]._courier_index()
        stations, rejections = station_core.parse_rows(
            table.rows,
            mapping,
            couriers,
            default_courier=self.courier_id.code or None,
            first_line=table.first_line,
        )
        rejected = [(r.line, r.row, self._reason(r.code, r.params)) for r in rejections]
        # digits lost by a spreadsheet in a mapped column (a code, a phone)
        headers = dict(enumerate(table.headers))
        lost = {issue.line: issue for issue in table.issues if issue.column in mapping}
        if lost:
            kept = []
            for row in stations:
                issue = lost.get(row.line)
                if issue:
                    rejected.append(
                        (
                            row.line,
                            self._row_texts(row),
                            self.env._(
                                "Digits of %(value)s in column %(column)s were lost: "
                                "the spreadsheet stored it as a number. Format the "
                                "column as text and export the file again.",
                                value=issue.value,
                                column=headers.get(issue.column) or issue.column + 1,
                            ),
                        )
                    )
                else:
                    kept.append(row)
            stations = kept
        created, updated, failed = self._apply(stations)
        rejected.extend(failed)
        rejected.sort(key=lambda item: item[0])
        values = {
            "state": "done",
            "created_count": created,
            "updated_count": updated,
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
            values.update(
                report_file=base64.b64encode(
                    importer.rejected_report_csv(
                        rejected, labels=labels, fields=station_core.FIELDS
                    )
                ),
                report_filename=REPORT_FILENAME,
            )
        self.write(values)
        return self._reopen()

    def action_view_stations(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_followup.logistics_station_action"
        )

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Stations"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def _read_table(self):
        if not self.file:
            raise UserError(self.env._("Choose a CSV or XLSX file to import."))
        wizard = self.env["logistics.tracking.import"].new({"filename": self.filename})
        try:
            return importer.read_table(
                base64.b64decode(self.file),
                self.filename or "",
                aliases=station_core.ALIAS_INDEX,
            )
        except importer.ImportFileError as error:
            # the tracking import's messages: one wording for both files
            raise UserError(wizard._file_error_message(error)) from error

    @api.model
    def _row_texts(self, row):
        return {
            "name": row.name,
            "code": row.code,
            "courier": row.courier,
            "city": row.city,
            "district": row.district,
            "phone": ", ".join(row.phones),
        }

    def _reason(self, code, params):
        labels = {
            "name": self.env._("station name"),
            "code": self.env._("station code"),
            "courier": self.env._("courier"),
            "province": self.env._("province"),
            "city": self.env._("city"),
            "district": self.env._("district"),
            "address": self.env._("address"),
            "phone": self.env._("phone"),
            "email": self.env._("email"),
            "contacts": self.env._("contact people"),
            "hours": self.env._("working hours"),
        }
        messages = {
            "name_missing": lambda: self.env._("The station name is missing."),
            "courier_missing": lambda: self.env._(
                "The courier is missing: fill the courier column or choose a "
                "default courier."
            ),
            "courier_unknown": lambda: self.env._(
                "Unknown courier %(value)s.", value=params.get("value")
            ),
            "code_invalid": lambda: self.env._(
                "The station code %(value)s may only hold letters, digits and - _ . /",
                value=params.get("value"),
            ),
            "phone_invalid": lambda: self.env._(
                "%(value)s is not a phone number (separate several numbers with "
                "commas).",
                value=params.get("value"),
            ),
            "email_invalid": lambda: self.env._(
                "%(value)s is not an e-mail address.", value=params.get("value")
            ),
            "contacts_invalid": lambda: self.env._(
                "The contact people %(value)s are not understood: write a name "
                "and a phone per person, separated by semicolons (张三 "
                "13800138000; 李四 13900139000).",
                value=params.get("value"),
            ),
            "hours_invalid": lambda: self.env._(
                "The working hours %(value)s are not understood: write them as "
                "08:00-21:00.",
                value=params.get("value"),
            ),
            "too_long": lambda: self.env._(
                "The %(field)s is longer than %(max)s characters.",
                field=labels.get(params.get("field"), params.get("field")),
                max=params.get("max"),
            ),
            "unstorable": lambda: self.env._(
                "The %(field)s holds characters that cannot be stored.",
                field=labels.get(params.get("field"), params.get("field")),
            ),
            "duplicate": lambda: self.env._(
                "The same station is already on line %(line)s of the file.",
                line=params.get("line"),
            ),
            "province_unknown": lambda: self.env._(
                "Unknown province %(value)s.", value=params.get("value")
            ),
        }
        message = messages.get(code)
        return message() if message else code

    def _provinces(self, rows):
        """``{province text: state}`` of the rows' provinces, among the
        states of the company's country, then China's: one read."""
        texts = {row.province for row in rows if row.province}
        if not texts:
            return {}
        countries = self.company_id.country_id | self.env.ref("base.cn")
        by_key = {}
        states = self.env["res.country.state"].search(
            [("country_id", "in", countries.ids)]
        )
        for state in states.sorted(lambda s: s.country_id != countries[:1]):
            for text in (state.name, state.code):
                by_key.setdefault(station_core.province_key(text), state)
        result = {}
        for text in texts:
            state = by_key.get(station_core.province_key(text))
            if state:
                result[text] = state
        return result

    def _apply(self, rows):
        """Create or update the stations of ``rows``: ``(created, updated,
        rejected lines)``. The directory of the company is read once; new
        stations are created in one batch and the updated ones written one
        by one, each line in a savepoint so that a line the database refuses
        is rejected alone."""
        Station = self.env["logistics.station"].with_context(active_test=False)
        company = self.company_id
        couriers = {
            c.code: c
            for c in self.env["logistics.courier"]
            .with_context(active_test=False)
            .search([("code", "in", list({r.courier for r in rows}))])
        }
        existing = Station.search([("company_id", "=", company.id)])
        by_code, by_name = {}, {}
        for station in existing:
            if station.code:
                by_code[
                    (station.courier_id.id, station_core.code_key(station.code))
                ] = station
            by_name.setdefault(
                (station.courier_id.id, station_core.name_key(station.name)), station
            )
        provinces = self._provinces(rows)
        rejected = []
        to_create, to_update = [], []
        for row in rows:
            if row.province and row.province not in provinces:
                rejected.append(
                    (
                        row.line,
                        self._row_texts(row),
                        self._reason("province_unknown", {"value": row.province}),
                    )
                )
                continue
            courier = couriers[row.courier]
            station = None
            if row.code:
                station = by_code.get((courier.id, station_core.code_key(row.code)))
            if station is None:
                found = by_name.get((courier.id, station_core.name_key(row.name)))
                if found and (not row.code or not found.code):
                    station = found
            vals = self._station_vals(row, courier, provinces.get(row.province))
            if station:
                to_update.append((row, station, vals))
            else:
                to_create.append((row, vals))
        created = self._insert_stations(to_create, rejected)
        updated = 0
        for row, station, vals in to_update:
            contacts = vals.pop("child_ids", [])
            known = {station_core.name_key(c.name) for c in station.child_ids}
            new_contacts = [
                command
                for command in contacts
                if station_core.name_key(command[2]["name"]) not in known
            ]
            if new_contacts:
                vals["child_ids"] = new_contacts
            if not self._save(row, rejected, lambda s=station, v=vals: s.write(v)):
                continue
            updated += 1
        return created, updated, rejected

    def _insert_stations(self, to_create, rejected):
        if not to_create:
            return 0
        Station = self.env["logistics.station"]
        try:
            with self.env.cr.savepoint():
                Station.create([vals for _row, vals in to_create])
            return len(to_create)
        except (UserError, ValidationError, psycopg2.Error) as error:
            # one bad line refuses the batch: find it, keep the others
            self.env.invalidate_all()
            _logger.info("station import: batch refused (%s), line by line", error)
        created = 0
        for row, vals in to_create:
            if self._save(row, rejected, lambda v=vals: Station.create(v)):
                created += 1
        return created

    def _save(self, row, rejected, operation):
        try:
            with self.env.cr.savepoint():
                operation()
        except (UserError, ValidationError) as error:
            rejected.append((row.line, self._row_texts(row), str(error.args[0])))
            return False
        except psycopg2.Error as error:
            self.env.invalidate_all()
            rejected.append(
                (row.line, self._row_texts(row), self._database_reason(error))
            )
            return False
        return True

    def _database_reason(self, error):
        diag = getattr(error, "diag", None)
        constraint = getattr(diag, "constraint_name", None)
        if constraint == "logistics_station_courier_code_uniq":
            return self.env._(
                "This courier already has a station with this code in this company."
            )
        return self.env._("The line could not be saved: %(error)s", error=str(error))

    def _station_vals(self, row, courier, province):
        vals = {
            "name": row.name,
            "courier_id": courier.id,
            "company_id": self.company_id.id,
            "code": row.code or False,
            "city": row.city or False,
            "district": row.district or False,
            "street": row.address or False,
            "phone": row.phones[0] if row.phones else False,
            "phone_other": ", ".join(row.phones[1:]) or False,
            "email": row.email or False,
            "opening_hours": row.hours or False,
            "child_ids": [
                Command.create(
                    {
                        "name": contact.name,
                        "phone": contact.phone or False,
                        "function": contact.function or False,
                        "type": "contact",
                        "company_id": self.company_id.id,
                    }
                )
                for contact in row.contacts
            ],
        }
        if province:
            vals.update(state_id=province.id, country_id=province.country_id.id)
        elif self.company_id.country_id:
            vals["country_id"] = self.company_id.country_id.id
        # an update keeps what the file leaves empty
        return {key: value for key, value in vals.items() if value not in (False, [])}
