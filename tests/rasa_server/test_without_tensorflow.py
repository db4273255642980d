"""A model that uses no TensorFlow is served without loading it (issue 26: about 430 MB of each
replica), and a model that needs it is never served by such a process."""

import io
import json
import subprocess
import sys
import tarfile

import pytest

from protheus.rasa_server import without_tensorflow
from tests.server_fixture import served_model


def fake_model(path, components: list[str]):
    data = json.dumps({"predict_schema": {"nodes": {f"n{i}": {"uses": c} for i, c in enumerate(components)}}})
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("metadata.json")
        info.size = len(data.encode())
        archive.addfile(info, io.BytesIO(data.encode()))
    return path


def test_which_models_need_tensorflow():
    ours = without_tensorflow.model_components(served_model())
    assert "rasa.core.policies.rule_policy.RulePolicy" in ours and not without_tensorflow.needs_tensorflow(ours)
    assert without_tensorflow.needs_tensorflow({"rasa.nlu.classifiers.diet_classifier.DIETClassifier"})
    assert without_tensorflow.needs_tensorflow({"rasa.core.policies.ted_policy.TEDPolicy"})
    assert without_tensorflow.needs_tensorflow({"otro_paquete.Clasificador"})  # unknown: it may


def test_only_serving_a_model_without_tensorflow_leaves_it_out(tmp_path):
    diet = fake_model(tmp_path / "diet.tar.gz", ["rasa.nlu.classifiers.diet_classifier.DIETClassifier"])
    assert not without_tensorflow.install_for(["train"], always_load=False)
    assert not without_tensorflow.install_for(["run", "--model", str(diet)], always_load=False)
    assert not without_tensorflow.install_for(["run", "--model", str(served_model())], always_load=True)


SERVE = r"""
import asyncio, sys
from protheus.rasa_server import without_tensorflow
assert without_tensorflow.install_for(["run", "--model", sys.argv[1]], always_load=False)
from protheus.rasa_server import patches
patches.install()
from rasa.core.agent import Agent, load_agent

async def main():
    agent = await load_agent(model_path=sys.argv[1])
    parsed = await agent.parse_message("¿qué es el soporte prime?")
    try:
        agent.load_model(sys.argv[2])
        refused = "no"
    except RuntimeError as error:
        refused = str(error)
    maps = open("/proc/self/maps").read()
    print(parsed["intent"]["name"], "libtensorflow" in maps, refused, sep="|")

asyncio.run(main())
"""


@pytest.mark.server
def test_the_served_model_answers_without_tensorflow_and_a_model_that_needs_it_is_refused(tmp_path):
    diet = fake_model(tmp_path / "diet.tar.gz", ["rasa.nlu.classifiers.diet_classifier.DIETClassifier"])
    done = subprocess.run(
        [sys.executable, "-c", SERVE, str(served_model()), str(diet)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    intent, loaded, refused = done.stdout.strip().splitlines()[-1].split("|")
    assert intent == "info_prime" and loaded == "False"
    assert "usa TensorFlow" in refused and "TENSORFLOW_SIEMPRE" in refused
