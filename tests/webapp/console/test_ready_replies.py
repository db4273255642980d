"""The guideline's passages offered as ready replies: exactly the intents with a guideline passage,
titled with routing.yml's label, with the bot's own text (the support contact filled in)."""

from protheus.webapp.console.ready_replies import guideline_replies
from tests.conftest import response_text


def test_every_intent_with_a_guideline_passage_is_offered_once(pautas, routing):
    offered = [reply.intent for reply in guideline_replies()]
    assert sorted(offered) == sorted(pautas) and len(offered) == len(set(offered))
    assert offered == [intent for intent in routing if intent in pautas]  # in the routing table's order


def test_each_ready_reply_is_the_bots_reply_under_its_label(domain, routing, monkeypatch):
    monkeypatch.setenv("SUPPORT_EMAIL", "ayuda@example.com")
    for reply in guideline_replies():
        assert reply.title == routing[reply.intent]["etiqueta"]
        assert reply.text == response_text(domain, reply.intent).replace("{correo_soporte}", "ayuda@example.com")
    contact = next(r for r in guideline_replies() if r.intent == "contacto_soporte")
    assert "ayuda@example.com" in contact.text and "{" not in contact.text
