"""Customers (tables `customers`, `verification_failures`): who has which plan, how a customer
proves who they are, and the demo customers of PRODUCT.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select

from protheus.common.vocabulary import Plan
from protheus.db.database import Database
from protheus.db.models import Customer, DemoDataRemoved, VerificationFailure

DEMO_CUSTOMERS: list[dict[str, Any]] = [
    dict(
        code="PRIME01",
        name="Distribuidora Andina S.A. (demo)",
        country="México",
        plan=Plan.PRIME.value,
        facilitator_name="Laura Méndez",
        facilitator_email="facilitador.prime@example.com",
    ),
    dict(
        code="STD01",
        name="Comercial del Sur Ltda. (demo)",
        country="Chile",
        plan=Plan.STANDARD.value,
        facilitator_name="Martín Rojas",
        facilitator_email="facilitador.std@example.com",
    ),
]


@dataclass(frozen=True)
class CustomerInfo:
    code: str
    name: str
    country: str
    plan: Plan
    facilitator_name: str | None = None
    facilitator_email: str | None = None

    @property
    def is_prime(self) -> bool:
        return self.plan is Plan.PRIME


def _info(row: Customer) -> CustomerInfo:
    return CustomerInfo(row.code, row.name, row.country, Plan(row.plan), row.facilitator_name, row.facilitator_email)


class CustomerStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, code: str) -> CustomerInfo | None:
        with self.db.session() as session:
            row = session.get(Customer, code.strip().upper())
            return _info(row) if row else None

    def upsert(self, info: CustomerInfo) -> None:
        with self.db.session() as session:
            row = session.get(Customer, info.code) or Customer(code=info.code)
            row.name, row.country, row.plan = info.name, info.country, Plan(info.plan).value
            row.facilitator_name, row.facilitator_email = info.facilitator_name, info.facilitator_email
            session.add(row)

    def seed_demo_customers(self) -> int:
        """Insert the demo customers that are missing, unless an operator removed them for good;
        returns how many were added."""
        added = 0
        with self.db.session() as session:
            if session.query(DemoDataRemoved.id).first() is not None:
                return 0
            for demo in DEMO_CUSTOMERS:
                if session.get(Customer, demo["code"]) is None:
                    session.add(Customer(**demo))
                    added += 1
        return added

    def remove_demo_customers(self, by: str) -> int:
        """Delete the demo customers and remember it: no start loads them again. Returns how many
        were deleted."""
        codes = [demo["code"] for demo in DEMO_CUSTOMERS]
        with self.db.session() as session:
            deleted = session.query(Customer).filter(Customer.code.in_(codes)).delete(synchronize_session=False)
            if session.query(DemoDataRemoved.id).first() is None:
                session.add(DemoDataRemoved(removed_by=by))
        return int(deleted)

    def verifies(self, code: str, email: str) -> bool:
        """True when `code` is a customer whose registered facilitator has this e-mail."""
        found = self.get(code)
        registered = (found.facilitator_email or "") if found else ""
        return bool(registered) and registered.strip().casefold() == email.strip().casefold()

    def record_failed_verification(self, address: str, at: float) -> None:
        with self.db.session() as session:
            session.add(VerificationFailure(address=address[:64], at=at))
            session.execute(delete(VerificationFailure).where(VerificationFailure.at < at - 86_400))

    def failed_verifications(self, address: str, since: float) -> int:
        with self.db.session() as session:
            query = select(func.count()).where(
                VerificationFailure.address == address[:64], VerificationFailure.at >= since
            )
            return int(session.execute(query).scalar_one())

    def codes_and_names(self) -> tuple[list[str], list[str]]:
        """Every customer code, and every customer and facilitator name (the trainers' scrubber)."""
        with self.db.session() as session:
            rows = session.execute(select(Customer.code, Customer.name, Customer.facilitator_name)).all()
        return [r.code for r in rows], [name for r in rows for name in (r.name, r.facilitator_name) if name]
