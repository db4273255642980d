"""Owner-only files and folders for what a run writes under .state: the Rasa token, the action
server's secret, the endpoints files (database URLs with passwords), the SQLite database with
the customers' conversations, the status files and the logs.

Two layers: the launchers give the processes they start (and themselves) a umask of 077, so
whatever Rasa, SQLite or the web app creates is the owner's only; and the files that hold a
secret are opened 0600 here whatever the umask, in folders that are 0700 (an existing folder
or file with looser modes, from before, is tightened).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TextIO

from protheus.common.paths import PROJECT, Project

PRIVATE_UMASK = 0o077
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def tighten(path: Path) -> None:
    """Take group's and others' permissions away from an existing file or folder."""
    mode = stat.S_IMODE(path.lstat().st_mode)
    if mode & PRIVATE_UMASK and not path.is_symlink():
        path.chmod(mode & ~PRIVATE_UMASK)


def private_dir(path: Path) -> Path:
    """`path` as an owner-only folder (0700), with the folders above it that it had to create."""
    if not path.parent.exists():
        private_dir(path.parent)
    try:
        path.mkdir(mode=PRIVATE_DIR_MODE)
    except FileExistsError:
        tighten(path)
    return path


def open_private(path: Path) -> TextIO:
    """`path` opened for writing (truncated), 0600 even if it existed with looser modes."""
    private_dir(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    os.fchmod(descriptor, PRIVATE_FILE_MODE)
    return os.fdopen(descriptor, "w", encoding="utf-8")


def write_private(path: Path, text: str) -> Path:
    """Write `text` to an owner-only file (0600)."""
    with open_private(path) as handle:
        handle.write(text)
    return path


def secure_state(project: Project = PROJECT) -> None:
    """.state and its logs folder 0700, and everything already in .state tightened: the
    database, tokens and logs of a run from before these modes were kept."""
    private_dir(project.state)
    private_dir(project.logs)
    for folder, dirs, files in os.walk(project.state):
        for name in [*dirs, *files]:
            tighten(Path(folder) / name)


def keep_private(project: Project = PROJECT) -> None:
    """For a launcher (`make run`): what this process and its children create is owner-only."""
    os.umask(PRIVATE_UMASK)
    secure_state(project)
