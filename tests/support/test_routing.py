"""The routing table decides hand-offs from data: a channel, or the triage rule named in routing.yml."""

import pytest

from protheus.common.vocabulary import Channel, Plan
from protheus.db.customers import CustomerInfo
from protheus.support.routing import RoutingError, RoutingTable, routing_table

PRIME_CUSTOMER = CustomerInfo("PRIME01", "Demo", "México", Plan.PRIME)
STANDARD_CUSTOMER = CustomerInfo("STD01", "Demo", "Chile", Plan.STANDARD)


def table_of(tmp_path, entries: str) -> RoutingTable:
    path = tmp_path / "routing.yml"
    path.write_text("intents:\n" + entries, encoding="utf-8")
    return RoutingTable.load(path)


def test_fixed_channels_and_no_handoff():
    table = routing_table()
    assert table.get("solicitar_capacitacion").decide({}, None, False) is Channel.CONSULTING
    assert table.get("consulta_sql").decide({}, None, False) is Channel.EXTERNAL
    assert table.get("info_prime").hands_off is False and table.get("info_prime").decide({}, None, False) is None


@pytest.mark.parametrize(
    ("slots", "customer", "urgent", "expected"),
    [
        (
            {"reproduce_en_estandar": True, "solo_registros_especificos": False},
            STANDARD_CUSTOMER,
            False,
            Channel.STANDARD,
        ),
        (
            {"reproduce_en_estandar": False, "solo_registros_especificos": False},
            STANDARD_CUSTOMER,
            False,
            Channel.CONSULTING,
        ),
        (
            {"reproduce_en_estandar": True, "solo_registros_especificos": True},
            STANDARD_CUSTOMER,
            False,
            Channel.CONSULTING,
        ),
        ({"reproduce_en_estandar": True, "solo_registros_especificos": False}, PRIME_CUSTOMER, True, Channel.PRIME),
        ({"reproduce_en_estandar": True, "solo_registros_especificos": False}, PRIME_CUSTOMER, False, Channel.STANDARD),
    ],
)
def test_error_reports_are_triaged_by_the_rule_routing_yml_names(slots, customer, urgent, expected):
    route = routing_table().get("reportar_error")
    assert route.triage == "error" and route.channel is None
    assert route.decide(slots, customer, urgent) is expected


def test_urgent_attention_rule():
    route = routing_table().get("atencion_urgente")
    assert route.decide({}, PRIME_CUSTOMER, True) is Channel.PRIME
    assert route.decide({}, STANDARD_CUSTOMER, True) is Channel.CONSULTING
    assert route.decide({}, None, True) is Channel.CONSULTING


def test_the_triage_rule_is_read_from_the_data(tmp_path):
    """The same intent with another rule in routing.yml is decided by that rule."""
    table = table_of(tmp_path, '  reportar_error: {triaje: urgencia, etiqueta: "Error"}\n')
    assert table.get("reportar_error").decide({"reproduce_en_estandar": True}, PRIME_CUSTOMER, False) is Channel.PRIME


@pytest.mark.parametrize(
    "entry", ['  x: {canal: soporte_oro, etiqueta: "X"}\n', '  x: {triaje: magia, etiqueta: "X"}\n']
)
def test_unknown_channels_and_rules_are_refused_in_spanish(tmp_path, entry):
    with pytest.raises(RoutingError, match="no existe"):
        table_of(tmp_path, entry)
