"""The guard finds the actions of the customer's last turn, session start included."""
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered

from protheus.channels import actions_of_last_turn


def test_actions_after_the_last_message():
    events = [ActionExecuted("action_listen"), UserUttered("hola"), ActionExecuted("utter_saludo"),
              ActionExecuted("action_listen"), UserUttered("backup"), ActionExecuted("utter_recuperar_backup"),
              ActionExecuted("action_derivar")]
    assert actions_of_last_turn(events) == ["action_derivar", "utter_recuperar_backup"]


def test_session_start_before_the_first_message_counts():
    events = [ActionExecuted("action_session_start"), UserUttered("hola"), ActionExecuted("utter_saludo")]
    assert actions_of_last_turn(events) == ["utter_saludo", "action_session_start"]


def test_earlier_turns_do_not_count():
    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
              UserUttered("hola"), ActionExecuted("action_derivar"), ActionExecuted("action_listen"),
              UserUttered("gracias"), ActionExecuted("utter_agradecimiento")]
    assert actions_of_last_turn(events) == ["utter_agradecimiento"]
