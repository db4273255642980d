"""POST /encuesta: the web chat's survey card sends the score with the tab's chat session."""

import asyncio

import pytest

from protheus.common import chat_sessions
from protheus.common.messages import survey_texts
from protheus.common.rate_counters import MemoryCounter
from protheus.common.vocabulary import AttendedBy
from protheus.db.satisfaction import SatisfactionStore
from protheus.webapp.survey_answers import ANSWER_COUNTER, ANSWERS_PER_HOUR
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


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_one_address_answers_a_limited_number_of_surveys_an_hour(db, status_file):
    """Issue 24, finding 12: unlimited new conversations could stuff the satisfaction figures."""
    surveys = SatisfactionStore(db)
    asked = [(f"web-{n}", surveys.ask(f"web-{n}", AttendedBy.ASSISTANT, 0.0)) for n in range(ANSWERS_PER_HOUR + 2)]

    async def scenario():
        async with console(db, status_file) as c:
            clock = Clock()
            counter = c.client.server.app[ANSWER_COUNTER]
            assert isinstance(counter, MemoryCounter) and counter.window_seconds == 3600
            counter.clock = clock

            async def answer(sender_id, survey):
                body = {"sesion": chat_sessions.issue(sender_id), "encuesta": survey.survey_id, "puntos": 1}
                response = await c.client.post("/encuesta", json=body, headers={"Origin": c.origin})
                return response.status, await response.json()

            for sender_id, survey in asked[:ANSWERS_PER_HOUR]:
                assert (await answer(sender_id, survey))[0] == 200
            status, refused = await answer(*asked[ANSWERS_PER_HOUR])
            assert (status, refused["mensaje"]) == (429, survey_texts()["demasiadas"])
            assert SatisfactionStore(db).of_conversation(asked[ANSWERS_PER_HOUR][0])[0].score is None
            clock.now += 3600
            assert (await answer(*asked[ANSWERS_PER_HOUR + 1]))[0] == 200

    asyncio.run(scenario())


def test_bodies_without_a_valid_session_are_not_counted(db, status_file):
    survey = SatisfactionStore(db).ask("web-1", AttendedBy.ASSISTANT, 0.0)

    async def scenario():
        async with console(db, status_file) as c:
            for _ in range(ANSWERS_PER_HOUR + 1):
                forged = {"sesion": "x.y.z", "encuesta": survey.survey_id, "puntos": 1}
                assert (await c.client.post("/encuesta", json=forged, headers={"Origin": c.origin})).status == 400
            good = {"sesion": chat_sessions.issue("web-1"), "encuesta": survey.survey_id, "puntos": 4}
            assert (await c.client.post("/encuesta", json=good, headers={"Origin": c.origin})).status == 200

    asyncio.run(scenario())
