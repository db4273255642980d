"""What a run writes under .state is the owner's only: folders 0700, files 0600."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from protheus.common.paths import Project
from protheus.common.private_files import keep_private, open_private, private_dir, secure_state, write_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_folders_are_created_owner_only_with_the_ones_above(tmp_path):
    folder = private_dir(tmp_path / "estado" / "logs")
    assert mode(folder) == 0o700 and mode(folder.parent) == 0o700


def test_an_existing_open_folder_is_tightened(tmp_path):
    folder = tmp_path / "estado"
    folder.mkdir(mode=0o755)
    folder.chmod(0o775)
    private_dir(folder)
    assert mode(folder) == 0o700


def test_files_are_written_owner_only_even_over_an_open_one(tmp_path):
    path = tmp_path / "estado" / "secreto"
    path.parent.mkdir()
    path.write_text("antes", encoding="utf-8")
    path.chmod(0o644)
    write_private(path, "después")
    assert path.read_text(encoding="utf-8") == "después" and mode(path) == 0o600
    with open_private(tmp_path / "estado" / "nuevo.log") as handle:
        handle.write("línea\n")
    assert mode(tmp_path / "estado" / "nuevo.log") == 0o600


def test_secure_state_tightens_what_an_older_run_left(tmp_path):
    project = Project(tmp_path)
    project.state.mkdir(mode=0o755)
    project.state.chmod(0o755)
    (project.state / "protheus.db").write_text("", encoding="utf-8")
    (project.state / "protheus.db").chmod(0o644)
    (project.state / "evaluaciones").mkdir()
    (project.state / "evaluaciones").chmod(0o755)
    secure_state(project)
    assert mode(project.state) == 0o700 and mode(project.logs) == 0o700
    assert mode(project.state / "protheus.db") == 0o600 and mode(project.state / "evaluaciones") == 0o700


def test_keep_private_makes_what_the_process_creates_owner_only(tmp_path):
    previous = os.umask(0o022)
    try:
        keep_private(Project(tmp_path))
        (tmp_path / "creado.txt").write_text("", encoding="utf-8")
        (tmp_path / "carpeta").mkdir()
    finally:
        os.umask(previous)
    assert mode(tmp_path / ".state") == 0o700
    assert mode(tmp_path / "creado.txt") == 0o600 and mode(tmp_path / "carpeta") == 0o700
