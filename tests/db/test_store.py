"""SupportDB on SQLite and PostgreSQL: migrations, demo customers, hand-offs, CSV import."""
from pathlib import Path

from sqlalchemy import inspect

from protheus.db.customers_csv import import_customers
from protheus.db.store import CustomerInfo


def test_migration_creates_the_tables(db):
    tables = set(inspect(db.engine).get_table_names())
    assert {"customers", "handoffs", "alembic_version"} <= tables


def test_migrate_is_idempotent(db):
    db.migrate()
    assert "handoffs" in inspect(db.engine).get_table_names()


def test_demo_customers_are_loaded_once(db):
    assert db.seed_demo_customers() == 2
    assert db.seed_demo_customers() == 0
    assert db.get_customer("PRIME01").is_prime
    assert db.get_customer("std01").plan == "estandar"
    assert db.get_customer("NADIE") is None


def test_retry_while_open_gives_one_handoff_and_a_new_one_after_closing(db):
    first, created = db.create_handoff(sender_id="c1", channel="soporte_estandar", intent="reportar_error",
                                       slots={"modulo": "SIGAFAT"}, summary="error")
    again, created_again = db.create_handoff(sender_id="c1", channel="soporte_estandar", intent="reportar_error",
                                             slots={}, summary="otra")
    assert created and not created_again and again.id == first.id
    assert [h.id for h in db.handoffs_for("c1")] == [first.id]
    assert db.get_handoff(first.id).slots == {"modulo": "SIGAFAT"}
    assert first.status == "abierto"
    db.set_handoff_status(first.id, "cerrado")
    later, created_later = db.create_handoff(sender_id="c1", channel="soporte_estandar", intent="reportar_error",
                                             slots={}, summary="de nuevo")
    assert created_later and later.id != first.id


def test_handoff_status_transitions(db):
    info, _ = db.create_handoff(sender_id="c2", channel="agente_humano", intent="hablar_con_humano",
                                slots={}, summary="")
    taken = db.set_handoff_status(info.id, "en_curso", agent="ana")
    assert (taken.status, taken.assigned_to) == ("en_curso", "ana")
    assert db.set_handoff_status(info.id, "cerrado").status == "cerrado"


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
    assert db.get_customer("MX001") == CustomerInfo("MX001", "Ferretería López", "México", "prime", "Ana", "ana@ferre.mx")
    assert db.get_customer("CO002").plan == "estandar"


def test_csv_import_missing_file_is_reported(db, tmp_path: Path):
    report = import_customers(tmp_path / "no-existe.csv", db)
    assert report.imported == 0 and "No se pudo abrir" in report.errors[0]


def test_import_cli_reports_row_errors_in_spanish(tmp_path: Path):
    import os
    import subprocess
    import sys

    from protheus.db.store import SupportDB
    from protheus.paths import PROJECT

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    csv_file = tmp_path / "c.csv"
    csv_file.write_text("codigo,nombre,plan\nPE010,Minera Andes,prime\nPE011,Sin plan,\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "protheus.db", "import-customers", str(csv_file)], cwd=PROJECT.root,
                            capture_output=True, text=True, env={**os.environ, "DATABASE_URL": url}, timeout=120)
    assert result.returncode == 1
    assert "Clientes importados: 1" in result.stdout
    assert "línea 3: faltan datos obligatorios: plan" in result.stderr
    db = SupportDB(url)
    assert db.get_customer("PE010").is_prime and db.get_customer("PRIME01") is not None  # demo customers too
