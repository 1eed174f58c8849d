# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-RC-2..R-RC-9: receipt validation, deadlines, envelopes, encryption."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_followup.core import encryption, hanzi_variants, receipt
from logistics_followup.core.receipt import ReceiptData

TODAY = date(2026, 11, 22)
VALID_ID = "11010519491231002X"
BAD_CHECK_ID = "110105194912310021"


def codes(data):
    return [v.code for v in receipt.validate_receipt(data, TODAY)]


PERSON = ReceiptData(consignee_name="杨民敬", signer_name="杨民敬")


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("consignee", "signer", "same"),
    [
        ("楊民敬", "楊明靜", False),  # R-RC-4, the seed's own examples
        ("陳法開", "程發凱", False),
        ("杨民敬", "楊民敬", True),
        ("陈法开", "陳法開", True),
        ("张 伟", "張偉", True),
        ("ＡＢＣ", "abc", True),  # full width, case
        ("张伟", "张伟伟", False),
        ("张伟", "", False),
        ("", "", False),
        ("发", "髮", True),
        ("发", "發", True),
        ("民", "明", False),
    ],
)
def test_names_match(consignee, signer, same):
    assert receipt.names_match(consignee, signer) is same


def test_variant_table_size_and_credit():
    """At least the ~2,500 one-to-one pairs of the standard tables."""
    pairs = hanzi_variants.VARIANT_PAIRS.split()
    assert len(pairs) > 2500
    assert all(len(p) == 2 and p[0] != p[1] for p in pairs)
    with open(hanzi_variants.__file__, encoding="utf-8") as source:
        assert "OpenCC" in source.read(800)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("杨", "楊", True),
        ("发", "發", True),
        ("发", "髮", True),
        ("發", "髮", False),  # two traditional characters of one simplified
        ("干", "乾", True),
        ("干", "幹", True),
        ("乾", "幹", False),
        ("画", "畫", True),
        ("畫", "划", True),  # 計畫 = 计划
        ("画", "划", False),
        ("民", "明", False),
    ],
)
def test_variants_are_pairs_not_transitive(a, b, same):
    """R-RC-4: simplified and traditional forms of ONE character are equal,
    nothing else: the relation holds for the table's pairs only."""
    assert hanzi_variants.same_character(a, b) is same
    assert hanzi_variants.same_character(b, a) is same


@given(st.text(min_size=1, max_size=6))
def test_name_matches_itself(name):
    normalized = receipt.normalize_name(name)
    assert receipt.names_match(name, name) is bool(normalized)


@given(st.text(alphabet="杨楊陈陳发發髮民明", min_size=1, max_size=5), st.data())
def test_name_match_is_symmetric(a, data):
    b = data.draw(st.text(alphabet="杨楊陈陳发發髮民明", min_size=1, max_size=5))
    assert receipt.names_match(a, b) == receipt.names_match(b, a)


# ---------------------------------------------------------------- violations


def test_compliant_person():
    assert codes(PERSON) == []


def test_signer_missing():
    assert codes(replace(PERSON, signer_name=" ")) == ["signer_missing"]


def test_name_mismatch_and_change_proof():
    data = replace(PERSON, consignee_name="楊民敬", signer_name="楊明靜")
    assert codes(data) == ["name_mismatch"]
    assert codes(replace(data, consignee_change_proof=True)) == []


def test_id_missing_when_required():
    data = replace(PERSON, requirement="signature_id")
    assert codes(data) == ["id_missing"]
    ok = replace(data, signer_id_type="resident_id", signer_id_number=VALID_ID)
    assert codes(ok) == []


def test_id_type_not_accepted():
    data = replace(
        PERSON,
        requirement="signature_id",
        signer_id_type="passport",
        signer_id_number="E12345678",
    )
    assert codes(data) == ["id_type_not_accepted"]
    accepted = replace(data, accepted_types=frozenset({"passport"}))
    assert codes(accepted) == []


def test_id_photocopy():
    data = replace(
        PERSON,
        signer_id_type="resident_id",
        signer_id_number=VALID_ID,
        signer_id_photocopy=True,
    )
    assert codes(data) == ["id_photocopy"]
    assert codes(replace(data, signer_id_photocopy=False)) == []


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        (BAD_CHECK_ID, "check_digit"),
        ("110105194913310029", "birth_date"),
        ("110105491231002", "legacy_15"),
    ],
)
def test_id_number_invalid(number, reason):
    data = replace(PERSON, signer_id_type="resident_id", signer_id_number=number)
    found = receipt.validate_receipt(data, TODAY)
    assert [v.code for v in found] == ["id_number_invalid"]
    assert found[0].params["reason"] == reason


def test_delegate_incomplete():
    data = replace(PERSON, is_delegate=True)
    found = receipt.validate_receipt(data, TODAY)
    assert [v.code for v in found] == ["delegate_incomplete"]
    assert found[0].params["missing"] == (
        "consignee_id",
        "delegate_name",
        "delegate_id",
    )
    ok = replace(
        data,
        signer_id_type="resident_id",
        signer_id_number=VALID_ID,
        delegate_name="王芳",
        delegate_id_type="driving_licence",
        delegate_id_number=VALID_ID,
    )
    assert codes(ok) == []
    assert codes(replace(ok, delegate_id_photocopy=True)) == ["id_photocopy"]


def test_seal_missing():
    company = ReceiptData(
        consignee_name="联合贸易有限公司", consignee_is_company=True, signer_name="张三"
    )
    assert codes(company) == ["id_missing", "seal_missing"]
    assert codes(replace(company, seal_present=True)) == []
    sealed = replace(company, sealed_authorisation=True)
    assert codes(sealed) == ["id_missing"]
    assert (
        codes(replace(sealed, signer_id_type="resident_id", signer_id_number=VALID_ID))
        == []
    )
    assert codes(replace(PERSON, requirement="seal")) == ["id_missing", "seal_missing"]
    assert codes(replace(PERSON, requirement="seal", seal_present=True)) == []


def test_shipper_document_missing():
    data = replace(PERSON, requirement="shipper_document")
    assert codes(data) == ["shipper_document_missing"]
    assert codes(replace(data, shipper_document_returned=True)) == []


# ---------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("transfers", "days"),
    [(0, 10), (1, 15), (2, 20), (3, 25), (4, 25), (10, 25), (None, 10), (-1, 10)],
)
def test_return_deadline(transfers, days):
    """R-RC-8: 10 / 15 / 20 days, +5 per further transfer, never over 25."""
    arrival = date(2026, 11, 11)
    assert receipt.return_deadline(arrival, transfers) == arrival + timedelta(days)


def test_return_deadline_configurable():
    arrival = date(2026, 11, 11)
    assert receipt.return_deadline(None, 1) is None
    assert receipt.return_deadline(
        arrival, 3, two_transfers=18, per_extra_transfer=3, maximum=30
    ) == arrival + timedelta(21)


@given(st.dates(), st.integers(min_value=0, max_value=50))
def test_deadline_never_beyond_max(arrival, transfers):
    if arrival > date(9999, 12, 1):
        return
    due = receipt.return_deadline(arrival, transfers)
    assert arrival + timedelta(10) <= due <= arrival + timedelta(25)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("missing", TODAY, None, 0), "missing"),
        (("received", TODAY, TODAY, 1), "abnormal"),
        (("received", TODAY, TODAY, 0), "on_time"),
        (("received", TODAY, TODAY + timedelta(1), 0), "late"),
        (("sent", TODAY - timedelta(1), None, 0), "late"),
        (("sent", TODAY, None, 0), "pending"),
        (("required", None, None, 0), "pending"),
    ],
)
def test_classify(args, expected):
    assert receipt.classify(*args, today=TODAY) == expected


# ---------------------------------------------------------------- envelopes


def test_parse_numbers():
    text = "sf1234567890123\n SF-1234567890123, 7700 1234;ＹＴ９９ ，x"
    assert receipt.parse_numbers(text) == [
        "SF1234567890123",
        "7700",
        "1234",
        "YT99",
        "X",
    ]
    assert receipt.parse_numbers("") == []


def test_check_envelope():
    check = receipt.check_envelope(["A1", "B2", "C3"], ["b2", "a1", "D4"])
    assert check.matched == ("A1", "B2")
    assert check.missing == ("C3",)
    assert check.extra == ("D4",)
    assert not check.ok
    assert receipt.check_envelope(["A1"], ["a-1"]).ok


@given(
    st.sets(st.text(alphabet="ABC123", min_size=1, max_size=4)),
    st.sets(st.text(alphabet="ABC123", min_size=1, max_size=4)),
)
def test_check_envelope_partitions(listed, found):
    check = receipt.check_envelope(listed, found)
    assert set(check.matched) | set(check.missing) == listed
    assert not set(check.matched) & set(check.missing)
    assert set(check.extra) == found - listed


# ---------------------------------------------------------------- encryption

KEY = "k" * 32


def test_encrypt_roundtrip_and_no_clear_text():
    token = encryption.encrypt(KEY, VALID_ID)
    assert VALID_ID not in token
    assert token != encryption.encrypt(KEY, VALID_ID), "random IV"
    assert encryption.decrypt(KEY, token) == VALID_ID


@pytest.mark.parametrize(
    ("secret", "code"), [("", "no_key"), (None, "no_key"), ("short", "weak_key")]
)
def test_key_errors(secret, code):
    with pytest.raises(encryption.EncryptionError) as error:
        encryption.encrypt(secret, VALID_ID)
    assert error.value.code == code


def test_wrong_key():
    token = encryption.encrypt(KEY, VALID_ID)
    with pytest.raises(encryption.EncryptionError) as error:
        encryption.decrypt("another-secret-of-32-characters!", token)
    assert error.value.code == "bad_token"


def test_lifecycle_actions():
    """R-RC-7: the main path is walkable action by action; R-RC-6: a
    rejected receipt is signed again; a missing one found is received."""
    path = [
        ("required", "sign", "signed"),
        ("signed", None, "sent"),  # packed in an envelope
        ("sent", None, "received"),  # envelope received at the origin
        ("received", "verify", "verified"),
        ("verified", "hand_over", "handed_over"),
    ]
    for state, action, _next in path:
        if action:
            assert state in receipt.ACTION_FROM_STATES[action]
    assert "rejected" in receipt.ACTION_FROM_STATES["sign"]
    assert "missing" in receipt.ACTION_FROM_STATES["found"]
    # nothing leaves a handed-over receipt
    assert not any(
        "handed_over" in states for states in receipt.ACTION_FROM_STATES.values()
    )


# --------------------------------------------------- the parcel first (R-RC-7)


@pytest.mark.parametrize(
    ("state", "arrived", "ready"),
    [
        ("created", False, False),  # never scanned
        ("picked_up", False, False),
        ("in_transit", False, False),
        ("in_transit", True, False),  # a split shipment's next batch travels
        ("at_station", False, True),
        ("out_for_delivery", False, True),
        ("delivered", False, True),
        ("delivered", True, True),
        ("exception", False, False),  # stuck on the way
        ("exception", True, True),  # failed delivery at the station
        ("returning", True, False),
        ("returned", True, False),
        ("lost", True, False),
        (None, False, False),
    ],
)
def test_parcel_ready(state, arrived, ready):
    assert receipt.parcel_ready(state, arrived) is ready


def test_parcel_ready_reuses_the_tracking_states():
    from logistics_followup.core import state, status, transit  # noqa: PLC0415

    assert set(state.ARRIVED_STATES) <= set(receipt.PARCEL_AT_DESTINATION_STATES)
    assert set(receipt.PARCEL_AT_DESTINATION_STATES) <= set(status.STATES)
    # a parcel that is back or lost never has its receipt signed
    for final in transit.FINAL_STATES:
        assert receipt.parcel_ready(final, True) is (final == "delivered")
    assert set(receipt.PARCEL_STEPS.values()) == {"sign", "receive", "hand_over"}


@given(st.sampled_from(("created", "picked_up", "in_transit")), st.booleans())
def test_no_receipt_step_before_the_station(state, arrived):
    """Whatever the arrival date says, a parcel still travelling blocks."""
    assert not receipt.parcel_ready(state, arrived)


# --------------------------------------------- ID numbers as typed (R-RC-2)


@pytest.mark.parametrize(
    ("doc_type", "number", "code"),
    [
        ("resident_id", VALID_ID, None),
        ("resident_id", BAD_CHECK_ID, "check_digit"),
        ("resident_id", "11010519491231002", "format"),
        (None, VALID_ID, None),  # no type yet: checked as a resident ID
        (None, BAD_CHECK_ID, "check_digit"),
        (None, " 110105 19491231 002x ", None),  # spaces, lower-case x
        (None, "110105491231002", "legacy_15"),
        ("passport", "E12345678", None),
        ("passport", "123", "format"),
    ],
)
def test_check_typed_id(doc_type, number, code):
    result = receipt.check_typed_id(doc_type, number, TODAY)
    assert result is not None
    assert result.code == code
    assert result.valid is (code is None)


@pytest.mark.parametrize(
    ("doc_type", "number"),
    [("resident_id", ""), (None, None), (None, "E12345678"), (None, "12345")],
)
def test_check_typed_id_nothing_to_check(doc_type, number):
    assert receipt.check_typed_id(doc_type, number, TODAY) is None


def test_check_typed_id_agrees_with_signing():
    """The warning while typing and the check at signing are one rule."""
    for number in (VALID_ID, BAD_CHECK_ID):
        typed = receipt.check_typed_id("resident_id", number, TODAY)
        data = replace(
            PERSON,
            requirement=receipt.REQ_SIGNATURE_ID,
            signer_id_type="resident_id",
            signer_id_number=number,
        )
        at_signing = "id_number_invalid" in codes(data)
        assert typed.valid is not at_signing
