"""Import customers from a CSV file, reporting each bad row instead of failing.

Columns (header row, any order): codigo, nombre, pais, plan, facilitador_nombre, facilitador_email.
`plan` is `estandar` or `prime` ("estándar" is accepted).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from protheus.common.vocabulary import Plan
from protheus.db.customers import CustomerInfo, CustomerStore
from protheus.db.database import Database

REQUIRED = ("codigo", "nombre", "plan")
CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,31}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PLANS = {"estandar": Plan.STANDARD, "estándar": Plan.STANDARD, "prime": Plan.PRIME}


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[str] = field(default_factory=list)


def parse_row(row: dict[str, str]) -> CustomerInfo:
    """A validated customer from one CSV row; ValueError with a Spanish reason otherwise."""
    value = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
    missing = [c for c in REQUIRED if not value.get(c)]
    if missing:
        raise ValueError(f"faltan datos obligatorios: {', '.join(missing)}")
    code = value["codigo"].upper()
    if not CODE.match(code):
        raise ValueError(f"código de cliente no válido: {value['codigo']!r}")
    plan = PLANS.get(value["plan"].lower())
    if plan is None:
        raise ValueError(f"plan desconocido {value['plan']!r} (use estandar o prime)")
    email = value.get("facilitador_email") or None
    if email and not EMAIL.match(email):
        raise ValueError(f"correo del facilitador no válido: {email!r}")
    return CustomerInfo(
        code, value["nombre"], value.get("pais", ""), plan, value.get("facilitador_nombre") or None, email
    )


def import_customers(path: Path, db: Database) -> ImportReport:
    report, customers = ImportReport(), CustomerStore(db)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        report.errors.append(f"No se pudo abrir {path}: {error.strerror}")
        return report
    with handle:
        reader = csv.DictReader(handle)
        header = {h.strip().lower() for h in reader.fieldnames or []}
        if not set(REQUIRED) <= header:
            report.errors.append(f"El encabezado debe incluir: {', '.join(REQUIRED)}")
            return report
        for line, row in enumerate(reader, start=2):
            try:
                customers.upsert(parse_row(row))
                report.imported += 1
            except ValueError as error:
                report.errors.append(f"línea {line}: {error}")
    return report
