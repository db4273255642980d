"""Login, sessions, CSRF and permissions for every /consola page.

- Session cookie: random token, HttpOnly, SameSite=Strict, Path=/consola, Secure on HTTPS
  (COOKIE_SECURE forces it either way). Only its SHA-256 is stored.
- CSRF: every POST carries the session's token in a hidden field; the login form, which has
  no session yet, uses a double-submit cookie. POSTs from another origin are refused.
- Permissions: each view declares one (`@requires`); the middleware checks it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlsplit

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from protheus.common.addresses import REAL_IP_HEADER, client_address
from protheus.common.settings import secure_cookies
from protheus.db.accounts import AccountError, TooManyAttempts
from protheus.db.presence import Presence
from protheus.webapp.console.context import CONSOLE
from protheus.webapp.console.permissions import Permission, can
from protheus.webapp.console.views import error_page, render, run

logger = logging.getLogger(__name__)

SESSION_COOKIE = "consola_sesion"
LOGIN_CSRF_COOKIE = "consola_csrf_entrada"
COOKIE_PATH = "/consola"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# In the query of a request a page makes by itself (consola-vivo.js redrawing the queue, a
# meta refresh): it shows the page but is not the agent's activity.
REFRESH_PARAMETER = "refresco"

CONSOLE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def requires(permission: Permission) -> Callable[[Handler], Handler]:
    def mark(handler: Handler) -> Handler:
        handler.permission = permission  # type: ignore[attr-defined]
        return handler

    return mark


def public(handler: Handler) -> Handler:
    handler.public = True  # type: ignore[attr-defined]
    return handler


def background(handler: Handler) -> Handler:
    """A view only a page calls by itself (the live stream): never the agent's activity."""
    handler.background = True  # type: ignore[attr-defined]
    return handler


def is_https(request: web.Request) -> bool:
    return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"


def set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str, max_age: int) -> None:
    forced = secure_cookies()
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Strict",
        secure=is_https(request) if forced is None else forced,
    )


def same_origin(request: web.Request) -> bool:
    """A POST whose Origin (or Referer) names another site is refused."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return source is None
    return urlsplit(source).netloc == request.host


def safe_next(target: str | None) -> str:
    """Only a path inside the console, never another site."""
    if target and target.startswith("/consola") and not target.startswith("//") and "\\" not in target:
        return target
    return "/consola"


@web.middleware
async def console_security(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith("/consola"):
        return await handler(request)
    try:
        response = await _guarded(request, handler)
    except web.HTTPException as redirect_or_error:
        redirect_or_error.headers["Content-Security-Policy"] = CONSOLE_CSP
        redirect_or_error.headers["Cache-Control"] = "no-store"
        raise
    except UnicodeDecodeError:  # a crafted body; aiohttp decodes forms as UTF-8
        response = error_page(request, 400, "El formulario llegó con caracteres no válidos: la consola espera UTF-8.")
    except SQLAlchemyError:
        logger.exception("Database error in %s", request.path)
        response = error_page(
            request,
            503,
            "La base de datos no responde. Intente de nuevo en unos minutos; si continúa, avise al administrador.",
        )
    except Exception:  # noqa: BLE001 - the agent sees a Spanish page, the log gets the details
        logger.exception("Error in %s", request.path)
        response = error_page(request, 500, "Ocurrió un error inesperado. Quedó registrado; intente de nuevo.")
    response.headers["Content-Security-Policy"] = CONSOLE_CSP
    response.headers["Cache-Control"] = "no-store"
    return response


async def _guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    token = request.cookies.get(SESSION_COOKIE, "")
    session = await run(ctx.accounts.session_for, token, touch=by_the_agent(request)) if token else None
    request["session"] = session
    view = request.match_info.handler
    if request.method == "POST" and not same_origin(request):
        return error_page(request, 403, "Solicitud rechazada: no viene de esta consola.")
    if request.method == "POST" and (unreadable := await _read_form(request)) is not None:
        return unreadable
    if getattr(view, "public", False):
        return await handler(request)
    if session is None:
        if request.method == "GET":
            raise web.HTTPSeeOther(f"/consola/entrar?siguiente={quote(request.path_qs, safe='')}")
        return error_page(request, 401, "Su sesión terminó. Vuelva a entrar.")
    permission = getattr(view, "permission", None)
    if permission and not can(session.user.role, permission):
        return error_page(request, 403, "No tiene permiso para ver esta página.")
    if request.method == "POST":
        form = await request.post()
        if not secrets.compare_digest(str(form.get("csrf", "")), session.csrf_token):
            return error_page(request, 403, "El formulario venció. Vuelva a la página e inténtelo de nuevo.")
    request["presence"] = await _touch_presence(request)
    request["health"] = await ctx.health.check()
    return await handler(request)


def by_the_agent(request: web.Request) -> bool:
    """A request the agent made (a page they opened, a form they sent), not one a page left
    open makes by itself: only those keep an agent «disponible»."""
    view = request.match_info.handler
    return not getattr(view, "background", False) and REFRESH_PARAMETER not in request.query


async def _touch_presence(request: web.Request) -> Presence | None:
    """An agent's request is their activity (protheus.db.presence: idle agents become «ausente»);
    a page refreshing itself only reads it. None for roles that take no hand-offs."""
    user, ctx = request["session"].user, request.app[CONSOLE]
    if not can(user.role, Permission.QUEUE):
        return None
    if not by_the_agent(request):
        return await run(ctx.presence.of, user.username)
    return await run(ctx.presence.touch, user.username) or Presence(user.username, False, 0.0)  # never said


async def _read_form(request: web.Request) -> web.Response | None:
    """Reads a POST's form once, before any view (aiohttp keeps it for them). A body aiohttp
    cannot parse (multipart without a boundary, a malformed part, an unknown encoding) is the
    sender's error: a 400, not a 500."""
    try:
        await request.post()
    except (web.HTTPException, UnicodeDecodeError):
        raise  # too large (413); not UTF-8 (the middleware's 400)
    except Exception as error:  # noqa: BLE001 - whatever aiohttp raises here is about the body
        logger.warning("Unreadable form in %s: %s", request.path, type(error).__name__)
        return error_page(request, 400, "El formulario llegó mal formado. Vuelva a la página e inténtelo de nuevo.")
    return None


# --- login and logout -------------------------------------------------------------
def _login_form(request: web.Request, status: int = 200, error: str = "", username: str = "") -> web.Response:
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "entrar.html",
        status=status,
        error=error,
        nombre=username,
        csrf_entrada=token,
        siguiente=safe_next(request.query.get("siguiente")),
    )
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


@public
async def login_page(request: web.Request) -> web.StreamResponse:
    if request.get("session"):
        raise web.HTTPSeeOther("/consola")
    return _login_form(request)


@public
async def login(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    form = await request.post()
    username = str(form.get("usuario", ""))[:64]
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not secrets.compare_digest(str(form.get("csrf_entrada", "")), cookie):
        return _login_form(request, 403, "El formulario venció. Inténtelo de nuevo.", username)
    try:
        address = client_address(request.remote, request.headers.get(REAL_IP_HEADER)) or ""
        user = await run(ctx.accounts.authenticate, username, str(form.get("clave", "")), address)
    except TooManyAttempts as error:
        return _login_form(request, 429, str(error), username)
    except AccountError as error:
        return _login_form(request, 401, str(error), username)
    token = await run(ctx.accounts.open_session, user)
    await run(ctx.accounts.audit, user.username, "entrar")
    response = web.HTTPSeeOther(safe_next(str(form.get("siguiente", ""))))
    set_cookie(request, response, SESSION_COOKIE, token, max_age=12 * 3600)
    response.del_cookie(LOGIN_CSRF_COOKIE, path=COOKIE_PATH)
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    if request["session"] is not None:
        await run(ctx.presence.leave, request["session"].user.username)
    await run(ctx.accounts.close_session, request.cookies.get(SESSION_COOKIE, ""))
    response = web.HTTPSeeOther("/consola/entrar")
    response.del_cookie(SESSION_COOKIE, path=COOKIE_PATH)
    raise response
