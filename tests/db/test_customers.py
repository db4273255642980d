"""Customers on SQLite and PostgreSQL: the demo customers."""

from protheus.common.vocabulary import Plan
from protheus.db.customers import CustomerInfo, CustomerStore


def test_demo_customers_are_loaded_once(db):
    customers = CustomerStore(db)
    assert customers.seed_demo_customers() == 2
    assert customers.seed_demo_customers() == 0
    assert customers.get("PRIME01").is_prime
    assert customers.get("std01").plan is Plan.STANDARD
    assert customers.get("NADIE") is None


def test_codes_and_names_for_the_scrubber(db):
    customers = CustomerStore(db)
    customers.seed_demo_customers()
    customers.upsert(CustomerInfo("MX001", "Ferretería López", "México", Plan.PRIME, "Ana Ruiz", None))
    codes, names = customers.codes_and_names()
    assert set(codes) == {"PRIME01", "STD01", "MX001"}
    assert {"Ferretería López", "Ana Ruiz", "Laura Méndez"} <= set(names) and None not in names


def test_demo_customers_only_where_asked_and_removed_for_good(db):
    from protheus.db import prepare

    store = CustomerStore(db)
    assert prepare(db, demo=False) == 0 and store.get("PRIME01") is None  # the production profile
    assert prepare(db, demo=True) == 2 and store.get("PRIME01").is_prime
    assert store.remove_demo_customers("operador") == 2
    assert prepare(db, demo=True) == 0  # a later start does not bring them back
    assert store.get("PRIME01") is None and store.get("STD01") is None
    assert not store.verifies("PRIME01", "facilitador.prime@example.com")
