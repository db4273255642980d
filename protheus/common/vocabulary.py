"""The support vocabulary: channels, plans, roles and the states of hand-offs, training runs,
inbox decisions and flags.

Each is an enum whose values are what the database, the routing table and the hand-off
payload store (PRODUCT.md contracts); their Spanish names are data (mensajes.yml →
`etiquetas`, and the hand-off card's channel names), so the console shows what a
trainer wrote there.
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from protheus.common.messages import handoff_card, labels

E = TypeVar("E", bound="Term")


class Term(str, Enum):
    """A stored value with a Spanish name. Compares equal to its value (a str)."""

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        return _LABELS[type(self)]().get(self.value, self.value)

    @classmethod
    def parse(cls: type[E], value: object) -> E | None:
        """The term for a stored value, or None when it is not one."""
        try:
            return cls(value)
        except ValueError:
            return None


class Channel(Term):
    """Where a conversation is handed off (`canal` of the hand-off payload)."""

    STANDARD = "soporte_estandar"
    PRIME = "soporte_prime"
    CONSULTING = "consultoria_remota"
    LIVE_AGENT = "agente_humano"
    EXTERNAL = "externo"


class HandoffStatus(Term):
    OPEN = "abierto"
    IN_PROGRESS = "en_curso"
    CLOSED = "cerrado"


OPEN_HANDOFF_STATUSES = (HandoffStatus.OPEN, HandoffStatus.IN_PROGRESS)


class RunStatus(Term):
    """A training run, from the request to its end."""

    QUEUED = "en_cola"
    TRAINING = "entrenando"
    EVALUATING = "evaluando"
    FINISHED = "terminado"
    FAILED = "fallido"


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.TRAINING, RunStatus.EVALUATING)


class Plan(Term):
    STANDARD = "estandar"
    PRIME = "prime"


class Identification(Term):
    """How the customer of a conversation was identified (slot `verificacion_cliente`)."""

    PORTAL = "portal"  # the customer code came signed in the chat session
    VERIFIED = "verificado"  # code and the registered facilitator's e-mail matched
    UNVERIFIED = "no_verificado"  # claimed only: never routed as Prime

    @property
    def verified(self) -> bool:
        return self is not Identification.UNVERIFIED


class AttendedBy(Term):
    """Who attended the conversation a satisfaction survey asks about."""

    ASSISTANT = "asistente"  # the bot alone
    AGENT = "agente"  # a live agent took part


class Role(Term):
    """Console roles; what each may do is protheus.webapp.console.permissions.PERMISSIONS."""

    AGENT = "agente"
    TRAINER = "entrenador"
    ADMIN = "admin"


# The roles that take live-agent hand-offs (the console's QUEUE permission): only an active
# account in one of them counts as «disponible».
HANDOFF_ROLES = (Role.AGENT, Role.ADMIN)


class InboxVerdict(Term):
    """What a trainer decided about a customer message."""

    LABELLED = "etiquetado"
    DISCARDED = "descartado"
    DUPLICATE = "duplicado"


class FlagStatus(Term):
    PENDING = "pendiente"


class InputChannel(Term):
    """Rasa's input channels, as stored in the events (`input_channel`)."""

    WEB_CHAT = "socketio"
    REST = "rest"
    TERMINAL = "cmdline"


class Question(Term):
    """A question the forms ask (its slot), and `si_o_no`: any other yes/no the bot asks (a
    confirmation of what it understood, an offer to go back to a request)."""

    MODULE = "modulo"
    DESCRIPTION = "descripcion_error"
    REPRODUCES = "reproduce_en_estandar"
    SPECIFIC_RECORDS = "solo_registros_especificos"
    CUSTOMER_CODE = "codigo_cliente"
    VERIFICATION = "verificacion_cliente"
    ACCEPTS_TERMS = "acepta_terminos_consultoria"
    YES_OR_NO = "si_o_no"

    @classmethod
    def values(cls) -> list[str]:
        return [q.value for q in cls]


class Kind(Term):
    """What a message written under a pending question is (protheus.support.answer_reading)."""

    ANSWER = "respuesta"
    DONT_KNOW = "no_sabe"
    QUESTION = "pregunta"
    CORRECTION = "correccion"
    CANCEL = "cancelar"
    NEW_REQUEST = "nueva_solicitud"
    REPEAT = "repetir"
    OTHER = "otro"
    # Only as a reading, never a label: an answer whose value the bot asks to confirm.
    UNSURE = "por_confirmar"
    # The classifier's label of an answer to a question whose value is not yes/no.
    VALUE = "valor"

    @classmethod
    def labelled(cls) -> list[str]:
        """The kinds the labelled data uses."""
        return [k.value for k in cls if k not in (cls.UNSURE, cls.VALUE)]


class Theme(Term):
    """What a question back is about."""

    ABOUT_QUESTION = "sobre_la_pregunta"  # its meaning, how to find the answer, why it is asked
    COST = "costo"
    PROCESS = "proceso"  # dates, who does what, next steps
    OTHER = "otra"  # the support line or the product: answered by its intent

    @classmethod
    def values(cls) -> list[str]:
        return [t.value for t in cls]


def _channel_names() -> dict[str, str]:
    return {key: value["nombre"] for key, value in handoff_card()["canales"].items()}


_LABELS = {
    Channel: _channel_names,
    HandoffStatus: lambda: labels("estados_derivacion"),
    RunStatus: lambda: labels("estados_entrenamiento"),
    Plan: lambda: labels("planes"),
    Role: lambda: labels("roles"),
    InputChannel: lambda: labels("canales_de_entrada"),
    Identification: lambda: labels("identificacion"),
    AttendedBy: lambda: labels("atendido_por"),
    InboxVerdict: dict,
    FlagStatus: dict,
    Question: lambda: labels("campos"),
    Kind: lambda: labels("lecturas"),
    Theme: dict,
}


def label_of(kind: type[Term], value: str | None) -> str:
    """The Spanish name of a stored value (the value itself when unknown, «—» when empty)."""
    if not value:
        return "—"
    term = kind.parse(value)
    return term.label if term is not None else value
