"""Validation of the three forms: error triage, urgent attention, consulting terms.

Shared answers (yes/no, customer code) are validated in one base class; each form
adds its own slots. Every re-prompt is a domain response.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.corrections import apply_correction, correction
from actions.digressions import answer_digression, digression
from actions.free_answers import free_answers
from actions.handoff import TRIAGE_SLOTS
from actions.modules import normalise_module
from actions.session import idle_reminder
from actions.topic_change import leave_for, topic_change
from actions.verification import SLOT as VERIFICATION_SLOT
from actions.verification import CustomerVerification, signed_customer
from protheus.messages import message
from protheus.nlu.error_log import looks_like_log, parse
from protheus.settings import max_log_chars, max_message_chars
from protheus.text import EMAIL, fold
from protheus.vocabulary import Identification

YES_WORDS = {
    "si",
    "sí",
    "claro",
    "correcto",
    "exacto",
    "afirmativo",
    "dale",
    "ok",
    "okay",
    "sip",
    "simon",
    "asi es",
    "acepto",
    "de acuerdo",
    "true",
    "verdadero",
    "yes",
}
NO_WORDS = {
    "no",
    "nop",
    "nope",
    "negativo",
    "para nada",
    "nunca",
    "no acepto",
    "todavia no",
    "tampoco",
    "false",
    "falso",
}
FOLDED_YES = {fold(w) for w in YES_WORDS}
FOLDED_NO = {fold(w) for w in NO_WORDS}
MIN_DESCRIPTION_WORDS = 4
CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,31}$")


def yes_or_no(tracker: Tracker, value: Any) -> bool | None:
    """The customer's answer to a yes/no question: by intent first, then by its first words."""
    if isinstance(value, bool):
        return value
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == "afirmar":
        return True
    if intent == "negar":
        return False
    words = re.sub(r"[^\w\s]", " ", fold(str(value or ""))).split()
    for size in (2, 1):
        start = " ".join(words[:size])
        if start in FOLDED_YES:
            return True
        if start in FOLDED_NO:
            return False
    return None


CODE_FILLERS = {"de", "del", "es", "mi", "el", "cliente", "nuestro", "su", "numero", "nro", ":"}


def _code_shaped(word: str) -> bool:
    """STD01, PRIME-01, ACME (written in capitals): letters and digits, or a word in capitals."""
    has_digit, has_letter = any(c.isdigit() for c in word), any(c.isalpha() for c in word)
    return bool(CODE.match(word.upper())) and ((has_digit and has_letter) or (word.isupper() and len(word) >= 3))


def code_candidates(text: str) -> list[str]:
    """The customer codes in an answer: words shaped like a code, or the word after «código»
    («mi código es acme» → ACME); a sentence («no, con todos los pedidos») has none. A one-word
    answer is taken as the code itself."""
    words = [re.sub(r"[^\w-]", "", w) for w in text.split()]
    words = [w for w in words if w]
    if len(words) == 1 and CODE.match(words[0].upper()):
        return [words[0].upper()]
    shaped = [w.upper() for w in words if _code_shaped(w)]
    if shaped:
        return shaped
    # «mi código (de cliente) es acme»: the first word after «código» that is not a filler.
    folded = [fold(w) for w in words]
    if "codigo" in folded:
        rest = [w for w in words[folded.index("codigo") + 1 :] if fold(w) not in CODE_FILLERS]
        if rest and CODE.match(rest[0].upper()):
            return [rest[0].upper()]
    return []


def answers_pending(tracker: Tracker) -> bool:
    """The message reads as an answer to the pending question (an e-mail, a code, a yes or no):
    then it is neither a question to answer nor a new request («facilitador.prime@…» reads like a
    question about Prime to the NLU)."""
    requested = tracker.get_slot("requested_slot")
    text = tracker.latest_message.get("text") or ""
    words = free_answers()
    if not requested or words.asks_why(text) or words.restarts_over(text) or words.is_correction(text):
        return False
    if requested == VERIFICATION_SLOT:
        return bool(EMAIL.search(text))
    if requested == "codigo_cliente":
        return bool(code_candidates(text)) and len(text.split()) <= 6
    if requested in words.questions:
        return words.answers(requested, text) or yes_or_no(tracker, text) is not None
    return False


class SupportFormValidation(FormValidationAction, ABC):
    """Answers shared by several forms. Abstract: the action server does not register it."""

    @abstractmethod
    def name(self) -> str:
        """The validation action's name, validate_<form>."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reminder = idle_reminder(tracker)
        if reminder is not None:  # back after a while: which request is pending, and how to leave it
            dispatcher.utter_message(**reminder)
        if answers_pending(tracker):  # an answer, whatever intent the NLU read in it
            return await super().run(dispatcher, tracker, domain)
        question = digression(tracker)
        if question is not None:  # answered; the form asks its pending question again
            return answer_digression(dispatcher, tracker, question)
        corrected = correction(tracker, self.form_slots(domain))
        if corrected is not None:
            return apply_correction(dispatcher, tracker, corrected)
        new_request = topic_change(tracker)
        if new_request is not None:
            return leave_for(dispatcher, tracker, new_request, TRIAGE_SLOTS)  # code and verification stay
        return await super().run(dispatcher, tracker, domain)

    def form_slots(self, domain: DomainDict) -> list[str]:
        """The slots this form asks (domain, forms)."""
        form = self.name().removeprefix("validate_")
        return list((domain.get("forms") or {}).get(form, {}).get("required_slots") or [])

    def _yes_no(self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """A yes or a no, by intent or in the customer's words; «no sé» takes the question's
        default, said out loud (or, for the consulting terms, asks for an explicit answer)."""
        text = str(tracker.latest_message.get("text") or value or "")
        words = free_answers()
        if words.says_dont_know(text):
            default = words.questions[slot].if_unknown if slot in words.questions else None
            dispatcher.utter_message(**message(f"no_sabe_{slot}" if default is not None else "aceptacion_explicita"))
            return {slot: default}
        answer = words.understood(slot, text)
        if answer is None:
            answer = yes_or_no(tracker, value)
        if answer is None:
            dispatcher.utter_message(**message("responda_si_o_no", texto=text[:80]))
        return {slot: answer}

    def _free_yes_no(self, slot: str, tracker: Tracker) -> dict[str, Any]:
        """The answer to this yes/no question when the NLU read it as something else («pasa con
        todos los pedidos» reads like an error report): then no domain mapping takes it."""
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("requested_slot") != slot or tracker.get_slot(slot) is not None:
            return {}
        return {slot: text} if free_answers().answers(slot, text) else {}

    async def extract_codigo_cliente(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A code the portal signed is taken as it is, and never asked; otherwise a code written
        in the message that opens the form is taken (and then verified)."""
        signed = signed_customer(tracker)
        if signed:
            if tracker.get_slot("codigo_cliente") == signed and tracker.get_slot(VERIFICATION_SLOT):
                return {}
            return {"codigo_cliente": signed, VERIFICATION_SLOT: Identification.PORTAL.value}
        if tracker.get_slot("codigo_cliente") or tracker.get_slot("requested_slot"):
            return {}
        written = [
            e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "codigo_cliente"
        ]
        return {"codigo_cliente": written[0]} if written and isinstance(written[0], str) else {}

    def validate_codigo_cliente(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Only the form of the code is checked here: whether it exists is never said, and the
        verification question proves it (actions/verification.py)."""
        signed = signed_customer(tracker)
        if signed:
            return {"codigo_cliente": signed}
        candidates = code_candidates(str(value or ""))
        if not candidates:
            dispatcher.utter_message(**message("codigo_cliente_no_valido", texto=str(value or "")[:80]))
            return {"codigo_cliente": None}
        return {"codigo_cliente": candidates[0]}

    async def extract_verificacion_cliente(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """An answer with an e-mail is the answer, whatever intent the NLU reads in it (a bare
        address reads like «contact me» to it)."""
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot("requested_slot") != VERIFICATION_SLOT or not EMAIL.search(text):
            return {}
        return {VERIFICATION_SLOT: text}

    def validate_verificacion_cliente(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return CustomerVerification().check(tracker, value, dispatcher)


class ValidateErrorForm(SupportFormValidation):
    def name(self) -> str:
        return "validate_formulario_error"

    async def extract_descripcion_error(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The first message of an error report usually describes it: do not ask again.
        A pasted error log describes it too, however few words come with it."""
        if tracker.get_slot("descripcion_error") or tracker.get_slot("requested_slot"):
            return {}
        message = tracker.latest_message
        if (message.get("intent") or {}).get("name") != "reportar_error":
            return {}
        text = message.get("text") or ""
        enough = len(text.split()) >= MIN_DESCRIPTION_WORDS or looks_like_log(text)
        return {"descripcion_error": text} if enough else {}

    async def extract_modulo(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A pasted log names the routine: its module (rutinas.yml), or the routine itself."""
        if tracker.get_slot("requested_slot") not in (None, "modulo"):
            return {}
        log = parse(tracker.latest_message.get("text") or "")
        found = (log.module or log.routine) if log else None
        return {"modulo": found} if found and normalise_module(found) else {}

    def validate_modulo(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        module = normalise_module(str(value or ""))
        if module is None:
            dispatcher.utter_message(**message("modulo_no_valido", texto=str(value or "")[:60]))
        return {"modulo": module}

    def validate_descripcion_error(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if len(text.split()) < 2:
            dispatcher.utter_message(**message("descripcion_muy_corta"))
            return {"descripcion_error": None}
        return {"descripcion_error": text[: max_log_chars() if looks_like_log(text) else max_message_chars()]}

    async def extract_reproduce_en_estandar(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._free_yes_no("reproduce_en_estandar", tracker)

    async def extract_solo_registros_especificos(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._free_yes_no("solo_registros_especificos", tracker)

    def validate_reproduce_en_estandar(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._yes_no("reproduce_en_estandar", value, dispatcher, tracker)

    def validate_solo_registros_especificos(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._yes_no("solo_registros_especificos", value, dispatcher, tracker)


class ValidateUrgentForm(SupportFormValidation):
    def name(self) -> str:
        return "validate_formulario_urgente"


class ValidateConsultingForm(SupportFormValidation):
    def name(self) -> str:
        return "validate_formulario_consultoria"

    async def extract_acepta_terminos_consultoria(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._free_yes_no("acepta_terminos_consultoria", tracker)

    def validate_acepta_terminos_consultoria(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._yes_no("acepta_terminos_consultoria", value, dispatcher, tracker)
