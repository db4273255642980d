"""Every intent of the catalogue exists in the domain, the data, the rules and the routing."""

from collections import Counter

import yaml

from protheus.common.paths import PROJECT
from tests.conftest import normalise

MIN_EXAMPLES = 25
MIN_TEST_EXAMPLES = 10
CHANNELS = ["soporte_estandar", "soporte_prime", "consultoria_remota", "agente_humano", "externo"]


def _counts(data) -> Counter:
    return Counter(m.get("intent") for m in data.intent_examples)


def test_every_catalogue_intent_is_in_the_domain(catalogue, domain):
    missing = sorted(set(catalogue) - set(domain.intents))
    assert not missing, f"intenciones del catálogo ausentes del dominio: {missing}"


def test_every_catalogue_intent_has_enough_training_examples(catalogue, training_data):
    counts = _counts(training_data)
    short = {name: counts[name] for name in catalogue if counts[name] < MIN_EXAMPLES}
    assert not short, f"intenciones con menos de {MIN_EXAMPLES} ejemplos: {short}"


def test_every_catalogue_intent_is_in_the_test_split(catalogue, test_split):
    counts = _counts(test_split)
    short = {name: counts[name] for name in catalogue if counts[name] < MIN_TEST_EXAMPLES}
    assert not short, f"intenciones con pocos ejemplos de prueba: {short}"


def test_test_split_is_never_trained_on(training_data, test_split):
    trained = {normalise(m.get("text")).lower() for m in training_data.intent_examples}
    leaked = [m.get("text") for m in test_split.intent_examples if normalise(m.get("text")).lower() in trained]
    assert not leaked, f"ejemplos de prueba que también están en data/: {leaked[:10]}"


def test_every_intent_has_a_reply_and_a_rule(domain):
    rules = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT.data / "rules").glob("*.yml"))
    for intent in domain.intents:
        if intent in ("nlu_fallback", "out_of_scope", "restart", "back", "session_start"):
            continue
        assert f"utter_{intent}" in domain.responses, f"falta la respuesta utter_{intent}"
        assert f"- intent: {intent}\n  - action: utter_{intent}" in rules, f"falta la regla de {intent}"


def test_routing_table_matches_the_catalogue(catalogue, routing):
    assert set(catalogue) <= set(routing), "routing.yml no cubre todo el catálogo"
    for name, spec in catalogue.items():
        expected = spec["canal"]
        if "triaje" in routing[name]:
            named = [c for c in CHANNELS if c in expected]
            assert len(named) >= 2, f"{name}: 'triaje' solo para intenciones con dos canales posibles"
            assert "canal" not in routing[name], f"{name}: o canal o triaje, no ambos"
        else:
            actual = routing[name]["canal"]
            assert actual == expected, f"{name}: canal {actual!r}, el catálogo dice {expected!r}"


def test_every_routing_entry_has_a_spanish_label(routing):
    assert all(spec.get("etiqueta") for spec in routing.values())


def test_module_synonyms_cover_the_lookup_table():
    entities = yaml.safe_load((PROJECT.nlu / "entidades.yml").read_text(encoding="utf-8"))["nlu"]
    lookup = next(b for b in entities if b.get("lookup") == "modulo")
    names = {line[2:].strip().lower() for line in lookup["examples"].splitlines() if line.strip()}
    synonyms = {
        line[2:].strip().lower()
        for b in entities
        if "synonym" in b
        for line in b["examples"].splitlines()
        if line.strip()
    }
    codes = {b["synonym"].lower() for b in entities if "synonym" in b}
    unmapped = sorted(n for n in names if n not in synonyms and n not in codes)
    assert not unmapped, f"nombres de módulo sin sinónimo al código: {unmapped}"
