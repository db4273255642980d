"""Where the project's files live: the one module that knows the layout of the repository.

`Project` names every folder and file a run reads or writes relative to a root, so the
tests can train and serve from a copy of the repository; `PROJECT` is the repository
itself. Nothing here reads the environment (that is protheus.common.settings).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parents[2]
_PACKAGE = SOURCE_ROOT / "protheus"
# The NLU components' code is part of what a model is trained from: the components
# (protheus/rasa_server/nlu) and the readings they share with the other programs.
NLU_CODE_FILES = (
    *sorted((_PACKAGE / "rasa_server" / "nlu").glob("*.py")),
    *(_PACKAGE / "support" / f"{name}.py" for name in ("error_log", "customer_words", "routines", "answer_values")),
    _PACKAGE / "common" / "answer_examples.py",
)
# shared/ lies beside the working copy: the guideline document and the intent catalogue.
GUIDELINE_FILE = SOURCE_ROOT.parent / "shared" / "seeds" / "000_da23197a42e3a1b6.txt"
CATALOGUE_FILE = SOURCE_ROOT.parent / "shared" / "spec" / "intents.yml"


@dataclass(frozen=True)
class Project:
    """The repository's folders (or those of a copy of it)."""

    root: Path = SOURCE_ROOT

    # --- what a model is trained from ---------------------------------------------------
    @property
    def config(self) -> Path:
        return self.root / "config.yml"

    @property
    def domain(self) -> Path:
        return self.root / "domain"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def nlu(self) -> Path:
        return self.data / "nlu"

    @property
    def test_split(self) -> Path:
        """Labelled messages that are never trained on (evaluation/nlu)."""
        return self.root / "evaluation" / "nlu"

    # --- data the bot reads at run time ---------------------------------------------------
    @property
    def routing(self) -> Path:
        return self.root / "routing.yml"

    @property
    def messages(self) -> Path:
        return self.root / "mensajes.yml"

    @property
    def routines(self) -> Path:
        """Protheus routines and their modules, for pasted error logs."""
        return self.root / "rutinas.yml"

    @property
    def answers(self) -> Path:
        """Labelled answers to the forms' questions: the answer reader's training data."""
        return self.root / "data" / "respuestas"

    @property
    def heldout_answers(self) -> Path:
        """Labelled answers never trained or tuned on: the answer reader's held-out split."""
        return self.root / "evaluation" / "respuestas"

    @property
    def endpoints_template(self) -> Path:
        return self.root / "endpoints.yml"

    @property
    def credentials(self) -> Path:
        return self.root / "credentials.yml"

    @property
    def web(self) -> Path:
        """The support page's own files."""
        return self.root / "web"

    @property
    def node_modules(self) -> Path:
        """The chat widget and React, installed by `npm ci`."""
        return self.root / "node_modules"

    # --- what runs write (git-ignored) ----------------------------------------------------
    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def state(self) -> Path:
        """Tokens, generated endpoint files, status files, the SQLite database."""
        return self.root / ".state"

    @property
    def logs(self) -> Path:
        return self.state / "logs"

    @property
    def evaluations(self) -> Path:
        """Confusion matrices of the registered models."""
        return self.state / "evaluaciones"


PROJECT = Project()


def rasa_executable() -> str:
    """The `rasa` command of the running interpreter's environment (.venv)."""
    return str(Path(sys.executable).with_name("rasa"))
