"""The answer reader's model: the pending question is an input, it is stored without pickle, and
its training data is part of the model's fingerprint (protheus.rasa_server.nlu.answer_model, answer_reader)."""

import numpy as np
import pytest

from protheus.common.answer_examples import AnswerDataError, LabelledAnswer, read_answers
from protheus.common.paths import PROJECT
from protheus.common.vocabulary import Question
from protheus.rasa_server.nlu.answer_model import AnswerModel, IntentModel, crossed, shapes
from protheus.rasa_server.nlu.answer_reader import AnswerReader, fit, readings

# The same words mean different things under different questions.
EXAMPLES = [
    LabelledAnswer("reproduce_en_estandar", "no", "respuesta", "no"),
    LabelledAnswer("reproduce_en_estandar", "sí", "respuesta", "si"),
    LabelledAnswer("reproduce_en_estandar", "no sé", "no_sabe"),
    LabelledAnswer("codigo_cliente", "no", "otro"),
    LabelledAnswer("codigo_cliente", "STD01", "respuesta", "STD01"),
    LabelledAnswer("codigo_cliente", "no sé", "no_sabe"),
    LabelledAnswer(
        "codigo_cliente", "me equivoqué, pasa con todos", "correccion", "no", corrects="solo_registros_especificos"
    ),
]


def vectors(n: int) -> np.ndarray:
    return np.zeros((n, 4), dtype=np.float32)


@pytest.fixture(scope="module")
def model() -> AnswerModel:
    return fit(EXAMPLES, vectors(len(EXAMPLES)), IntentModel(), {"C": 100.0})


def test_the_question_is_an_input(model):
    found = readings(model, IntentModel(), ["reproduce_en_estandar", "codigo_cliente"], "no", vectors(1)[0])
    assert max(found["reproduce_en_estandar"], key=found["reproduce_en_estandar"].get) == "no"
    assert max(found["codigo_cliente"], key=found["codigo_cliente"].get) == "otro"
    assert "sobre" in found  # which question a correction would be about


def test_words_and_shapes_are_crossed_with_the_question():
    assert "codigo_cliente|#codigo" in crossed("codigo_cliente", "es el STD01")
    assert "modulo|no se" in crossed("modulo", "No sé")  # folded: accents and capitals do not count
    assert {"codigo", "correo", "pregunta"} <= set(shapes("¿STD01 o ana@empresa.com?"))


def test_stored_as_arrays_and_read_back_the_same(model, tmp_path):
    model.save(tmp_path)
    assert not list(tmp_path.glob("*.pkl"))
    again = AnswerModel.load(tmp_path)
    texts = ["no", "STD01", "no sé"]
    assert again.predict(["codigo_cliente"] * 3, texts, vectors(3), np.zeros((3, 0))) == model.predict(
        ["codigo_cliente"] * 3, texts, vectors(3), np.zeros((3, 0))
    )


def test_a_change_to_the_labelled_answers_retrains_the_reader(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "data" / "respuestas"
    folder.mkdir(parents=True)
    (folder / "a.yml").write_text("respuestas: []\n", encoding="utf-8")
    before = AnswerReader.fingerprint_addon({"data": "data/respuestas"})
    (folder / "a.yml").write_text('respuestas:\n- {pregunta: modulo, tipo: otro, texto: "hola"}\n', encoding="utf-8")
    assert AnswerReader.fingerprint_addon({"data": "data/respuestas"}) != before


@pytest.mark.parametrize(
    "line, why",
    [
        ('{pregunta: nada, tipo: otro, texto: "x"}', "la pregunta «nada» no existe"),
        ('{pregunta: modulo, tipo: quizas, texto: "x"}', "el tipo «quizas» no existe"),
        ('{pregunta: reproduce_en_estandar, tipo: respuesta, texto: "x"}', "valor «si» o «no»"),
        ('{pregunta: modulo, tipo: pregunta, texto: "x"}', "una pregunta lleva tema"),
        ('{pregunta: codigo_cliente, tipo: correccion, texto: "x"}', "«corrige»"),
        ('{pregunta: modulo, tipo: nueva_solicitud, texto: "x"}', "«intencion»"),
    ],
)
def test_a_labelled_answer_that_breaks_the_schema_is_named_in_spanish(tmp_path, line, why):
    path = tmp_path / "malo.yml"
    path.write_text(f"respuestas:\n- {line}\n", encoding="utf-8")
    with pytest.raises(AnswerDataError, match=why) as error:
        read_answers([path])
    assert "malo.yml, ejemplo 1" in str(error.value)


def test_the_training_and_held_out_answers_are_apart_and_a_third_is_held_out():
    training = read_answers([PROJECT.answers])
    held_out = read_answers([PROJECT.heldout_answers])
    assert len(training) + len(held_out) >= 600
    assert 0.30 <= len(held_out) / (len(training) + len(held_out)) <= 0.40
    assert not {a.text.lower() for a in training} & {a.text.lower() for a in held_out}
    for answers in (training, held_out):
        assert {a.question for a in answers} == set(Question.values())
        assert len({a.country for a in answers}) >= 15
