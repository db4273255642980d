"""The satisfaction survey on SQLite and PostgreSQL: asked once per session, answered once,
only for the conversation it was asked in."""

import pytest

from protheus.common.vocabulary import AttendedBy
from protheus.db.satisfaction import SatisfactionStore, SurveyError, attended_by, session_started_at


@pytest.fixture
def surveys(db) -> SatisfactionStore:
    clock = iter(range(1_000, 2_000, 10))
    return SatisfactionStore(db, clock=lambda: float(next(clock)))


def test_asked_once_per_session_and_again_in_the_next(surveys):
    first = surveys.ask("web-1", AttendedBy.ASSISTANT, session_start=0.0)
    assert first is not None and first.attended_by is AttendedBy.ASSISTANT and len(first.survey_id) >= 16
    assert surveys.ask("web-1", AttendedBy.AGENT, session_start=0.0) is None
    assert surveys.ask("web-2", AttendedBy.ASSISTANT, session_start=0.0) is not None  # another conversation
    later = surveys.ask("web-1", AttendedBy.AGENT, session_start=1_500.0, handoff_id="D1")
    assert later is not None and later.handoff_id == "D1"
    assert [s.survey_id for s in surveys.of_conversation("web-1")] == [first.survey_id, later.survey_id]


def test_an_answer_is_kept_once_and_only_for_its_conversation(surveys):
    survey = surveys.ask("web-1", AttendedBy.AGENT, session_start=0.0)
    with pytest.raises(SurveyError) as other:
        surveys.answer(survey.survey_id, "web-otra", 5)
    assert other.value.key == "no_valida"
    kept = surveys.answer(survey.survey_id, "web-1", 4, "  Muy amable <b>gracias</b> ")
    assert (kept.score, kept.comment) == (4, "Muy amable <b>gracias</b>")
    with pytest.raises(SurveyError) as twice:
        surveys.answer(survey.survey_id, "web-1", 1)
    assert twice.value.key == "ya_respondida" and surveys.of_conversation("web-1")[0].score == 4


@pytest.mark.parametrize("score", [0, 6, "5", None, True, 4.5])
def test_only_a_whole_score_from_one_to_five(surveys, score):
    survey = surveys.ask("web-1", AttendedBy.ASSISTANT, session_start=0.0)
    with pytest.raises(SurveyError) as error:
        surveys.answer(survey.survey_id, "web-1", score)
    assert error.value.key == "elija_puntos"


def test_a_comment_past_the_limit_is_refused(surveys):
    survey = surveys.ask("web-1", AttendedBy.ASSISTANT, session_start=0.0)
    with pytest.raises(SurveyError) as error:
        surveys.answer(survey.survey_id, "web-1", 3, "x" * 1001)
    assert error.value.key == "comentario_largo"


def test_who_attended_is_read_from_the_session_s_events():
    events = [
        {"event": "session_started", "timestamp": 10.0},
        {"event": "bot", "timestamp": 11.0, "metadata": {"agente": "ana"}},
        {"event": "session_started", "timestamp": 20.0},
        {"event": "bot", "timestamp": 21.0, "metadata": {}},
    ]
    assert session_started_at(events) == 20.0 and session_started_at([]) == 0.0
    assert attended_by(events, 20.0) is AttendedBy.ASSISTANT
    assert attended_by(events, 10.0) is AttendedBy.AGENT
