"""Who may do what in the console: one named permission per thing a role may do."""

from __future__ import annotations

from enum import Enum

from protheus.common.vocabulary import Role


class Permission(str, Enum):
    CONVERSATIONS = "conversaciones"  # read conversations and flag messages
    QUEUE = "cola"  # take, answer and close hand-offs
    PERSONAL_DATA = "datos_personales"  # see e-mails and phone numbers unmasked
    TRAINING = "entrenamiento"  # the inbox, training runs and the model registry
    USERS = "usuarios"  # manage console users, read the audit log
    ANY_HANDOFF = "derivaciones_ajenas"  # answer or close a hand-off another agent took
    SAVED_REPLIES = "respuestas_guardadas"  # keep the saved replies agents insert in their answers
    ANNOTATE = "anotar"  # tag conversations and write internal notes (trainers only read them)
    HEALTH_DETAILS = "detalles_salud"  # the errors behind a health warning (they may name hosts, users)

    def __str__(self) -> str:
        return self.value


# agente: conversations and the queue; entrenador: conversations (contact data masked) and
# the trainer pages; admin: everything, including other agents' hand-offs and the users.
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.AGENT: frozenset({Permission.CONVERSATIONS, Permission.QUEUE, Permission.PERSONAL_DATA, Permission.ANNOTATE}),
    Role.TRAINER: frozenset({Permission.CONVERSATIONS, Permission.TRAINING}),
    Role.ADMIN: frozenset(Permission),
}


def can(role: str, permission: str) -> bool:
    """Enum members hash by name, so both are looked up as members, not as their values."""
    term = Role.parse(role)
    try:
        wanted = Permission(permission)
    except ValueError:
        return False
    return term is not None and wanted in PERMISSIONS[term]
