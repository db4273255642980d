"""POST /encuesta: the customer's answer to the satisfaction survey, from the web chat's card.

The page sends its signed chat session with the answer; it is kept only for the conversation
that session names and the survey asked there (protheus.db.satisfaction). An address may send
ANSWERS_PER_HOUR answers with a valid session: anyone can open new conversations, and their
answers would otherwise stuff the satisfaction figures. Every reply is JSON with a Spanish
`mensaje` the card shows.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

import redis
from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from protheus.common import chat_sessions
from protheus.common.addresses import REAL_IP_HEADER, client_address
from protheus.common.messages import survey_texts
from protheus.common.rate_counters import RateCounter, counter
from protheus.common.settings import page_origins
from protheus.db.satisfaction import MAX_COMMENT, SurveyError
from protheus.webapp.console.context import CONSOLE
from protheus.webapp.console.views import run

logger = logging.getLogger(__name__)
ROUTE = "/encuesta"
MAX_BODY = 8 * 1024
ANSWERS_PER_HOUR = 20  # of one address; a customer answers once a conversation
HOUR = 3600
ANSWER_COUNTER: web.AppKey[RateCounter] = web.AppKey("survey_answer_counter")


def setup(app: web.Application) -> None:
    """The route, and the counter of answers per address (in the shared Redis when there is one)."""
    app[ANSWER_COUNTER] = counter("protheus:encuestas:", HOUR)
    app.router.add_post(ROUTE, answer_survey)


def _reply(status: int, key: str, **values: object) -> web.Response:
    text = str(survey_texts()[key]).format(**values)
    return web.json_response(
        {"ok": status == 200, "mensaje": text}, status=status, dumps=lambda d: json.dumps(d, ensure_ascii=False)
    )


def _allowed_origin(request: web.Request) -> bool:
    """Only the support page (this server, PUBLIC_URL or CORS_ORIGINS) may answer."""
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host or origin in page_origins()


async def _body(request: web.Request) -> dict | None:
    if request.content_length is not None and request.content_length > MAX_BODY:
        return None
    try:
        raw = await request.content.read(MAX_BODY + 1)
        data = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_BODY else None
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _within_limit(request: web.Request) -> bool:
    """Counts one answer of the request's address; False past ANSWERS_PER_HOUR. A failing Redis
    never stops a customer: the answer goes through and the failure is logged."""
    try:
        address = client_address(request.remote, request.headers.get(REAL_IP_HEADER)) or ""
        return request.app[ANSWER_COUNTER].hit(address) <= ANSWERS_PER_HOUR
    except redis.RedisError:
        logger.warning("Could not count the survey answers of %s", request.remote, exc_info=True)
        return True


async def answer_survey(request: web.Request) -> web.Response:
    if not _allowed_origin(request):
        return _reply(403, "no_valida")
    data = await _body(request)
    session = chat_sessions.verify(data.get("sesion")) if data else None
    if data is None or session is None or not isinstance(data.get("encuesta"), str):
        return _reply(400, "no_valida")
    if not _within_limit(request):
        return _reply(429, "demasiadas")
    store = request.app[CONSOLE].satisfaction
    try:
        await run(store.answer, data["encuesta"], session.session_id, data.get("puntos"), data.get("comentario"))
    except SurveyError as error:
        status = {"ya_respondida": 409, "no_valida": 404}.get(error.key, 400)
        return _reply(status, error.key, maximo=MAX_COMMENT)
    except SQLAlchemyError:
        logger.exception("Could not keep a survey answer")
        return _reply(503, "sin_conexion")
    return _reply(200, "gracias")
