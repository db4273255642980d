"""Saved replies on SQLite and PostgreSQL: kept, listed by title, changed, deleted; a title or a
text that would not fit (or is empty) is refused with a Spanish reason."""

import dataclasses

import pytest

from protheus.common.settings import MAX_AGENT_REPLY
from protheus.db.saved_replies import MAX_TITLE, SavedReplyError, SavedReplyNotFound, SavedReplyStore


@pytest.fixture
def replies(db) -> SavedReplyStore:
    return SavedReplyStore(db)


def test_create_list_update_and_delete(replies):
    first = replies.create(
        "  Saludo   inicial ", "Hola, soy del equipo de Soporte.\r\n¿En qué le ayudo?  ", "jefa", now=100.0
    )
    assert (first.title, first.text, first.updated_by, first.updated_at) == (
        "Saludo inicial",
        "Hola, soy del equipo de Soporte.\n¿En qué le ayudo?",
        "jefa",
        100.0,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.title = "otro"  # type: ignore[misc]
    second = replies.create("despedida", "Gracias por escribirnos.", "jefa")
    third = replies.create("Cierre", "Cierro la atención.", "jefa")
    assert [r.id for r in replies.list()] == [third.id, second.id, first.id]  # by title, case aside
    changed = replies.update(first.id, "Bienvenida", "Buenos días.", "otra", now=200.0)
    assert replies.get(first.id) == changed
    assert (changed.title, changed.text, changed.updated_by, changed.updated_at) == (
        "Bienvenida",
        "Buenos días.",
        "otra",
        200.0,
    )
    assert replies.delete(second.id) == second
    assert replies.get(second.id) is None and [r.title for r in replies.list()] == ["Bienvenida", "Cierre"]


@pytest.mark.parametrize(
    ("title", "text", "reason"),
    [
        ("", "texto", "Escriba un título"),
        ("   \n ", "texto", "Escriba un título"),
        ("x" * (MAX_TITLE + 1), "texto", f"máximo {MAX_TITLE} caracteres"),
        ("Título", " \r\n ", "Escriba el texto"),
        ("Título", "x" * (MAX_AGENT_REPLY + 1), f"máximo {MAX_AGENT_REPLY} caracteres"),
    ],
)
def test_what_does_not_fit_is_refused(replies, title, text, reason):
    with pytest.raises(SavedReplyError, match=reason):
        replies.create(title, text, "jefa")
    saved = replies.create("Válida", "Texto válido.", "jefa")
    with pytest.raises(SavedReplyError, match=reason):
        replies.update(saved.id, title, text, "jefa")
    assert replies.list() == (saved,)


def test_the_longest_title_and_text_are_kept_whole(replies):
    saved = replies.create("t" * MAX_TITLE, "x" * MAX_AGENT_REPLY, "jefa")
    assert replies.get(saved.id) == saved and len(saved.title) == MAX_TITLE and len(saved.text) == MAX_AGENT_REPLY


def test_a_reply_that_is_gone_cannot_be_changed(replies):
    saved = replies.create("Saludo", "Hola.", "jefa")
    replies.delete(saved.id)
    for change in (lambda: replies.update(saved.id, "Saludo", "Hola.", "jefa"), lambda: replies.delete(saved.id)):
        with pytest.raises(SavedReplyNotFound, match="no existe"):
            change()
    assert replies.get(saved.id) is None and replies.list() == ()
