"""Validation of the forms: error triage, urgent attention, consulting terms, and the offer to go
back to a request left for later.

Every message written while a question is pending is read in the light of that question
(answers.py → protheus.support.answer_reading): the answer fills the slot only with a value
the message states; «no sé», a question back, a correction, a cancellation, a new request, a request
to repeat or anything else each get their reply, and the question stays open until it is
answered. One mechanism for every form and every question. Every text is a domain response or
mensajes.yml.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from protheus.action_server.actions.answers import answered_before, confirmation, pending_reading
from protheus.action_server.actions.corrections import corrected_events
from protheus.action_server.actions.digressions import answer_question, ask_again
from protheus.action_server.actions.handoff import TRIAGE_SLOTS, collected_slots, request_intent
from protheus.action_server.actions.session import idle_reminder
from protheus.action_server.actions.slots import HELPED, REQUESTED, RESUME, TO_CONFIRM, UNKNOWN, URGENT
from protheus.action_server.actions.topic_change import CANCEL, leave_for, leave_for_new_request
from protheus.action_server.actions.verification import SLOT as VERIFICATION_SLOT
from protheus.action_server.actions.verification import CustomerVerification, signed_customer
from protheus.common.messages import answer_text, message, understood
from protheus.common.settings import max_log_chars, max_message_chars
from protheus.common.vocabulary import Identification, Kind, Question
from protheus.support import answer_values
from protheus.support.answer_reading import Reading
from protheus.support.error_log import ErrorKind, ErrorLog, looks_like_log, parse
from protheus.support.modules import normalise_module
from protheus.support.routing import routing_table

MIN_DESCRIPTION_WORDS = 4
# Where a log points when it is not a product error: (message, the request it would be instead).
AWAY_FROM_PRODUCT = {
    "infraestructura": ("log_infraestructura", "soporte_infraestructura"),
    "codigo_del_cliente": ("log_codigo_del_cliente", "soporte_personalizaciones"),
}


def log_points_to(log: ErrorLog | None) -> tuple[str, str] | None:
    """The customer's infrastructure (no connection, the server does not start, licences) or
    their own code (the failing frame, or a message their code raised); None: a product error."""
    if log is None:
        return None
    if log.kind in (ErrorKind.CONNECTION, ErrorKind.STARTUP, ErrorKind.LICENCE):
        return AWAY_FROM_PRODUCT["infraestructura"]
    if log.customer_code or log.kind is ErrorKind.CUSTOMER_EXCEPTION:
        return AWAY_FROM_PRODUCT["codigo_del_cliente"]
    return None


URGENT_INTENT = "atencion_urgente"
CONSULTING_FORM = "formulario_consultoria"
# Questions a second «no sé» does not leave unknown: the terms need an explicit yes or no, and an
# offer a yes or a no.
ALWAYS_ASKED = {Question.ACCEPTS_TERMS.value, RESUME}
# What an error report collected before its consulting terms: a correction may change any of it.
REPORT_SLOTS = {*TRIAGE_SLOTS, Question.CUSTOMER_CODE.value, VERIFICATION_SLOT}


def correctable(tracker: Tracker, form: str, slots: list[str]) -> dict[str, Any]:
    """The earlier answers a correction may change: the form's, and for the consulting terms
    after an error report, the report's."""
    answered = answered_before(tracker, slots)
    if form == CONSULTING_FORM:
        intent = request_intent(tracker)
        earlier = collected_slots(tracker, intent) if intent else {}
        answered = {**{k: v for k, v in earlier.items() if k in REPORT_SLOTS}, **answered}
    return answered


async def read_and_act(
    form: FormValidationAction, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, slots: list[str]
) -> list[EventType]:
    """Read the last message under the pending question of `form` and act on it."""
    reading = pending_reading(tracker, correctable(tracker, form.form_name(), slots))
    events = await _act(form, reading, dispatcher, tracker, domain)
    if tracker.get_slot(TO_CONFIRM) and reading.kind is not Kind.UNSURE:
        events = [SlotSet(TO_CONFIRM, None), *events]  # read anew: the confirmation is moot
    if any(e.get("event") == "active_loop" for e in events):
        return events  # the form was left
    return await _continue(form, events, dispatcher, tracker, domain)


async def _act(
    form: FormValidationAction, reading: Reading, dispatcher: CollectingDispatcher, tracker: Tracker, domain
) -> list[EventType]:
    slot = tracker.get_slot(REQUESTED)
    kind = reading.kind
    if slot == RESUME and kind is Kind.CANCEL:  # «cancelá» to an offer: a no
        kind, reading = Kind.ANSWER, Reading(Kind.ANSWER, slot, False)
    if kind is Kind.ANSWER:
        return await _answer(form, slot, reading.value, dispatcher, tracker, domain)
    if kind is Kind.UNSURE and reading.leave_for:
        return _ask_to_leave(dispatcher, tracker, slot, reading.leave_for)
    if kind is Kind.UNSURE:
        return _ask_to_confirm(dispatcher, slot, reading.value)
    if kind is Kind.DONT_KNOW:
        return await _dont_know(form, slot, dispatcher, tracker, domain)
    if kind is Kind.QUESTION:
        return answer_question(dispatcher, tracker, slot, reading)
    if kind is Kind.CORRECTION:
        return _correct(form, slot, reading, dispatcher, tracker, domain)
    if kind is Kind.CANCEL:
        return leave_for(dispatcher, tracker, CANCEL, TRIAGE_SLOTS)  # code and verification stay
    if kind is Kind.NEW_REQUEST and reading.intent:
        return _new_request(form, slot, reading.intent, dispatcher, tracker)
    if kind is Kind.REPEAT:
        return ask_again(slot)
    return _not_an_answer(slot, reading, dispatcher, tracker)


async def _continue(
    form: FormValidationAction, events: list[EventType], dispatcher: CollectingDispatcher, tracker: Tracker, domain
) -> list[EventType]:
    """`events`, then the question to ask next: the first the form still needs (None: done)."""
    tracker.slots.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})
    required = await form.required_slots(form.domain_slots(domain), dispatcher, tracker, domain)
    following = next((slot for slot in required if tracker.slots.get(slot) is None), None)
    return [*events, SlotSet(REQUESTED, following)]


async def _answer(
    form: FormValidationAction, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain
) -> list[EventType]:
    """The slot takes the value, as its validate_ method checks it."""
    validate = getattr(form, f"validate_{slot}", None)
    values = await _call(validate, value, dispatcher, tracker, domain) if validate else {slot: value}
    return [SlotSet(k, v) for k, v in values.items()] + [SlotSet(TO_CONFIRM, None), SlotSet(HELPED, None)]


async def _call(method: Any, *args: Any) -> dict[str, Any]:
    result = method(*args)
    return await result if hasattr(result, "__await__") else result


def _ask_to_confirm(dispatcher: CollectingDispatcher, slot: str, value: Any) -> list[EventType]:
    """«Entiendo que **sí** ocurre en un entorno estándar, ¿es así?»: nothing is recorded yet."""
    dispatcher.utter_message(**answer_text(slot, "confirmar", trusted={"entendido": understood(slot, value)}))
    return [SlotSet(slot, None), SlotSet(TO_CONFIRM, confirmation(slot, value))]


def _ask_to_leave(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, target: str) -> list[EventType]:
    """«¿Quiere cancelar el reporte del error?», «¿Deja en pausa … para pasar a …?»: the form is
    left only on a yes."""
    route = routing_table().get(request_intent(tracker))
    name = route.request_name if route is not None else "su solicitud"
    if target == CANCEL:
        dispatcher.utter_message(**answer_text(slot, "confirmar_cancelacion", solicitud=name))
    else:
        label = routing_table().label(target) or target
        dispatcher.utter_message(**answer_text(slot, "confirmar_otra_solicitud", solicitud=name, etiqueta=label))
    return [SlotSet(slot, None), SlotSet(TO_CONFIRM, confirmation(slot, leave_for=target))]


async def _dont_know(
    form: FormValidationAction, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain
) -> list[EventType]:
    """The first «no sé»: how to find out, and the question once more. The second: the form goes
    on without it («el cliente no lo sabe»), except where only a yes or a no will do."""
    if slot == VERIFICATION_SLOT:  # its question says «no lo sé» continues unverified
        return await _answer(form, slot, Kind.DONT_KNOW.value, dispatcher, tracker, domain)
    if tracker.get_slot(HELPED) != slot:
        dispatcher.utter_message(**answer_text(slot, Kind.DONT_KNOW.value))
        return [*ask_again(slot), SlotSet(HELPED, slot)]
    dispatcher.utter_message(**answer_text(slot, "desconocido"))
    if slot in ALWAYS_ASKED:
        return ask_again(slot)
    values: dict[str, Any] = {UNKNOWN: [*(tracker.get_slot(UNKNOWN) or []), slot], HELPED: None, slot: None}
    if slot == Question.CUSTOMER_CODE:  # nothing to verify without a code
        values[VERIFICATION_SLOT] = Identification.UNVERIFIED.value
    return [SlotSet(k, v) for k, v in values.items()]


def _correct(
    form: FormValidationAction, slot: str, reading: Reading, dispatcher: CollectingDispatcher, tracker: Tracker, domain
) -> list[EventType]:
    """Apply a correction (a new facilitator's e-mail is checked at once); in the consulting
    terms, a correction of the report ends them, and action_derivar takes the report from there
    (to its form if the new code needs verifying, to the channel it now belongs to)."""
    assert reading.corrects is not None
    events = corrected_events(dispatcher, reading.corrects, reading.value, tracker.get_slot(UNKNOWN) or [])
    if reading.corrects == VERIFICATION_SLOT and reading.value:
        checked = CustomerVerification().check(tracker, reading.value, dispatcher)
        events = [e for e in events if e.get("name") != VERIFICATION_SLOT] + [SlotSet(k, v) for k, v in checked.items()]
    if form.form_name() == CONSULTING_FORM and reading.corrects in REPORT_SLOTS:
        return [*events, SlotSet(slot, None), SlotSet(REQUESTED, None), ActiveLoop(None)]
    return events + ([SlotSet(slot, None)] if slot != reading.corrects else [])


def _new_request(
    form: FormValidationAction, slot: str, intent: str, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    current = request_intent(tracker) if form.form_name() != "formulario_retomar" else None
    if intent == current:  # the same request said again: not an answer, not a new one
        return _not_an_answer(slot, Reading(Kind.OTHER, slot), dispatcher, tracker)
    if intent == URGENT_INTENT and form.form_name() == "formulario_error":
        dispatcher.utter_message(**answer_text(slot, "urgencia_anotada"))
        return [*ask_again(slot), SlotSet(URGENT, True)]
    return leave_for_new_request(dispatcher, tracker, intent, current, TRIAGE_SLOTS)


def _not_an_answer(slot: str, reading: Reading, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Not an answer: say what is missing, and ask again."""
    text = str(tracker.latest_message.get("text") or "")
    if slot == Question.CUSTOMER_CODE and answer_values.mentions_other_id(text):
        dispatcher.utter_message(**answer_text(slot, "id_fiscal"))
    elif reading.missing_value:
        dispatcher.utter_message(**_missing_value(slot, text))
    else:
        dispatcher.utter_message(**answer_text(slot, "sin_respuesta"))
    return ask_again(slot)


def _missing_value(slot: str, text: str) -> dict[str, Any]:
    if slot == Question.CUSTOMER_CODE:
        return message("codigo_cliente_no_valido", texto=text[:80])
    if slot == Question.MODULE:
        return message("modulo_no_valido", texto=text[:60])
    if slot == Question.VERIFICATION:
        return answer_text(slot, "sin_correo", texto=text[:80])
    if slot == Question.DESCRIPTION:
        return message("descripcion_muy_corta")
    return answer_text(slot, "sin_respuesta")


class SupportFormValidation(FormValidationAction, ABC):
    """What every form shares. Abstract: the action server does not register it."""

    @abstractmethod
    def name(self) -> str:
        """The validation action's name, validate_<form>."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reminder = idle_reminder(tracker)
        if reminder is not None:  # back after a while: which request is pending, and how to leave it
            dispatcher.utter_message(**reminder)
        if not tracker.get_slot(REQUESTED):  # the form opens: its first message may already answer
            events = await super().run(dispatcher, tracker, domain)
            return events + await self.opened(dispatcher, tracker, domain)
        return await read_and_act(self, dispatcher, tracker, domain, self.domain_slots(domain))

    async def opened(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """A pasted log that points away from a product error (the customer's infrastructure,
        their own code): say what it suggests, quoting the guideline, and let the customer say
        whether it is so or go on with the report. The log alone never decides."""
        log = parse(str(tracker.latest_message.get("text") or ""))
        pointed = log_points_to(log)
        following = await self.next_question(dispatcher, tracker, domain)
        if pointed is None or log is None or following is None:
            return []
        key, intent = pointed
        dispatcher.utter_message(**message(key, error=(log.error or "")[:120]))
        return [SlotSet(TO_CONFIRM, confirmation(following, leave_for=intent))]

    async def next_question(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> str | None:
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        return next((slot for slot in required if tracker.slots.get(slot) is None), None)

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """The form's questions, but those the customer did not know."""
        unknown = set(tracker.get_slot(UNKNOWN) or [])
        return [slot for slot in domain_slots if slot not in unknown]

    def _yes_no(self, slot: str, value: Any) -> dict[str, Any]:
        return {slot: value if isinstance(value, bool) else None}

    async def extract_codigo_cliente(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A code the portal signed is taken as it is, and never asked; otherwise a code written
        in the message that opens the form is taken (and then verified)."""
        signed = signed_customer(tracker)
        if signed:
            if tracker.get_slot(Question.CUSTOMER_CODE.value) == signed and tracker.get_slot(VERIFICATION_SLOT):
                return {}
            return {Question.CUSTOMER_CODE.value: signed, VERIFICATION_SLOT: Identification.PORTAL.value}
        if tracker.get_slot(Question.CUSTOMER_CODE.value) or tracker.get_slot(REQUESTED):
            return {}
        written = [
            e.get("value")
            for e in tracker.latest_message.get("entities") or []
            if e.get("entity") == Question.CUSTOMER_CODE.value
        ]
        code = answer_values.customer_code(written[0]) if written and isinstance(written[0], str) else None
        return {Question.CUSTOMER_CODE.value: code} if code else {}

    def validate_codigo_cliente(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Only the form of the code is checked here: whether it exists is never said, and the
        verification question proves it (protheus/action_server/actions/verification.py)."""
        signed = signed_customer(tracker)
        if signed:
            return {Question.CUSTOMER_CODE.value: signed}
        code = answer_values.customer_code(str(value or ""))
        if code is None:
            dispatcher.utter_message(**message("codigo_cliente_no_valido", texto=str(value or "")[:80]))
        return {Question.CUSTOMER_CODE.value: code}

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
        if tracker.get_slot("descripcion_error") or tracker.get_slot(REQUESTED):
            return {}
        latest = tracker.latest_message
        if (latest.get("intent") or {}).get("name") != "reportar_error":
            return {}
        text = latest.get("text") or ""
        enough = len(text.split()) >= MIN_DESCRIPTION_WORDS or looks_like_log(text)
        return {"descripcion_error": text} if enough else {}

    async def extract_modulo(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A pasted log in the opening message names the routine: its module (rutinas.yml), or
        the routine itself."""
        if tracker.get_slot(REQUESTED):
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

    def validate_reproduce_en_estandar(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._yes_no("reproduce_en_estandar", value)

    def validate_solo_registros_especificos(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._yes_no("solo_registros_especificos", value)


class ValidateUrgentForm(SupportFormValidation):
    def name(self) -> str:
        return "validate_formulario_urgente"


class ValidateConsultingForm(SupportFormValidation):
    def name(self) -> str:
        return "validate_formulario_consultoria"

    def validate_acepta_terminos_consultoria(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._yes_no("acepta_terminos_consultoria", value)


class ValidateResumeForm(SupportFormValidation):
    """The answer to «¿Seguimos con…?» (protheus/action_server/actions/pending_requests.py), read like any yes or no."""

    def name(self) -> str:
        return "validate_formulario_retomar"

    def validate_retomar_solicitud(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._yes_no(RESUME, value)
