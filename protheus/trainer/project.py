"""The folders a training run reads and writes (the repository's, or a copy in the tests)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from protheus import paths


@dataclass(frozen=True)
class Project:
    root: Path = paths.ROOT

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
        return self.root / "data" / "nlu"

    @property
    def test_split(self) -> Path:
        return self.root / "tests" / "nlu"

    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def evaluations(self) -> Path:
        return self.root / ".state" / "evaluaciones"
