"""Who may do what: each role's named permissions."""

import pytest

from protheus.common.vocabulary import HANDOFF_ROLES, Role
from protheus.webapp.console.permissions import PERMISSIONS, Permission, can


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("agente", {"conversaciones", "cola", "datos_personales", "anotar"}),
        ("entrenador", {"conversaciones", "entrenamiento"}),
        ("admin", {p.value for p in Permission}),
    ],
)
def test_role_matrix(role, allowed):
    assert {p.value for p in Permission if can(role, p)} == allowed
    assert {p.value for p in Permission if can(role, p.value)} == allowed  # as the templates ask


def test_only_admins_work_another_agents_handoff():
    assert [role for role in Role if Permission.ANY_HANDOFF in PERMISSIONS[role]] == [Role.ADMIN]


def test_unknown_roles_and_permissions_may_do_nothing():
    assert not can("jefe", Permission.CONVERSATIONS)
    assert not can("admin", "borrar_todo")


def test_the_roles_counted_as_available_are_those_with_the_queue():
    """protheus.db.presence counts HANDOFF_ROLES (the database layer cannot read PERMISSIONS)."""
    assert set(HANDOFF_ROLES) == {role for role in Role if can(role, Permission.QUEUE)}
