#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the project when pyproject.toml changed.
# Rasa 3.6 does not install on Python 3.11+, so 3.10 is required.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python310() {
  if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
  local candidate
  for candidate in python3.10 \
      "$HOME"/.pyenv/versions/3.10*/bin/python3.10 \
      /root/.pyenv/versions/3.10*/bin/python3.10 \
      /usr/local/bin/python3.10 /usr/bin/python3.10; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
      command -v "$candidate"; return
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
  if ! py=$(find_python310); then
    cat >&2 <<'MSG'
ERROR: no se encontró Python 3.10, que Rasa 3.6 necesita (no se instala en 3.11 ni posteriores).
Instálelo, por ejemplo:
  pyenv install 3.10.13            (con pyenv)
  apt-get install python3.10 python3.10-venv   (Debian/Ubuntu con ese paquete)
o indique su ruta: make run PYTHON=/ruta/a/python3.10
MSG
    exit 1
  fi
  echo "Creando .venv con $py"
  rm -rf .venv
  "$py" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip setuptools wheel
fi

stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "Instalando dependencias (la primera vez tarda unos minutos)..."
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  .venv/bin/python -m pip check
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# Browser tests drive Debian's Chromium (no browser is downloaded by a test tool).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Instalando Chromium para las pruebas en navegador (apt-get)..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    echo "AVISO: falta Chromium (apt-get install chromium); las pruebas en navegador se omitirán fuera de CI." >&2
  fi
fi

# nginx balances the Rasa replicas of the production profile (RASA_REPLICAS >= 2).
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Instalando nginx para el perfil con réplicas (apt-get)..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light || \
       DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx) >/dev/null
  else
    echo "AVISO: falta nginx (apt-get install nginx); RASA_REPLICAS de 2 o más no podrá iniciarse." >&2
  fi
fi

# Front-end dependencies of the support page (rasa-webchat), pinned in package-lock.json.
web_stamp="node_modules/.installed-$(cat package-lock.json | sha256sum | cut -c1-16)"
if [ ! -f "$web_stamp" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "ERROR: falta npm (Node.js), necesario para el chat web. Instálelo, por ejemplo: apt-get install nodejs npm" >&2
    exit 1
  fi
  echo "Instalando el chat web (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error
  touch "$web_stamp"
fi
