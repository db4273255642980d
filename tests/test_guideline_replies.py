"""Replies quote the guideline verbatim and name the right channel."""

import re

from tests.conftest import normalise, response_text

OUT_OF_SCOPE_HEADER = "no forma parte del alcance de atención estándar"


def test_every_intent_with_a_pauta_has_its_passages(catalogue, pautas):
    with_pauta = {name for name, spec in catalogue.items() if spec.get("pauta")}
    assert with_pauta == set(pautas), "tests/data/pautas.yml debe cubrir exactamente las intenciones con pauta"


def test_every_passage_is_verbatim_in_the_guideline(pautas, guideline):
    for intent, passages in pautas.items():
        for passage in passages:
            assert normalise(passage) in guideline, f"{intent}: el pasaje no está en el documento: {passage!r}"


def test_every_reply_quotes_its_guideline_passages(pautas, domain):
    for intent, passages in pautas.items():
        reply = normalise(response_text(domain, intent))
        for passage in passages:
            assert normalise(passage) in reply, f"utter_{intent} no cita: {passage!r}"


def test_the_consulting_terms_question_quotes_the_billing_term(pautas, domain):
    """PRODUCT.md: consulting hand-offs first quote the billing term and ask for acceptance."""
    from protheus.common.messages import question as form_question

    question = normalise(form_question("acepta_terminos_consultoria")["text"])
    billing = next(p for p in pautas["info_consultoria"] if "100% facturado" in p)
    assert normalise(billing) in question and question.endswith(
        "¿Acepta estas condiciones para que registre la solicitud?"
    )


def test_out_of_scope_replies_name_their_channel(catalogue, domain):
    section = {
        n for n, s in catalogue.items() if s.get("canal") in ("consultoria_remota", "externo") and s.get("pauta")
    }
    out_of_scope = {n for n in section if n not in ("solicitar_consultoria",)}
    assert len(out_of_scope) == 14
    for intent in out_of_scope:
        reply = response_text(domain, intent)
        assert OUT_OF_SCOPE_HEADER in reply, intent
        if catalogue[intent]["canal"] == "consultoria_remota":
            assert "Consultoría Remota" in reply, intent
        else:
            assert "tampoco es un servicio de soporte de TOTVS" in reply and "dirigirse a" in reply, intent


def test_no_reply_invents_an_email_address(domain):
    for name, variants in domain.responses.items():
        for variant in variants:
            assert not re.search(r"\S+@\S+\.\w+", variant.get("text", "")), f"{name} contiene un correo fijo"


def test_support_contact_comes_from_the_setting(domain):
    assert "{correo_soporte}" in response_text(domain, "contacto_soporte")
    slot = next(s for s in domain.slots if s.name == "correo_soporte")
    assert "@" not in str(slot.initial_value)
