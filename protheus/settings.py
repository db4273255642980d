"""Settings read from the environment, each with a working default (PRODUCT.md)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from protheus.paths import ROOT, STATE_DIR

# Shown to customers when SUPPORT_EMAIL is unset: the contact channel the guideline names.
DEFAULT_SUPPORT_CONTACT = "la Central de relaciones TOTVS (Portal del cliente)"
TOKEN_FILE = STATE_DIR / "rasa_token"
# The TOTVS customer service portal, linked from the hand-off card.
DEFAULT_PORTAL_URL = "https://centraldeatendimento.totvs.com/"


def support_contact() -> str:
    """The support contact customers are told to write to."""
    return os.environ.get("SUPPORT_EMAIL", "").strip() or DEFAULT_SUPPORT_CONTACT


def portal_url() -> str:
    """The customer portal linked from the web chat (PORTAL_URL); only http(s) addresses."""
    url = os.environ.get("PORTAL_URL", "").strip()
    return url if url.startswith(("https://", "http://")) else DEFAULT_PORTAL_URL


def database_url() -> str:
    """One SQLAlchemy URL for the tracker store and the project's tables."""
    return os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{ROOT / '.state' / 'protheus.db'}"


def rasa_token(token_file: Path = TOKEN_FILE) -> str:
    """RASA_TOKEN from the environment, else one generated once into a git-ignored file."""
    token = os.environ.get("RASA_TOKEN", "").strip()
    if token:
        return token
    if token_file.exists():
        stored = token_file.read_text(encoding="utf-8").strip()
        if stored:
            return stored
    token_file.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    token_file.write_text(token + "\n", encoding="utf-8")
    token_file.chmod(0o600)
    return token


def console_timezone() -> str:
    """Time zone of the dates shown in the console (CONSOLE_TZ); Prime hours are Mexico's."""
    return os.environ.get("CONSOLE_TZ", "").strip() or "America/Mexico_City"


def secure_cookies() -> bool | None:
    """COOKIE_SECURE=1 forces the Secure flag, 0 drops it; unset: Secure when the request is HTTPS."""
    value = os.environ.get("COOKIE_SECURE", "").strip().lower()
    if value in ("1", "true", "si", "sí", "yes"):
        return True
    if value in ("0", "false", "no"):
        return False
    return None


TRACKER_STATUS_ENV = "TRACKER_STATUS_FILE"


def tracker_status_file(rasa_port: int) -> Path:
    """Where Rasa's tracker store reports whether conversations are being stored."""
    override = os.environ.get(TRACKER_STATUS_ENV, "").strip()
    return Path(override) if override else STATE_DIR / f"tracker-store-{rasa_port}.json"


def max_message_chars() -> int:
    """Longest customer message accepted (MAX_MESSAGE_CHARS); the page limits it too."""
    try:
        return max(1, int(os.environ.get("MAX_MESSAGE_CHARS", "2000")))
    except ValueError:
        return 2000


def model_f1_tolerance() -> float:
    """How much macro-F1 a new model may lose before activation needs a confirmation (MODEL_F1_TOLERANCE)."""
    try:
        return max(0.0, float(os.environ.get("MODEL_F1_TOLERANCE", "0.01")))
    except ValueError:
        return 0.01
