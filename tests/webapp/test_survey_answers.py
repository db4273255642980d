"""POST /encuesta: the web chat's survey card sends the score with the tab's chat session."""

import asyncio

import pytest

from protheus.common import chat_sessions
from protheus.common.messages import survey_texts
from protheus.common.vocabulary import AttendedBy
from protheus.db.satisfaction import SatisfactionStore
from tests.webapp.console.console_client import console, write_status


@pytest.fixture
def status_file(tmp_path):
    path = tmp_path / "tracker-store.json"
    write_status(path)
    return path


def post(db, status_file, body, origin=None, raw=None):
    async def scenario():
        async with console(db, status_file) as c:
            headers = {"Origin": origin or c.origin}
            response = await c.client.post("/encuesta", json=body if raw is None else None, data=raw, headers=headers)
            return response.status, await response.json()

    return asyncio.run(scenario())


def test_the_customer_s_score_and_comment_are_kept(db, status_file):
    survey = SatisfactionStore(db).ask("web-1", AttendedBy.AGENT, 0.0, "D1")
    token = chat_sessions.issue("web-1")
    body = {"sesion": token, "encuesta": survey.survey_id, "puntos": 5, "comentario": "Excelente atención"}
    status, answer = post(db, status_file, body)
    assert (status, answer) == (200, {"ok": True, "mensaje": survey_texts()["gracias"]})
    assert SatisfactionStore(db).of_conversation("web-1")[0].score == 5
    status, answer = post(db, status_file, body)
    assert status == 409 and answer["mensaje"] == survey_texts()["ya_respondida"]


def test_another_conversation_s_session_or_a_forged_one_cannot_answer(db, status_file):
    survey = SatisfactionStore(db).ask("web-1", AttendedBy.ASSISTANT, 0.0)
    other = {"sesion": chat_sessions.issue("web-otra"), "encuesta": survey.survey_id, "puntos": 1}
    assert post(db, status_file, other)[0] == 404
    forged = {"sesion": "x.y.z", "encuesta": survey.survey_id, "puntos": 1}
    assert post(db, status_file, forged) == (400, {"ok": False, "mensaje": survey_texts()["no_valida"]})
    good = {"sesion": chat_sessions.issue("web-1"), "encuesta": survey.survey_id, "puntos": 1}
    assert post(db, status_file, good, origin="http://evil.example")[0] == 403
    assert post(db, status_file, None, raw=b"\xff\xfe no es json")[0] == 400
    assert post(db, status_file, {**good, "puntos": 9}) == (
        400,
        {"ok": False, "mensaje": survey_texts()["elija_puntos"]},
    )
    assert SatisfactionStore(db).of_conversation("web-1")[0].score is None
