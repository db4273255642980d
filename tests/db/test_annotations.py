"""Tags and internal notes on SQLite and PostgreSQL: one normal form per tag, notes newest first,
the list's tag filter in SQL, and the analytics' count of tagged conversations by start date."""

from itertools import count

import pytest

from protheus.common.messages import suggested_tags
from protheus.db.annotations import (
    ANNOTATION_MESSAGES,
    MAX_NOTE,
    MAX_TAG,
    AnnotationError,
    AnnotationStore,
    normalise_tag,
    suggestions,
)
from protheus.db.conversations import ConversationFilter, ConversationStore
from tests.events import session_start, store, user

TZ = "America/Mexico_City"
DAY = 86_400.0
START = 1_796_000_000.0  # late November 2026


@pytest.fixture
def clock():
    ticks = count(START)
    return lambda: float(next(ticks))


@pytest.fixture
def annotations(db, clock) -> AnnotationStore:
    return AnnotationStore(db, clock)


@pytest.fixture
def indexed(db) -> ConversationStore:
    """Three conversations started a day apart: c0 on START, c1 a day later, c2 two days later."""
    for number in range(3):
        store(db, f"c{number}", session_start() + [user("hola", "saludo", 0.9)], START + number * DAY)
    index = ConversationStore(db)
    index.sync()
    return index


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Error  Confirmado", "error confirmado"), ("  consulta\trepetida \n", "consulta repetida"), ("ÁREA", "área")],
)
def test_a_tag_is_stored_in_one_normal_form(typed, stored):
    assert normalise_tag(typed) == stored


@pytest.mark.parametrize(("typed", "reason"), [("   ", "etiqueta_vacia"), ("x" * (MAX_TAG + 1), "etiqueta_larga")])
def test_an_empty_or_long_tag_is_refused_in_spanish(annotations, typed, reason):
    with pytest.raises(AnnotationError) as refused:
        annotations.add_tag("c0", typed, "ana")
    assert isinstance(refused.value, ValueError) and refused.value.reason == reason
    assert str(refused.value) == ANNOTATION_MESSAGES[reason] and annotations.tags_of("c0") == []


def test_adding_a_tag_twice_keeps_the_first(annotations):
    first, added = annotations.add_tag("c0", "Error confirmado", "ana")
    again, added_again = annotations.add_tag("c0", "error   CONFIRMADO", "pedro")
    assert added and not added_again and again == first
    assert annotations.tags_of("c0") == [first] and (first.tag, first.tagged_by, first.at) == (
        "error confirmado",
        "ana",
        START,
    )


def test_removing_a_tag(annotations):
    annotations.add_tag("c0", "consulta repetida", "ana")
    annotations.add_tag("c0", "error confirmado", "ana")
    assert annotations.remove_tag("c0", "Consulta Repetida") is True
    assert annotations.remove_tag("c0", "consulta repetida") is False
    assert [t.tag for t in annotations.tags_of("c0")] == ["error confirmado"]


def test_tags_of_many_conversations_in_chunks(annotations):
    senders = [f"s{number}" for number in range(1200)]  # more than one IN chunk
    for sender in senders[::100]:
        annotations.add_tag(sender, "b", "ana")
        annotations.add_tag(sender, "a", "ana")
    found = annotations.tags_of_many(senders + ["nadie"])
    assert set(found) == set(senders[::100]) and all(tags == ["a", "b"] for tags in found.values())


def test_known_tags_most_used_first(annotations):
    for sender in ("c0", "c1", "c2"):
        annotations.add_tag(sender, "error confirmado", "ana")
    annotations.add_tag("c0", "consulta repetida", "ana")
    annotations.add_tag("c1", "alfa", "ana")
    assert annotations.known_tags() == [("error confirmado", 3), ("alfa", 1), ("consulta repetida", 1)]
    assert annotations.known_tags(limit=1) == [("error confirmado", 3)]


def test_suggestions_are_the_tags_in_use_then_the_defaults():
    offered = suggestions([("llamar mañana", 4), ("error confirmado", 2)], ["Error Confirmado", "  ", "otra"])
    assert offered == ["llamar mañana", "error confirmado", "otra"]


def test_the_default_suggestions_are_data_and_all_valid_tags():
    defaults = suggested_tags()
    assert "error confirmado" in defaults and "consulta repetida" in defaults
    assert all(isinstance(tag, str) and normalise_tag(tag) == tag for tag in defaults)  # no YAML booleans


def test_notes_newest_first(annotations):
    first = annotations.add_note("c0", "ana", "  El cliente ya había reportado esto.  ")
    second = annotations.add_note("c0", "pedro", "Confirmado con el equipo de facturación.")
    annotations.add_note("c1", "ana", "otra conversación")
    assert first.text == "El cliente ya había reportado esto." and first.id != second.id
    assert annotations.notes_of("c0") == [second, first]
    assert annotations.notes_of("nadie") == []


@pytest.mark.parametrize(("text", "reason"), [(" \n ", "nota_vacia"), ("x" * (MAX_NOTE + 1), "nota_larga")])
def test_an_empty_or_long_note_is_refused_in_spanish(annotations, text, reason):
    with pytest.raises(AnnotationError, match=ANNOTATION_MESSAGES[reason].split("(")[0]):
        annotations.add_note("c0", "ana", text)
    assert annotations.notes_of("c0") == []


def test_a_note_as_long_as_allowed_and_with_a_nul_is_kept(annotations):
    """PostgreSQL refuses NULs in text: control characters are dropped, the rest is kept."""
    assert annotations.add_note("c0", "ana", "x" * MAX_NOTE).text == "x" * MAX_NOTE
    assert annotations.add_note("c0", "ana", "hola\x00 mundo").text == "hola mundo"
    assert annotations.add_tag("c0", "error\x00 raro", "ana")[0].tag == "error raro"


def test_the_list_filters_by_tag_and_its_rows_carry_the_tags(indexed, annotations):
    annotations.add_tag("c0", "error confirmado", "ana")
    annotations.add_tag("c2", "error confirmado", "ana")
    annotations.add_tag("c2", "consulta repetida", "ana")
    rows, total = indexed.page(ConversationFilter(tag="error confirmado", timezone=TZ))
    assert total == 2 and [(r.sender_id, r.tags) for r in rows] == [
        ("c2", ["consulta repetida", "error confirmado"]),
        ("c0", ["error confirmado"]),
    ]
    assert indexed.page(ConversationFilter(tag="nadie la usa", timezone=TZ)) == ([], 0)
    combined = ConversationFilter(tag="error confirmado", text="c2", timezone=TZ)
    assert [r.sender_id for r in indexed.export(combined)] == ["c2"]
    assert next(r for r in indexed.export(ConversationFilter(timezone=TZ)) if r.sender_id == "c1").tags == []


def test_tag_counts_by_the_start_of_the_conversations(indexed, annotations):
    for sender in ("c0", "c1", "c2"):
        annotations.add_tag(sender, "error confirmado", "ana")
    annotations.add_tag("c1", "consulta repetida", "ana")
    annotations.add_tag("c2", "consulta repetida", "ana")
    annotations.add_tag("sin-indexar", "consulta repetida", "ana")  # not a known conversation: not counted
    assert annotations.tag_counts(START, START + 3 * DAY) == [("error confirmado", 3), ("consulta repetida", 2)]
    assert annotations.tag_counts(START + DAY, START + 2 * DAY) == [("consulta repetida", 1), ("error confirmado", 1)]
    assert annotations.tag_counts(START - DAY, START) == []  # the end is excluded, the start included
    assert annotations.tag_counts(START, START + 1) == [("error confirmado", 1)]


def test_exists_answers_from_rasas_events(indexed):
    assert indexed.exists("c0") and not indexed.exists("nadie")


def test_a_note_typed_with_line_breaks_counts_each_once(annotations):
    """Browsers send CRLF; the form's maxlength counts each break once, and so does the store."""
    typed = ("línea\r\n" * (MAX_NOTE // 6))[: MAX_NOTE + MAX_NOTE // 6 - 2]
    note = annotations.add_note("web-1", "ana", typed)
    assert "\r" not in note.text and note.text == typed.replace("\r\n", "\n").strip()
