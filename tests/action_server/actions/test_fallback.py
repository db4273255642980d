"""The clarification offers the two likeliest intents, by their Spanish labels."""

import asyncio

from rasa_sdk.events import SlotSet

from protheus.action_server.actions.fallback import ActionPrepareClarification
from tests.action_server.actions.conftest import make_tracker


def run(tracker, dispatcher, domain_dict):
    return asyncio.run(ActionPrepareClarification().run(dispatcher, tracker, domain_dict))


def test_offers_the_two_best_intents_in_spanish(dispatcher, domain_dict):
    tracker = make_tracker(
        ranking=[
            ("nlu_fallback", 0.5),
            ("info_consultoria", 0.41),
            ("solicitar_consultoria", 0.38),
            ("info_prime", 0.1),
        ]
    )
    events = run(tracker, dispatcher, domain_dict)
    assert events == [
        SlotSet("opcion_1", "info_consultoria"),
        SlotSet("opcion_1_etiqueta", "Qué es la Consultoría Remota y su costo"),
        SlotSet("opcion_2", "solicitar_consultoria"),
        SlotSet("opcion_2_etiqueta", "Solicitar una Consultoría Remota"),
    ]
    assert dispatcher.messages == []  # the buttons are the domain response utter_ask_affirmation


def test_offers_topics_not_answers_or_courtesies(dispatcher, domain_dict):
    tracker = make_tracker(
        ranking=[
            ("nlu_fallback", 0.5),
            ("entrada_no_valida", 0.3),
            ("hablar_con_humano", 0.25),
            ("afirmar", 0.22),
            ("fuera_de_dominio", 0.2),
            ("saludo", 0.1),
            ("preguntar_si_es_bot", 0.07),
            ("horario_atencion", 0.05),
        ]
    )
    events = run(tracker, dispatcher, domain_dict)
    assert [e["value"] for e in events if e["name"] in ("opcion_1", "opcion_2")] == [
        "preguntar_si_es_bot",
        "horario_atencion",
    ]


def test_without_ranking_offers_the_most_common_topics(dispatcher, domain_dict):
    tracker = make_tracker(ranking=[("nlu_fallback", 1.0)])
    events = run(tracker, dispatcher, domain_dict)
    assert [e["value"] for e in events if e["name"] in ("opcion_1", "opcion_2")] == [
        "reportar_error",
        "consulta_funcional",
    ]


def test_every_label_is_a_domain_intent(domain):
    from protheus.support.routing import routing_table

    assert set(routing_table().intents()) <= set(domain.intents)


def test_buttons_response_reads_the_option_slots(domain):
    [variant] = domain.responses["utter_ask_affirmation"]
    payloads = [b["payload"] for b in variant["buttons"]]
    assert payloads == ["/{opcion_1}", "/{opcion_2}", "/out_of_scope", "/hablar_con_humano"]
