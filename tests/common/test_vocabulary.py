"""The support vocabulary: stored values from the contracts, Spanish names from mensajes.yml."""

import yaml

from protheus.common.paths import PROJECT
from protheus.common.vocabulary import Channel, HandoffStatus, InputChannel, Plan, Role, RunStatus, label_of


def test_channels_are_the_payload_contract():
    # PRODUCT.md: `canal` is one of these five.
    assert {c.value for c in Channel} == {
        "soporte_estandar",
        "soporte_prime",
        "consultoria_remota",
        "agente_humano",
        "externo",
    }


def test_every_term_has_a_spanish_name_written_in_the_data():
    texts = yaml.safe_load(PROJECT.messages.read_text(encoding="utf-8"))
    for kind in (Channel, HandoffStatus, RunStatus, Plan, Role, InputChannel):
        for term in kind:
            assert term.label and term.label != "—", term
    assert Channel.STANDARD.label == texts["tarjeta_derivacion"]["canales"]["soporte_estandar"]["nombre"]
    assert HandoffStatus.IN_PROGRESS.label == texts["etiquetas"]["estados_derivacion"]["en_curso"] == "en curso"
    assert RunStatus.FAILED.label == "falló"


def test_terms_compare_and_print_as_their_stored_value():
    assert HandoffStatus.OPEN == "abierto" and str(HandoffStatus.OPEN) == "abierto" and f"{Role.ADMIN}" == "admin"
    assert Plan.parse("prime") is Plan.PRIME and Plan.parse("oro") is None


def test_labels_of_unknown_or_missing_values():
    assert label_of(InputChannel, "socketio") == "Chat web"
    assert label_of(InputChannel, "telegram") == "telegram"
    assert label_of(Channel, None) == "—"
