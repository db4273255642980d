"""Importing customers from a CSV file: bad rows are reported, good ones kept."""

from pathlib import Path

from protheus.common.vocabulary import Plan
from protheus.db.customers import CustomerInfo, CustomerStore
from protheus.db.customers_csv import import_customers


def test_csv_import_reports_bad_rows_and_keeps_good_ones(db, tmp_path: Path):
    csv_file = tmp_path / "clientes.csv"
    csv_file.write_text(
        "codigo,nombre,pais,plan,facilitador_nombre,facilitador_email\n"
        "MX001,Ferretería López,México,prime,Ana,ana@ferre.mx\n"
        "CO002,Textiles Bogotá,Colombia,estándar,,\n"
        ",Sin código,Perú,prime,,\n"
        "AR003,Plan raro,Argentina,oro,,\n"
        "CL004,Mal correo,Chile,prime,Luis,luis-at-x\n",
        encoding="utf-8",
    )
    report = import_customers(csv_file, db)
    assert report.imported == 2
    assert [e.split(":")[0] for e in report.errors] == ["línea 4", "línea 5", "línea 6"]
    customers = CustomerStore(db)
    assert customers.get("MX001") == CustomerInfo(
        "MX001", "Ferretería López", "México", Plan.PRIME, "Ana", "ana@ferre.mx"
    )
    assert customers.get("CO002").plan is Plan.STANDARD


def test_csv_import_missing_file_is_reported(db, tmp_path: Path):
    report = import_customers(tmp_path / "no-existe.csv", db)
    assert report.imported == 0 and "No se pudo abrir" in report.errors[0]


def test_import_cli_reports_row_errors_in_spanish(tmp_path: Path):
    import os
    import subprocess
    import sys

    from protheus.common.paths import PROJECT
    from protheus.db.database import Database

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    csv_file = tmp_path / "c.csv"
    csv_file.write_text("codigo,nombre,plan\nPE010,Minera Andes,prime\nPE011,Sin plan,\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "protheus.db", "import-customers", str(csv_file)],
        cwd=PROJECT.root,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": url},
        timeout=120,
    )
    assert result.returncode == 1
    assert "Clientes importados: 1" in result.stdout
    assert "línea 3: faltan datos obligatorios: plan" in result.stderr
    customers = CustomerStore(Database(url))
    assert customers.get("PE010").is_prime and customers.get("PRIME01") is not None  # demo customers too
