"""The project installs as a wheel: every module imports from a fresh environment, and the
package data (console templates, migrations) is inside it and works."""

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from protheus.common.paths import PROJECT

CHECK = r"""
import importlib, json, sys
from pathlib import Path

site = Path(sys.argv[1])
modules = json.loads(sys.argv[2])
outside = []
for name in modules:
    module = importlib.import_module(name)
    if not Path(module.__file__).resolve().is_relative_to(site):
        outside.append(f"{name}: {module.__file__}")
assert not outside, outside

from protheus.db import prepare
from protheus.db.database import Database
from protheus.webapp.console.context import make_templates

db = Database(f"sqlite:///{sys.argv[3]}")
assert prepare(db) == 2  # every migration of the wheel ran and the demo customers are in
page = make_templates("America/Mexico_City").get_template("error.html")
print("ok", len(modules))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from a copy of the sources, so that the checkout gets no build/ folder."""
    source = tmp_path_factory.mktemp("fuente")
    for name in ("protheus",):
        shutil.copytree(PROJECT.root / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT.root / "pyproject.toml", source)
    out = tmp_path_factory.mktemp("rueda")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    [found] = out.glob("*.whl")
    return found


def test_the_wheel_holds_every_module_and_its_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = {
        str(p.relative_to(PROJECT.root))
        for folder in ("protheus",)
        for p in (PROJECT.root / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert sources <= names, sorted(sources - names)


def test_every_module_imports_from_a_fresh_environment(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    # The dependencies come from the project's environment (a path entry: its .pth files,
    # the editable install among them, are not run).
    (site / "dependencias.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    modules = sorted(
        ".".join(p.relative_to(site).with_suffix("").parts).removesuffix(".__init__")
        for folder in ("protheus",)
        for p in (site / folder).rglob("*.py")
        if "migrations" not in p.parts and p.name != "__main__.py"
    )
    result = subprocess.run(
        [str(python), "-c", CHECK, str(site.resolve()), json.dumps(modules), str(tmp_path / "x.db")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.strip() == f"ok {len(modules)}" and len(modules) > 40
