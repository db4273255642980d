"""User management (admins only)."""

from __future__ import annotations

from aiohttp import web

from protheus.common.vocabulary import Role
from protheus.db.accounts import AccountError
from protheus.webapp.console.context import CONSOLE
from protheus.webapp.console.permissions import Permission
from protheus.webapp.console.security import requires
from protheus.webapp.console.views import parse_id, render, run


async def _page(request: web.Request, status: int = 200, error: str = "", aviso: str = "") -> web.Response:
    ctx = request.app[CONSOLE]
    return render(
        request,
        "usuarios.html",
        status=status,
        usuarios=await run(ctx.accounts.users),
        roles=list(Role),
        error=error,
        aviso=aviso,
        auditoria=await run(ctx.accounts.audit_entries, 50),
    )


@requires(Permission.USERS)
async def users_page(request: web.Request) -> web.Response:
    return await _page(request)


@requires(Permission.USERS)
async def create_user(request: web.Request) -> web.Response:
    ctx = request.app[CONSOLE]
    form = await request.post()
    try:
        user = await run(
            ctx.accounts.create_user, str(form.get("usuario", "")), str(form.get("rol", "")), str(form.get("clave", ""))
        )
    except AccountError as error:
        return await _page(request, 400, str(error))
    admin = request["session"].user.username
    await run(ctx.accounts.audit, admin, "crear_usuario", usuario=user.username, rol=user.role)
    return await _page(request, aviso=f"Usuario «{user.username}» creado con el rol {user.role}.")


@requires(Permission.USERS)
async def update_user(request: web.Request) -> web.Response:
    ctx = request.app[CONSOLE]
    form = await request.post()
    me = request["session"].user
    user_id = parse_id(request.match_info["user_id"])
    if user_id is None:
        return await _page(request, 400, "El usuario no existe.")
    role = str(form.get("rol", "")) or None
    active = {"1": True, "0": False}.get(str(form.get("activo", "")))
    password = str(form.get("clave", "")) or None
    if user_id == me.id and (active is False or (role and role != Role.ADMIN)):
        return await _page(request, 400, "No puede quitarse a sí mismo el rol de administrador ni desactivarse.")
    try:
        user = await run(ctx.accounts.update_user, user_id, role=role, active=active, password=password)
    except AccountError as error:
        return await _page(request, 400, str(error))
    # Their sessions ended: whoever is back (reactivated, promoted) starts «ausente».
    await run(ctx.presence.leave, user.username)
    await run(
        ctx.accounts.audit,
        me.username,
        "modificar_usuario",
        usuario=user.username,
        rol=user.role,
        activo=user.active,
        clave_cambiada=password is not None,
    )
    return await _page(request, aviso=f"Usuario «{user.username}» actualizado.")
