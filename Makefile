# Asistente de Soporte Protheus — the commands of the README.
SHELL := /bin/bash
# umask 077: the database, tokens and logs any target creates under .state are the owner's only.
PY := umask 077 && .venv/bin/python
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONDONTWRITEBYTECODE := 1
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONWARNINGS := ignore::DeprecationWarning

.PHONY: help setup run shell train bandeja eval test lint fmt validate bench db admin import-customers clean

help:
	@echo "make run     instala, entrena si hace falta e inicia el asistente"
	@echo "make test    instala, entrena si hace falta y corre todas las pruebas (estilo, tipos y pytest)"
	@echo "make fmt     da formato al código y corrige lo que ruff sabe corregir"
	@echo "make shell   conversar con el bot en la terminal"
	@echo "make train   entrenar, evaluar y activar (si no empeora); con make run abierto, sin reiniciarlo"
	@echo "make bandeja mensajes de clientes por revisar (python -m protheus.trainer --help)"
	@echo "make eval DATA=archivo.yml   evaluar el modelo activo con un archivo NLU de Rasa"
	@echo "make bench   benchmarks (tiempos, F1 de los pipelines)"
	@echo "make db      crear/actualizar la base de datos y cargar los clientes demo"
	@echo "make admin USUARIO=nombre [ROL=agente|entrenador|admin]   crear un usuario de la consola"
	@echo "make import-customers CSV=clientes.csv   importar clientes desde un CSV"

setup:
	@bash scripts/setup.sh

run: setup
	@$(PY) -m protheus.supervisor run

shell: setup
	@$(PY) -m protheus.supervisor shell

train: setup
	@$(PY) -m protheus.trainer entrenar --activar

bandeja: setup
	@$(PY) -m protheus.trainer bandeja

validate: setup
	@.venv/bin/rasa data validate --domain domain --data data --config config.yml

DATA ?= evaluation/nlu
eval: setup
	@$(PY) -m protheus.trainer evaluar $(DATA)

test: setup lint
	@$(PY) -m protheus.trainer preparar --siempre
	@$(PY) -m pytest

# Style (ruff), types (mypy) and the contracts between the programs (import-linter); their
# configuration is in pyproject.toml.
lint: setup
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@.venv/bin/mypy
	@.venv/bin/lint-imports --no-cache

fmt: setup
	@.venv/bin/ruff format .
	@.venv/bin/ruff check --fix .

bench: setup
	@$(PY) bench/compare_pipelines.py
	@$(PY) bench/nlu_baselines.py
	@$(PY) bench/answer_reading.py
	@$(PY) bench/error_logs.py
	@$(PY) bench/train_time.py
	@$(PY) -m protheus.trainer preparar
	@$(PY) bench/server_startup.py
	@$(PY) bench/console_queries.py --postgres
	@$(PY) bench/soak.py
	@$(PY) bench/analytics_queries.py --postgres
	@$(PY) bench/scrubber_names.py
	@$(PY) bench/second_request.py
	@$(PY) bench/serving.py
	@$(PY) bench/turn_growth.py

db: setup
	@$(PY) -m protheus.db migrar

USUARIO ?=
ROL ?= admin
admin: setup
	@test -n "$(USUARIO)" || { echo "Indique el usuario: make admin USUARIO=nombre (ROL=agente|entrenador|admin)"; exit 2; }
	@$(PY) -m protheus.webapp.console crear-usuario "$(USUARIO)" --rol "$(ROL)"

CSV ?=
import-customers: setup
	@test -n "$(CSV)" || { echo "Indique el archivo: make import-customers CSV=clientes.csv"; exit 2; }
	@$(PY) -m protheus.db importar-clientes "$(CSV)"

clean:
	rm -rf .state models results .pytest_cache
