"""Train only when the data changed; keep track of the active model.

A model is named after the hash of everything it is trained from, so
`make run` can tell whether the data, domain or config changed without
asking Rasa to load anything.
"""
from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Iterable, Optional

from protheus.paths import NLU_CODE_DIR, PROJECT, rasa_executable

ROOT = PROJECT.root
CONFIG_FILE, DATA_DIR, DOMAIN_DIR, MODELS_DIR = PROJECT.config, PROJECT.data, PROJECT.domain, PROJECT.models

ACTIVE_FILE = MODELS_DIR / "ACTIVE"
MODEL_PREFIX = "protheus-"


def training_inputs(config: Path = CONFIG_FILE, data: Path = DATA_DIR, domain: Path = DOMAIN_DIR) -> list[Path]:
    """Every file whose content determines the trained model, our NLU components included."""
    files = [config, *sorted(NLU_CODE_DIR.glob("*.py"))]
    for folder in (data, domain):
        files += sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml"))
    return files


def fingerprint(files: Iterable[Path], root: Path = ROOT) -> str:
    """A short hash of the files' paths (relative to the project, or else to the code) and contents."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(root if path.is_relative_to(root) else ROOT)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path_for(config: Path = CONFIG_FILE) -> Path:
    return MODELS_DIR / f"{MODEL_PREFIX}{fingerprint(training_inputs(config))}.tar.gz"


def marked_model(models_dir: Optional[Path] = None) -> Optional[Path]:
    """The model named in <models_dir>/ACTIVE (default models/), if that file exists."""
    models_dir = models_dir or MODELS_DIR
    marker = models_dir / ACTIVE_FILE.name
    return models_dir / marker.read_text(encoding="utf-8").strip() if marker.exists() else None


def active_model() -> Optional[Path]:
    """The model the server and `make eval` use: models/ACTIVE, else the newest."""
    candidate = marked_model()
    if candidate is not None and candidate.is_file():
        return candidate
    models = sorted(MODELS_DIR.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def activate(model: Path) -> None:
    """Mark the model as the one to serve, in the ACTIVE file beside it."""
    model.parent.mkdir(parents=True, exist_ok=True)
    (model.parent / ACTIVE_FILE.name).write_text(model.name + "\n", encoding="utf-8")


def train(config: Path = CONFIG_FILE, force: bool = False) -> Path:
    """Train (if needed) and activate the model for the current data."""
    target = model_path_for(config)
    if target.exists() and not force:
        print(f"El modelo está al día con los datos: {target.relative_to(ROOT)}")
    else:
        print("Los datos cambiaron: entrenando un modelo nuevo (unos minutos)...", flush=True)
        command = [
            rasa_executable(), "train",
            "--config", str(config),
            "--domain", str(DOMAIN_DIR),
            "--data", str(DATA_DIR),
            "--out", str(MODELS_DIR),
            "--fixed-model-name", target.name.removesuffix(".tar.gz"),
        ]
        result = subprocess.run(command, cwd=ROOT)
        if result.returncode != 0 or not target.exists():
            sys.exit("El entrenamiento falló: revise los mensajes de arriba.")
    activate(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description="Entrena el modelo si los datos cambiaron.")
    parser.add_argument("--force", action="store_true", help="entrenar aunque el modelo esté al día")
    args = parser.parse_args()
    model = train(force=args.force)
    print(f"Modelo activo: {model.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
