"""Training runs: a run whose process died does not block the next."""

import pytest

from protheus.common.paths import Project
from tests.conftest import copy_project


@pytest.fixture
def project(tmp_path) -> Project:
    return copy_project(tmp_path)


def test_a_run_whose_process_died_does_not_block_the_next(db, project):
    from protheus.trainer.runs import STALE_AFTER, TrainingRuns

    runs = TrainingRuns(db, project)
    run_id = runs.create("tere")
    runs.update(run_id, status="entrenando")
    assert runs.running().id == run_id
    assert runs.running(now=runs.get(run_id).started_at + STALE_AFTER + 1) is None
    assert runs.get(run_id).status == "fallido" and "Interrumpido" in runs.get(run_id).message
