"""Event types by name: the same classes Rasa's own lookup finds."""

import pytest
import rasa.shared.utils.common
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered

from protheus.rasa_server import event_lookup, patches

patches.install()  # as in the Rasa server's process


def _rasas_answer(type_name: str):
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        if cls.type_name == type_name:
            return cls
    return None


@pytest.mark.parametrize("event", [UserUttered, ActionExecuted, SlotSet, SessionStarted])
def test_every_event_type_resolves_as_in_rasa(event):
    assert Event.resolve_by_type is event_lookup.resolve_by_type
    assert Event.resolve_by_type(event.type_name) is _rasas_answer(event.type_name) is event


def test_unknown_names_keep_rasas_answers():
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_existe", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_existe")


def test_an_event_class_defined_later_is_found():
    class Nuevo(SlotSet):  # concrete: Rasa skips abstract classes
        type_name = "evento_de_prueba_nuevo"

    assert Event.resolve_by_type("evento_de_prueba_nuevo") is Nuevo
    assert Event.from_parameters(SlotSet("codigo_cliente", "STD01").as_dict()) == SlotSet("codigo_cliente", "STD01")
