"""Settings read from the environment, each with a working default (PRODUCT.md).

The only module that reads the environment: every other module asks here. A value that is set
but invalid (a port that is not a number, an unknown URL scheme, hours that do not parse) is
never replaced by a default: the getter raises SettingError, whose Spanish message names the
setting, and each program checks every setting when it starts (`require_valid`). Getters only
read: the local secrets are created once, at start (`ensure_secrets`).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from protheus.common.paths import PROJECT
from protheus.common.private_files import write_private
from protheus.common.service_hours import GUIDELINE_ZONE, HoursError, ServiceHours

# Shown to customers when SUPPORT_EMAIL is unset: the contact channel the guideline names.
DEFAULT_SUPPORT_CONTACT = "la Central de relaciones TOTVS (Portal del cliente)"
TOKEN_FILE = PROJECT.state / "rasa_token"
# The TOTVS customer service portal, linked from the hand-off card.
DEFAULT_PORTAL_URL = "https://centraldeatendimento.totvs.com/"
DEFAULT_RASA_PORT, DEFAULT_ACTION_PORT, DEFAULT_WEB_PORT = 5005, 5055, 8080
LOOPBACK = "127.0.0.1"
DEFAULT_MAX_MESSAGE_CHARS = 2000
MAX_AGENT_REPLY = 2000  # characters of one agent reply (the reply form and the saved replies keep to it)
# A pasted error.log is longer than any sentence: it has its own limit, and a hard cap.
DEFAULT_MAX_LOG_CHARS, HARD_MAX_LOG_CHARS = 20_000, 100_000
DEFAULT_MODEL_F1_TOLERANCE = 0.01
DEFAULT_ACTION_TIMEOUT = 5.0
DEFAULT_EVENT_QUEUE = "protheus_eventos"
DEFAULT_AGENT_HOURS = "lun-vie 08:00-18:00"
CHAT_KEY_FILE = PROJECT.state / "chat_session_key"
LOOPBACK_ADDRESSES = frozenset({"127.0.0.1", "::1", "localhost"})
DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_METADATA_CHARS = 64 * 1024, 2000
# Rasa runs our tracker store in its own process: the launcher passes the status file's path.
TRACKER_STATUS_ENV = "TRACKER_STATUS_FILE"


class SettingError(ValueError):
    """A setting with a value that cannot be used; the message (Spanish) names it."""


def _text(name: str) -> str:
    return os.environ.get(name, "").strip()


def _int(name: str, default: int, minimum: int = 1, maximum: int | None = None) -> int:
    raw = _text(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(f"{name} debe ser un número entero; vale «{raw}».") from None
    if value < minimum or (maximum is not None and value > maximum):
        limits = f"entre {minimum} y {maximum}" if maximum is not None else f"al menos {minimum}"
        raise SettingError(f"{name} debe ser {limits}; vale {value}.")
    return value


def _float(name: str, default: float, minimum: float, maximum: float) -> float:
    raw = _text(name)
    if not raw:
        return default
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise SettingError(f"{name} debe ser un número; vale «{raw}».") from None
    if not minimum <= value <= maximum:
        raise SettingError(f"{name} debe estar entre {minimum:g} y {maximum:g}; vale {raw}.")
    return value


def _url(name: str, schemes: tuple[str, ...], default: str = "") -> str:
    """A URL whose scheme is one of `schemes` (the part before «://»), else SettingError."""
    raw = _text(name)
    if not raw:
        return default
    scheme = urlsplit(raw).scheme.lower()
    if scheme not in schemes or "://" not in raw:
        allowed = ", ".join(f"{s}://" for s in schemes)
        raise SettingError(f"{name} debe empezar con {allowed}; vale «{_without_password(raw)}».")
    return raw


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


MAX_PORT = 65535


@dataclass(frozen=True)
class Ports:
    """Where the three servers listen (RASA_PORT, ACTION_PORT, WEB_PORT; Rasa on RASA_HOST)."""

    rasa: int = DEFAULT_RASA_PORT
    actions: int = DEFAULT_ACTION_PORT
    web: int = DEFAULT_WEB_PORT
    host: str = LOOPBACK


def ports() -> Ports:
    return Ports(
        rasa=_int("RASA_PORT", DEFAULT_RASA_PORT, maximum=MAX_PORT),
        actions=_int("ACTION_PORT", DEFAULT_ACTION_PORT, maximum=MAX_PORT),
        web=_int("WEB_PORT", DEFAULT_WEB_PORT, maximum=MAX_PORT),
        host=_text("RASA_HOST") or LOOPBACK,
    )


def web_host() -> str:
    """The address the web app binds to (WEB_HOST)."""
    return _text("WEB_HOST") or LOOPBACK


def rasa_url(rasa_port: int | None = None) -> str:
    """Rasa's HTTP API as the web app reaches it: RASA_URL (a deployment's «http://nginx:5005»),
    else this machine's Rasa port."""
    return _url("RASA_URL", ("http", "https")).rstrip("/") or f"http://{LOOPBACK}:{rasa_port or ports().rasa}"


def extra_cors_origins() -> list[str]:
    """Origins besides the support page that may use the chat (CORS_ORIGINS, space-separated)."""
    return _text("CORS_ORIGINS").split()


def public_url() -> str:
    """PUBLIC_URL: the support page's address as customers reach it (https://soporte.example.com);
    its origin may open the chat. Empty: the page on this machine."""
    return _url("PUBLIC_URL", ("https", "http")).rstrip("/")


def page_origins(web_port: int | None = None) -> list[str]:
    """The only origins whose pages may open the chat and call Rasa from a browser: the support
    page on this machine, PUBLIC_URL and CORS_ORIGINS."""
    port = web_port or ports().web
    public = urlsplit(public_url())
    origin = [f"{public.scheme}://{public.netloc}"] if public.netloc else []
    return [f"http://localhost:{port}", f"http://127.0.0.1:{port}", *origin, *extra_cors_origins()]


def rasa_public_url() -> str:
    """Rasa's address as the customer's browser reaches it (RASA_PUBLIC_URL); empty: same host."""
    return _url("RASA_PUBLIC_URL", ("https", "http"))


def support_contact() -> str:
    """The support contact customers are told to write to."""
    return _text("SUPPORT_EMAIL") or DEFAULT_SUPPORT_CONTACT


def portal_url() -> str:
    """The customer portal linked from the web chat (PORTAL_URL); only http(s) addresses."""
    return _url("PORTAL_URL", ("https", "http"), DEFAULT_PORTAL_URL)


def database_url() -> str:
    """One SQLAlchemy URL for the tracker store and the project's tables."""
    return _url("DATABASE_URL", DATABASE_SCHEMES, f"sqlite:///{PROJECT.state / 'protheus.db'}")


DATABASE_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg2", "postgres")


def _stored_secret(name: str, secret_file: Path) -> str:
    """The variable `name` from the environment, else the secret `ensure_secrets` stored."""
    secret = _text(name)
    if secret:
        return secret
    stored = secret_file.read_text(encoding="utf-8").strip() if secret_file.exists() else ""
    if not stored:
        raise SettingError(f"Falta {name}: defínalo o inicie con «make run», que lo crea una vez en {secret_file}.")
    return stored


def _ensure_secret(name: str, secret_file: Path) -> None:
    """Generate the secret once into an owner-only file (0600, in the owner-only .state) when the
    environment does not give it."""
    if _text(name) or (secret_file.exists() and secret_file.read_text(encoding="utf-8").strip()):
        return
    write_private(secret_file, secrets.token_urlsafe(32) + "\n")


def rasa_token_from_environment() -> bool:
    return bool(_text("RASA_TOKEN"))


def rasa_token(token_file: Path = TOKEN_FILE) -> str:
    """RASA_TOKEN from the environment, else one generated once into a git-ignored file."""
    return _stored_secret("RASA_TOKEN", token_file)


def console_timezone() -> str:
    """Time zone of the dates shown in the console (CONSOLE_TZ); Prime hours are Mexico's."""
    return _text("CONSOLE_TZ") or "America/Mexico_City"


def secure_cookies() -> bool | None:
    """COOKIE_SECURE=1 forces the Secure flag, 0 drops it; unset: Secure when the request is HTTPS."""
    value = _text("COOKIE_SECURE").lower()
    if value in ("1", "true", "si", "sí", "yes"):
        return True
    if value in ("0", "false", "no"):
        return False
    return None


def tracker_status_override() -> Path | None:
    """The status file given in TRACKER_STATUS_FILE (the launcher gives it to Rasa's process)."""
    override = _text(TRACKER_STATUS_ENV)
    return Path(override) if override else None


def tracker_status_file(rasa_port: int | None = None) -> Path:
    """Where Rasa's tracker store reports whether conversations are being stored."""
    return tracker_status_override() or PROJECT.state / f"tracker-store-{rasa_port or ports().rasa}.json"


def max_message_chars() -> int:
    """Longest customer message accepted (MAX_MESSAGE_CHARS); the page limits it too."""
    return _int("MAX_MESSAGE_CHARS", DEFAULT_MAX_MESSAGE_CHARS)


def max_log_chars() -> int:
    """Longest message accepted when it holds a pasted error log (MAX_LOG_CHARS; at most 100 000)."""
    return min(HARD_MAX_LOG_CHARS, max(max_message_chars(), _int("MAX_LOG_CHARS", DEFAULT_MAX_LOG_CHARS)))


def chat_session_key() -> str:
    """CHAT_SESSION_KEY: the HS256 key that signs chat sessions (the support page, or the customer
    portal that embeds the chat, signs them; Rasa's channels verify them). Unset: generated once."""
    return _stored_secret("CHAT_SESSION_KEY", CHAT_KEY_FILE)


def chat_session_hours() -> int:
    """CHAT_SESSION_HOURS: how long a chat session token issued by the support page lasts."""
    return _int("CHAT_SESSION_HOURS", 12)


def trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """TRUSTED_PROXIES: the balancers (addresses or networks, space-separated) whose X-Real-IP names
    the customer. Empty by default: without a balancer in front, nobody's header is believed."""
    networks = []
    for item in _text("TRUSTED_PROXIES").split():
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise SettingError(f"TRUSTED_PROXIES debe tener direcciones IP o redes; «{item}» no lo es.") from None
    return networks


def rasa_bound_publicly() -> bool:
    """True when Rasa (or its balancer) listens beyond loopback (RASA_HOST)."""
    return ports().host not in LOOPBACK_ADDRESSES


YES, NO = frozenset({"1", "true", "sí", "si", "yes"}), frozenset({"0", "false", "no"})


def _flag(name: str) -> bool | None:
    raw = _text(name).lower()
    if not raw:
        return None
    if raw in YES | NO:
        return raw in YES
    raise SettingError(f"{name} debe ser «sí» o «no»; vale «{raw}».")


def rest_needs_session() -> bool:
    """The REST webhook needs a signed chat session (or the Rasa token) for a conversation
    (PRODUCT.md): REST_SESSION_REQUIRED says so, else whenever Rasa listens beyond loopback. A
    deployment in containers sets it: its Rasa listens on every interface whatever RASA_HOST says."""
    said = _flag("REST_SESSION_REQUIRED")
    return rasa_bound_publicly() if said is None else said


def always_load_tensorflow() -> bool:
    """TENSORFLOW_SIEMPRE=sí: Rasa loads TensorFlow even for a model that does not use it (by default
    it is left out: about 430 MB less a replica; protheus.rasa_server.without_tensorflow)."""
    return bool(_flag("TENSORFLOW_SIEMPRE"))


def production_profile() -> bool:
    """Several Rasa replicas, or their shared lock store: a support line's real deployment."""
    return rasa_replicas() >= 2 or bool(lock_store_url())


def demo_data() -> bool:
    """Load the demo customers of PRODUCT.md (PRIME01, STD01)? DEMO_DATA says so; by default only
    the embedded default (one process on SQLite) has them. Never the production profile: their
    codes and facilitators' e-mails are published, so anyone could be a verified Prime customer."""
    said = _flag("DEMO_DATA")
    if said and production_profile():
        raise SettingError(
            "DEMO_DATA no puede ser «sí» en el perfil de producción (RASA_REPLICAS de 2 o más, LOCK_STORE_URL): "
            "los clientes demo son públicos. Cargue sus clientes con `python -m protheus.db importar-clientes`."
        )
    if said is not None:
        return said
    return not production_profile() and database_url().startswith("sqlite")


def max_request_bytes() -> int:
    """MAX_REQUEST_BYTES: the largest request body Rasa's channels read (REST and socket.io); the
    default fits the longest pasted log (MAX_LOG_CHARS) written in escaped JSON."""
    return _int("MAX_REQUEST_BYTES", max(DEFAULT_MAX_REQUEST_BYTES, max_log_chars() * 7))


def max_metadata_chars() -> int:
    """MAX_METADATA_CHARS: the longest `metadata` (as JSON) a customer's message may carry."""
    return _int("MAX_METADATA_CHARS", DEFAULT_MAX_METADATA_CHARS)


def messages_per_minute() -> tuple[int, int]:
    """How many messages a minute one conversation (MESSAGES_PER_MINUTE_SENDER) and one address
    (MESSAGES_PER_MINUTE_ADDRESS) may send; more get HTTP 429 and a Spanish message. Loopback
    addresses (the machine itself, scripts, the benchmark) have no address limit."""
    return _int("MESSAGES_PER_MINUTE_SENDER", 40), _int("MESSAGES_PER_MINUTE_ADDRESS", 240)


def form_idle_minutes() -> int:
    """FORM_IDLE_MINUTES: a customer who comes back to a form after this long is reminded which
    request is pending and how to leave it (the session itself expires after 60 minutes)."""
    return _int("FORM_IDLE_MINUTES", 15)


def verification_limits() -> tuple[int, int]:
    """Failed customer verifications allowed per conversation (VERIFICATION_ATTEMPTS) and per
    address in an hour (VERIFICATION_FAILURES_PER_HOUR); past either the customer goes on
    unverified, and no further code is checked."""
    return _int("VERIFICATION_ATTEMPTS", 3), _int("VERIFICATION_FAILURES_PER_HOUR", 10)


def lock_store_url() -> str:
    """LOCK_STORE_URL (redis://host:6379/1): the lock store all replicas share; empty: in memory."""
    return _url("LOCK_STORE_URL", ("redis", "rediss"))


def event_broker_url() -> str:
    """EVENT_BROKER_URL (amqp://user:password@host:5672/): where the replicas publish their events."""
    return _url("EVENT_BROKER_URL", ("amqp", "amqps"))


def event_queue() -> str:
    """EVENT_QUEUE: the RabbitMQ queue of this deployment's events (one per database), which the
    web app reads into the console's index."""
    return _text("EVENT_QUEUE") or DEFAULT_EVENT_QUEUE


def rasa_replicas() -> int:
    """RASA_REPLICAS: how many Rasa servers `make run` starts behind nginx (1: no balancer)."""
    return _int("RASA_REPLICAS", 1)


def nlu_cache_size() -> int:
    """NLU_CACHE_SIZE: how many short messages' NLU results each Rasa process remembers (0: none)."""
    return _int("NLU_CACHE_SIZE", 5000, minimum=0)


def model_pull_seconds() -> int:
    """How often each Rasa replica asks the web app for the active model (MODEL_PULL_SECONDS)."""
    return _int("MODEL_PULL_SECONDS", 5)


def action_timeout() -> float:
    """Seconds Rasa waits for the action server before giving up on the action (ACTION_TIMEOUT;
    Rasa's own default is 300). The customer is then told in Spanish what was not registered."""
    return _float("ACTION_TIMEOUT", DEFAULT_ACTION_TIMEOUT, 0.5, 60.0)


def model_f1_tolerance() -> float:
    """How much macro-F1 a new model may lose before activation needs a confirmation (MODEL_F1_TOLERANCE)."""
    return _float("MODEL_F1_TOLERANCE", DEFAULT_MODEL_F1_TOLERANCE, 0.0, 1.0)


# --- Local secrets (issue 13, point 7) -----------------------------------------------------
# A launcher hands the server it starts its secret in one of these variables, never on the
# command line (`ps` shows it to every user); the server takes it out of its environment.
RASA_TOKEN_LAUNCH_ENV = "PROTHEUS_RASA_TOKEN"
ACTION_SECRET_LAUNCH_ENV = "PROTHEUS_ACTION_SECRET"
ACTION_SECRET_FILE = PROJECT.state / "action_secret"
# The header Rasa sends the action server's secret in (endpoints.yml, action_endpoint.headers).
ACTION_SECRET_HEADER = "X-Protheus-Action-Secret"


def action_secret(secret_file: Path = ACTION_SECRET_FILE) -> str:
    """The secret Rasa shows the action server (ACTION_SECRET), else one generated once into
    .state/action_secret."""
    return _stored_secret("ACTION_SECRET", secret_file)


def take_launch_secret(name: str) -> str:
    """The secret a launcher handed over in the variable `name`, taken out of this process's
    environment so that nothing it starts inherits it."""
    return os.environ.pop(name, "").strip()


def agent_hours() -> ServiceHours:
    """When live agents attend: AGENT_HOURS («lun-vie 08:00-18:00», the guideline's hours by default)
    in AGENT_TIMEZONE (IANA name, America/Mexico_City by default). Outside them, a customer who
    asks for a person is told when agents work and is offered the queue or the Portal."""
    spec = _text("AGENT_HOURS") or DEFAULT_AGENT_HOURS
    zone = _text("AGENT_TIMEZONE") or GUIDELINE_ZONE
    try:
        return ServiceHours.parse(spec, zone)
    except HoursError as error:
        raise SettingError(f"AGENT_HOURS / AGENT_TIMEZONE: {error}") from None


def agent_idle_minutes() -> int:
    """AGENT_IDLE_MINUTES: an agent with no console activity for this long counts as «ausente»."""
    return _int("AGENT_IDLE_MINUTES", 15)


def queue_reminder_minutes() -> int:
    """QUEUE_REMINDER_MINUTES: a customer waiting this long for a live agent's first reply is told,
    once, that the request is still queued."""
    return _int("QUEUE_REMINDER_MINUTES", 10)


# --- At start ------------------------------------------------------------------------------
# Every getter whose value a program needs, checked together so that one start names every
# problem at once (the secrets are checked after ensure_secrets).
CHECKED = (
    ports,
    public_url,
    rasa_url,
    rasa_public_url,
    portal_url,
    trusted_proxies,
    rest_needs_session,
    database_url,
    max_message_chars,
    max_log_chars,
    chat_session_hours,
    max_request_bytes,
    max_metadata_chars,
    messages_per_minute,
    form_idle_minutes,
    verification_limits,
    lock_store_url,
    event_broker_url,
    rasa_replicas,
    nlu_cache_size,
    demo_data,
    model_pull_seconds,
    action_timeout,
    model_f1_tolerance,
    agent_hours,
    agent_idle_minutes,
    queue_reminder_minutes,
)


def problems() -> list[str]:
    """The Spanish message of every setting that cannot be used."""
    found = []
    for getter in CHECKED:
        try:
            getter()
        except SettingError as error:
            found.append(str(error))
    return found


def require_valid() -> None:
    """Stop the program before it starts anything when a setting cannot be used (exit code 2)."""
    found = problems()
    if found:
        print(
            "Configuración inválida; corríjala y vuelva a iniciar:",
            *(f"- {p}" for p in found),
            sep="\n",
            file=sys.stderr,
        )
        raise SystemExit(2)


def ensure_secrets() -> None:
    """The local secrets the environment does not give, generated once into .state (at start,
    by the program that starts first: `make run`, or a program started by hand)."""
    _ensure_secret("RASA_TOKEN", TOKEN_FILE)
    _ensure_secret("ACTION_SECRET", ACTION_SECRET_FILE)
    _ensure_secret("CHAT_SESSION_KEY", CHAT_KEY_FILE)
