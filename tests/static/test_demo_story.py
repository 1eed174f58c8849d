# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tier 1: the demo data tell one story (README.rst, "The demo").

The demo files are read as data, without Odoo: the waybills and the scans
they get through the ingestion call, the tickets, receipts, envelopes,
delivery rounds and revisits. Each parcel's state is derived from its scans
by the addon's own core (status resolution and state derivation, the rules
the ingestion applies), then every record about the parcel must agree with
it: no lost-parcel claim on a parcel out for delivery, no complaint before
delivery, no signed receipt before delivery, no scan naming another place.

Why here and not as an Odoo test: the Odoo tier runs its tests on a database
without demo data, and the database with demo data is installed without
tests; reading the files checks the story on every run of tier 1, in a
second, and says which record contradicts which.
"""

import ast
import importlib
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
ADDON = ROOT / "logistics_followup"
DEMO = ADDON / "demo"
MANIFEST = ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))

#: The stations of the story (STORY in README.rst); the station demo file,
#: when present, must name exactly these.
STATIONS = {
    "深圳南山科技园网点": "SF",
    "深圳福田华强北网点": "ZTO",
    "深圳宝安西乡网点": "YTO",
    "广州天河体育中心网点": "SF",
    "上海浦东陆家嘴网点": "ZTO",
}
HUBS = {"深圳转运中心", "广州转运中心", "上海转运中心", "杭州转运中心"}
COURIER_REFS = {"courier_sf": "SF", "courier_zto": "ZTO", "courier_yto": "YTO"}

#: The parcel states a ticket of a problem type (or else of a kind) may be
#: about: what the caller or the detection describes must be true.
BEFORE_ARRIVAL = {"created", "picked_up", "in_transit"}
AT_STATION = {"at_station", "out_for_delivery", "exception"}
TYPE_STATES = {
    "problem_type_delivery_chase": AT_STATION,
    "problem_type_outbound_chase": {"picked_up", "in_transit"},
    "problem_type_station_message": {"at_station", "exception"},
    "problem_type_signed_not_received": {"delivered"},
    "problem_type_locker_no_consent": {"delivered"},
    "problem_type_damaged": {"delivered", "exception"},
    "problem_type_lost": {"lost"},
    "problem_type_service_attitude": {"delivered"},
    "problem_type_complaint": {"delivered"},
}
KIND_STATES = {
    "delivery_chase": AT_STATION,
    "outbound_chase": {"picked_up", "in_transit"},
    "complaint": {"delivered"},
    "compensation": {"lost", "delivered"},
    "inquiry": BEFORE_ARRIVAL | AT_STATION,
}
BRACKETED = re.compile(r"【([^】]+)】")
EVAL_CONTEXT = {"DateTime": datetime, "timedelta": timedelta}


def _core_function(name):
    """The core function ``name``, wherever core/ keeps it."""
    for path in sorted((ADDON / "core").glob("*.py")):
        module = importlib.import_module(f"logistics_followup.core.{path.stem}")
        if callable(getattr(module, name, None)):
            return getattr(module, name)
    raise LookupError(name)


def _demo_trees():
    return {
        name: etree.parse(str(ADDON / name))
        for name in MANIFEST["demo"]
        if name.endswith(".xml")
    }


TREES = _demo_trees()


def _records(model):
    """{xml id: {field: text, ref or eval}} of the demo records of ``model``,
    the fields of records with the same id merged (later files win)."""
    found = {}
    for tree in TREES.values():
        for rec in tree.iterfind(f".//record[@model='{model}']"):
            fields = found.setdefault(rec.get("id"), {})
            for field in rec.iterfind("field"):
                fields[field.get("name")] = (
                    field.get("ref") or field.get("eval") or (field.text or "")
                )
    return found


def _hours_ago(value):
    moment = datetime.fromisoformat(value[:19])
    return (datetime.utcnow() - moment).total_seconds() / 3600


WAYBILLS = _records("logistics.waybill")
BY_NUMBER = {v["number"]: k for k, v in WAYBILLS.items() if "number" in v}


def _scans():
    rows = []
    for tree in TREES.values():
        for call in tree.iterfind(".//function[@name='ingest']"):
            rows += eval(call.find("value").get("eval"), EVAL_CONTEXT)
    return rows


SCANS = _scans()


def _states():
    resolve = _core_function("resolve_status")
    derive = _core_function("derive_state")
    events = {}
    for row in SCANS:
        found = resolve(row["status"])
        assert found, f"{row['waybill']}: status {row['status']!r} is not understood"
        events.setdefault(row["waybill"], []).append(
            {
                "time": datetime.fromisoformat(row["time"][:19]),
                "state": found.state,
                "signed_by": found.signed_by,
                "place": row["place"],
                "dedup_key": "",
            }
        )
    states = {}
    for xmlid, waybill in WAYBILLS.items():
        derived = derive(events.get(waybill.get("number"), []))
        states[xmlid] = derived or type("Created", (), {"state": "created"})()
    return states


STATES = _states()


def _ref(value):
    return value.split(".")[-1] if value else value


def test_demo_has_a_story():
    assert len(WAYBILLS) >= 25 and len(SCANS) >= 150
    assert {_ref(v["courier_id"]) for v in WAYBILLS.values()} <= set(COURIER_REFS)


def test_stations_are_the_story_stations():
    station_file = DEMO / "logistics_station_demo.xml"
    if station_file.is_file():
        names = [
            (field.text or "").strip()
            for field in etree.parse(str(station_file)).iterfind(
                ".//record/field[@name='name']"
            )
            if (field.text or "").strip().endswith("网点")
        ]
        assert len(names) == len(set(names)), f"a station twice: {names}"
        assert set(names) == set(STATIONS)
    # no other demo record is a second record of a station
    for model in ("res.partner", "res.company"):
        for xmlid, rec in _records(model).items():
            assert rec.get("name") not in STATIONS, f"{xmlid} repeats a station"


@pytest.mark.parametrize("xmlid", sorted(WAYBILLS))
def test_waybill_stations(xmlid):
    waybill = WAYBILLS[xmlid]
    if "number" not in waybill:
        return  # a later file adding a field to the record
    courier = COURIER_REFS[_ref(waybill["courier_id"])]
    for name in ("origin_station", "destination_station"):
        assert STATIONS.get(waybill[name]) == courier, (
            f"{xmlid}: {name} {waybill[name]} is not a {courier} station"
        )


def test_scans_name_their_place():
    for row in SCANS:
        number, place = row["waybill"], row["place"]
        assert number in BY_NUMBER, f"scan of an unknown waybill {number}"
        waybill = WAYBILLS[BY_NUMBER[number]]
        assert row["courier"] == COURIER_REFS[_ref(waybill["courier_id"])]
        assert place in STATIONS or place in HUBS, f"{number}: unknown place {place}"
        named = BRACKETED.findall(row["description"])
        assert named and named[0] == place, (
            f"{number}: a scan at {place} says {row['description']!r}"
        )
        for other in named:
            assert other in STATIONS or other in HUBS, f"{number}: {other}"


@pytest.mark.parametrize("xmlid", sorted(BY_NUMBER.values()))
def test_timeline_is_a_journey(xmlid):
    waybill = WAYBILLS[xmlid]
    rows = sorted(
        (r for r in SCANS if r["waybill"] == waybill["number"]),
        key=lambda r: r["time"],
    )
    # the demo's own eval expression, in Odoo's eval context
    shipped = _hours_ago(eval(waybill["shipped_date"], EVAL_CONTEXT))
    for row in rows:
        assert _hours_ago(row["time"]) <= shipped + 0.1, f"{xmlid}: scanned before"
    if rows:
        assert rows[0]["place"] == waybill["origin_station"], f"{xmlid}: first scan"
    state = STATES[xmlid].state
    if state in AT_STATION | {"delivered"}:
        assert rows[-1]["place"] == waybill["destination_station"], (
            f"{xmlid}: {state} but last scanned at {rows[-1]['place']}"
        )


def _tickets():
    tickets = _records("helpdesk.ticket")
    assert tickets
    return tickets


def _type_kinds():
    tree = etree.parse(str(ADDON / "data" / "logistics_problem_type_data.xml"))
    return {
        rec.get("id"): rec.findtext("field[@name='kind']")
        for rec in tree.iterfind(".//record[@model='logistics.problem.type']")
    }


@pytest.mark.parametrize("xmlid", sorted(_tickets()))
def test_ticket_agrees_with_its_parcel(xmlid):
    ticket = _tickets()[xmlid]
    problem_type = _ref(ticket.get("problem_type_id"))
    kind = ticket.get("logistics_kind") or _type_kinds().get(problem_type)
    assert kind, f"{xmlid}: neither a kind nor a problem type"
    if not ticket.get("waybill_id"):
        assert kind == "inquiry", f"{xmlid}: a {kind} without a parcel"
        return
    parcel = STATES[_ref(ticket["waybill_id"])]
    allowed = TYPE_STATES.get(problem_type) or KIND_STATES[kind]
    assert parcel.state in allowed, (
        f"{xmlid}: a {problem_type or kind} ticket on a parcel {parcel.state}"
    )
    if problem_type == "problem_type_signed_not_received":
        assert parcel.signed_by in ("proxy", "locker")
    if problem_type == "problem_type_locker_no_consent":
        assert parcel.signed_by == "locker"
    if kind == "complaint" and ticket.get("stage_id", "").endswith("_done"):
        assert ticket.get("root_cause") and ticket.get("cause_id"), xmlid


def test_signed_receipts_only_on_delivered_parcels():
    receipts = _records("logistics.receipt")
    assert receipts
    for xmlid, receipt in receipts.items():
        waybill_id = _ref(receipt["waybill_id"])
        assert STATES[waybill_id].state == "delivered", f"{xmlid}: parcel not delivered"
        assert WAYBILLS[waybill_id].get("receipt_requirement") == receipt["requirement"]


def test_envelopes_go_from_destination_to_origin():
    envelopes = _records("logistics.receipt.envelope")
    receipts = _records("logistics.receipt")
    lines = _records("logistics.receipt.envelope.line")
    assert envelopes and lines
    for xmlid, line in lines.items():
        envelope = envelopes[_ref(line["envelope_id"])]
        waybill = WAYBILLS[_ref(receipts[_ref(line["receipt_id"])]["waybill_id"])]
        assert envelope["from_station"] == waybill["destination_station"], xmlid
        assert envelope["to_station"] == waybill["origin_station"], xmlid
    for xmlid, envelope in envelopes.items():
        for number in (envelope.get("found_numbers") or "").split():
            assert number in BY_NUMBER, f"{xmlid}: unknown number {number}"


def test_round_lines_are_undelivered_parcels_of_the_station():
    rounds = _records("logistics.delivery.round")
    lines = _records("logistics.delivery.round.line")
    assert rounds and lines
    for xmlid, line in lines.items():
        waybill_id = _ref(line["waybill_id"])
        assert STATES[waybill_id].state in {"at_station", "exception"}, xmlid
        station = rounds[_ref(line["round_id"])]["station"]
        assert WAYBILLS[waybill_id]["destination_station"] == station, xmlid


def test_areas_and_revisits_belong_to_the_story():
    for xmlid, area in _records("logistics.delivery.area").items():
        assert area["station"] in STATIONS, xmlid
    partners = _records("res.partner")
    revisits = _records("logistics.revisit")
    assert revisits
    for xmlid, revisit in revisits.items():
        customer = partners[_ref(revisit["partner_id"])]
        assert customer.get("logistics_customer") == "True", xmlid
