"""Protheus error logs pasted into the chat: find them, read them, and keep them apart from
the customer's own words.

A pasted `error.log` is hundreds of characters of English or Portuguese the classifier never
learnt from; the intent is in what the customer wrote around it. `split_log` separates the two
(the NLU components classify the words, with a placeholder where the log was:
protheus.nlu.customer_words), and `parse` reads the log into the fields an agent needs.

Logs are read by their structure, as the AppServer writes them, not only by a list of known
errors: the failing frame ` on FUNC(SOURCE) date line : N` (a function, a class method, a code
block, a namespaced TLPP source), the message before it or on the line after the `THREAD ERROR`
header, the `Called from` frames, `[remark: …]`. Pasting bends that structure, and it is mended
first: Markdown's `\\` at line ends, a frame wrapped onto the next line, a stack flattened onto one
line with ` / Called from`, no space before the date, a header missing a letter. The routine, its
module and whose code failed come from rutinas.yml (protheus.nlu.routines).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from enum import Enum

from protheus.nlu.routines import MODULE, routines

# What the classifier reads where a log was: the words customers use for it. An error in the
# customer's own code (U_ functions, their sources and classes) is not a product error.
LOG_PLACEHOLDER = "error log"
CUSTOM_LOG_PLACEHOLDER = "error log en fuente personalizado"

SOURCE_EXT = r"(?:PRW|PRX|TLPP|PRG|APH|APW|AHU|TLH|CH)"
# A function: a name (with a class, U_, a namespace), or a code block with up to two levels of braces.
FUNCTION = r"(?:\{[^{}]*(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}[^{}]*)*\}|[\w.:]+(?:\s*:\s*[\w.]+)?)"
FRAME = re.compile(rf"\b(on|from)\s+(?P<function>{FUNCTION})\s*\(\s*(?P<source>[\w.\-]+?\.{SOURCE_EXT})\s*\)", re.I)
HEADER = re.compile(r"\bT?HREAD ERROR\s*\(\s*\[?[^)\n]*\)?[^\n]*?(?=\s*$|\s+\S)", re.I)
HEADER_LINE = re.compile(r"^\s*T?HREAD ERROR\b.*$", re.I | re.M)
DATE_TIME = re.compile(r"\d{2}/\d{2}/\d{4}(?:\s+\d{2}:\d{2}:\d{2})?")
LINE = re.compile(r"(?<!\.cpp )(?<!\.cpp at )(?<![\w.]\.h )\bline\s*:?\s*(\d+)", re.I)
CPP_LINE = re.compile(r"\b\w+\.(?:cpp|c|h|hpp)\s*(?:\(\s*\d+\s*\)|(?:at\s+)?line\s*:?\s*\d+)", re.I)
REMARK = re.compile(r"\[remark\s*:\s*([^\]]*)\]", re.I)
FIELD = re.compile(r"\b([A-Z][A-Z0-9]{1,2}_[A-Z0-9_]{2,10})\b")
ALIAS = re.compile(r"\balias(?:\s+does\s+not\s+exist|\s+already\s+in\s+use)?\s*:?\s*([A-Z][A-Z0-9]{2})\b", re.I)
RELEASE = re.compile(r"\b(12\.1\.\d{2,4})\b")
BUILD = re.compile(r"\b(7\.00\.\d{6}[A-Z]?(?:-\d{8})?)\b")
DB_ERROR = re.compile(r"\bError\s*:\s*(-?\d+)(?:\s*\(\w+\))?(?:\s*\(RC=-?\d+\))?\s*-\s*(.+)", re.I)
SQL_DETAIL = re.compile(r"(?:\[[^\]]*\])+\s*")

# Messages of the AdvPL runtime, DBAccess/TopConnect, the licence server and the AppServer, in
# English, Portuguese and Spanish: they mark a log where the structure alone does not (a message
# pasted without its frame) and where it starts inside a sentence.
KNOWN_ERRORS = [
    "variable does not exist",
    "array out of bounds",
    "type mismatch",
    "argument error",
    "argument #",
    "argumento #",
    "alias does not exist",
    "alias already in use",
    "invalid field name in alias",
    "invalid macro source",
    "work area not in use",
    "open empty work area",
    "variable is not an object",
    "cannot find method",
    "invalid call to a",
    "invalid readmsint",
    "bad index",
    "index not found",
    "index does not match",
    "setorder",
    "stack overflow",
    "unique key",
    "duplicate key",
    "deadlock",
    "insufficient memory",
    "incorrect syntax",
    "invalid object name",
    "invalid column name",
    "ora-",
    "function not found",
    "syntax error",
    "dbcreate failed",
    "no such file",
    "error opening file",
    "cannot open",
    "erro na abertura",
    "error en la apertura",
    "tc_open",
    "no connection",
    "topconn",
    "dbaccess",
    "too many users",
    "muitos usu",
    "license",
    "licen",
    "failed to load",
    "appmap",
    "wscerr",
    "soap fault",
    "userexception",
    "thread error",
    "error log",
    "error.log",
]
_KNOWN = re.compile("|".join([r"\berror\s*:\s*-?\d+", *(re.escape(e) for e in KNOWN_ERRORS)]), re.I)
# Lines that only a log has.
LOG_LINE = re.compile(
    r"T?HREAD ERROR|\b(?:on|from)\s+\S+?\s*\(\s*[\w.\-]+\.(?:PRW|PRX|TLPP|PRG)\s*\)|Called from|\bline\s*:\s*\d+"
    r"|\bError\s*:\s*-?\d+|\[(?:TOTVS\s+)?build\b|\bBuild\s+\d+\.\d+\.\d+|\bRPO Release\b|\(\s*From\s+t\w+::"
    r"|\[remark\s*:|\[thread(?:type)?\s*:|\[environment\s*:|\bStack\s*:|\bon\s+\S+\($",
    re.I,
)


class ErrorKind(str, Enum):
    """What the log says failed (the values are Spanish: the agent reads them in the console)."""

    RUNTIME = "ejecucion"  # the AdvPL/TLPP runtime
    DATABASE = "base_de_datos"  # DBAccess, TopConnect, SQL
    LICENCE = "licencia"
    CONNECTION = "conexion"
    STARTUP = "arranque"  # the AppServer or its environment does not start
    WEB_SERVICE = "servicio_web"
    CUSTOMER_EXCEPTION = "excepcion_del_cliente"  # raised on purpose by the customer's code


# The kind by the words of the message and the log (checked in this order).
KIND_MARKERS = [
    (ErrorKind.LICENCE, r"licen|too many users|muitos usu|muchos usu|license server"),
    (
        ErrorKind.CONNECTION,
        r"no connection|sem conex|sin conex|connection (?:refused|reset|lost|failed|timed out)"
        r"|could not connect|socket|\brpc\b|timeout|connect failed|falha na conex|falla de conex",
    ),
    (
        ErrorKind.STARTUP,
        r"failed to load|appmap|\brpo\b.*(?:invalid|corrupt|not found|inv[aá]lido)|appserver\.ini"
        r"|environment .*not found|ambiente .*n[aã]o encontrado|fail to start|initialization",
    ),
    (ErrorKind.WEB_SERVICE, r"wscerr|soap|wsdl|\bhttp\s*\d{3}|rest\b.*(?:error|erro)|webservice|web service"),
    (
        ErrorKind.DATABASE,
        r"tc_open|topconn|dbaccess|\berror\s*:\s*-?\d+|sql|ora-\d|invalid column|invalid object"
        r"|erro na abertura|error en la apertura|setorder|index not found|alias already in use|invalid field name"
        r"|duplicate key|unique key|deadlock|ctree|\bdbf\b|dbcreate|alias does not exist|work area",
    ),
    (ErrorKind.CUSTOMER_EXCEPTION, r"userexception|\buser\s*exception"),
]
_KIND = [(kind, re.compile(pattern, re.I)) for kind, pattern in KIND_MARKERS]
# Messages of the runtime itself: in a customer's source they are still a runtime error, not a
# message the customer raised.
RUNTIME_MESSAGE = re.compile(
    r"variable|array|type mismatch|argument|invalid|cannot|stack|memory|not an object|macro|undefined|division"
    r"|does not exist|bad |error|erro |argumento|par[aâ]metro|previsto|n[aã]o existe|no existe|inv[aá]lid",
    re.I,
)


@dataclass(frozen=True)
class ErrorLog:
    """What a pasted log says (every field may be missing)."""

    error: str | None = None  # the error message, e.g. "variable does not exist C5_XTIPO"
    routine: str | None = None  # the standard routine, MATA410
    function: str | None = None  # the function that failed: A410GRAVA, FWFORMVIEW:ACTIVATE, a code block
    source: str | None = None  # MATA410.PRW
    line: int | None = None  # the AdvPL line (never a C++ one)
    field: str | None = None  # C5_XTIPO
    table: str | None = None  # SC5
    release: str | None = None  # 12.1.2310
    build: str | None = None  # 7.00.210324P
    module: str | None = None  # SIGAFAT, from rutinas.yml or the log's [remark]
    kind: ErrorKind | None = None
    customer_code: bool | None = None  # the failing frame is the customer's (or a third party's) code

    def summary(self) -> str:
        """One line for the agent who takes the hand-off (labels in Spanish)."""
        parts = [
            ("error", self.error),
            ("tipo", kind_label(self.kind)),
            ("rutina", self.routine),
            ("función", self.function if self.function != self.routine else None),
            ("fuente", self.source),
            ("línea", self.line),
            ("tabla", self.table),
            ("campo", self.field),
            ("release", self.release),
            ("build", self.build),
            ("módulo", self.module),
            ("código", None if self.customer_code is None else "del cliente" if self.customer_code else "de TOTVS"),
        ]
        return "; ".join(f"{label}: {value}" for label, value in parts if value not in (None, ""))


KIND_LABELS = {
    ErrorKind.RUNTIME: "error de ejecución",
    ErrorKind.DATABASE: "base de datos",
    ErrorKind.LICENCE: "licencias",
    ErrorKind.CONNECTION: "conexión",
    ErrorKind.STARTUP: "arranque del servidor",
    ErrorKind.WEB_SERVICE: "servicio web",
    ErrorKind.CUSTOMER_EXCEPTION: "excepción del código del cliente",
}


def kind_label(kind: ErrorKind | None) -> str | None:
    return KIND_LABELS.get(kind) if kind else None


# --- mending what pasting bends --------------------------------------------------------
def mended(text: str) -> str:
    """The log as the AppServer wrote it, before a chat, an editor or a phone bent it."""
    text = html.unescape(text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t]*\\[ \t]*$", "", text, flags=re.M)  # Markdown line breaks
    text = re.sub(r"\s+/\s+(?=Called from\b)", "\n", text, flags=re.I)  # a stack flattened onto one line
    text = re.sub(r"\(\s*\n\s*(?=[\w.\-]+\.(?:PRW|PRX|TLPP|PRG)\s*\))", "(", text, flags=re.I)  # a wrapped frame
    text = re.sub(rf"(\.{SOURCE_EXT}\s*\))(?=\d{{2}}/\d{{2}}/\d{{4}})", r"\1 ", text, flags=re.I)  # no space
    text = re.sub(
        rf"(\.{SOURCE_EXT}\s*\)[^\n]*?)\n\s*(?=(?:\d{{2}}/\d{{2}}/\d{{4}}[^\n]*)?line\s*:)", r"\1 ", text, flags=re.I
    )  # the date and line wrapped below the frame
    return text


# --- finding the log in the message ------------------------------------------------------
def _looks_technical(text: str) -> bool:
    """English or Portuguese runtime text: a source file, a path, a frame, a numbered line."""
    return bool(re.search(r"\.(PRW|PRX|TLPP)\b|[A-Z]:\\|\bon\s+\w+\(|\b(of|on|near)\b|#\d|->", text, re.I))


def _log_start(line: str, after_header: bool) -> int | None:
    """Where a log begins in the line (after the customer's words, if any), or None."""
    if after_header and line.strip():
        return len(line) - len(line.lstrip())
    starts = [found.start() for found in [LOG_LINE.search(line)] if found]
    frame = FRAME.search(line)
    if frame:  # the message before the frame belongs to the log
        starts.append(_message_start(line[: frame.start()]))
    starts += [found.start() for found in _KNOWN.finditer(line) if _looks_technical(line[found.start() :])]
    return min(starts) if starts else None


def _message_start(before: str) -> int:
    """Where an error message begins in the text before its frame: after a glued date or a
    header, at a known message, else after the customer's «al grabar:», else the line's start."""
    cut = 0
    glued = re.match(
        r".*(?:T?HREAD ERROR[^\n]*?\d{2}:\d{2}:\d{2}|\d{2}/\d{2}/\d{4}\s+\d{2}:\d{2}:\d{2})\s*", before, re.I
    )
    if glued:
        cut = glued.end()
    known = _KNOWN.search(before, cut)
    if known:
        return known.start()
    said = list(re.finditer(r":\s+", before[cut:]))
    return cut + said[-1].end() if said else cut


def split_log(text: str) -> tuple[str, str]:
    """(the customer's words, the log). Without a log the words are the whole text."""
    words, log = [], []
    after_header = False
    for line in mended(text).splitlines():
        start = _log_start(line, after_header)
        after_header = bool(HEADER_LINE.match(line)) and not FRAME.search(line)
        if start is None:
            words.append(line)
            continue
        end = _log_end(line)
        words.append(line[:start] + " " + line[end:])
        log.append(line[start:end])
    return " ".join(w.strip() for w in words if w.strip()), "\n".join(log).strip()


def _log_end(line: str) -> int:
    """Where the log ends in the line: after its `line : N` when the customer goes on writing."""
    found = list(re.finditer(r"\bline\s*:?\s*\d+", line, re.I))
    if found and re.search(r"[a-záéíóúñ]{3,}", line[found[-1].end() :]) and not FRAME.search(line[found[-1].end() :]):
        return found[-1].end()
    return len(line)


def is_protheus_error(text: str) -> bool:
    """The text names an error message of the AdvPL runtime or DBAccess."""
    return bool(_KNOWN.search(text or ""))


def looks_like_log(text: str) -> bool:
    return bool(split_log(text)[1])


def placeholder(log: str) -> str:
    """What the classifier reads for this log: a custom-code log reads as one."""
    found = parse(log)
    return CUSTOM_LOG_PLACEHOLDER if found is not None and found.customer_code else LOG_PLACEHOLDER


# --- reading the fields --------------------------------------------------------------------
def _table_of(field: str) -> str:
    """Protheus names a field after its table: C5_XTIPO is in SC5, ZZ1_COD in ZZ1."""
    prefix = field.split("_", 1)[0]
    return "S" + prefix if len(prefix) == 2 else prefix


def _clean_message(message: str) -> str:
    message = HEADER.sub("", message)
    message = re.sub(r"^\s*(?:Stack\s*:|Error\s*:(?!\s*-?\d))\s*", "", message, flags=re.I)
    message = re.sub(rf"^\s*{DATE_TIME.pattern}\s*", "", message)
    return re.split(r"\s+\d{2}/\d{2}/\d{4}", message)[0].strip(" .:\t")[:200]


def _frame_message(log: str, frame: re.Match[str]) -> str | None:
    """The message of the failing frame: the text before ` on FUNC(` on its line, or the line
    after the header when the frame's line has nothing before it."""
    line_start = log.rfind("\n", 0, frame.start()) + 1
    before = log[line_start : frame.start()]
    message = _clean_message(before[_message_start(before) :] if not HEADER_LINE.match(before) else before)
    if message:
        return message
    earlier = [ln for ln in log[:line_start].splitlines() if ln.strip() and not HEADER_LINE.match(ln)]
    return _clean_message(earlier[-1]) if earlier else None


def _database_message(log: str) -> str | None:
    database = DB_ERROR.search(log)
    if not database:
        return None
    detail = re.split(r"\. |\(\s*From", SQL_DETAIL.sub("", database.group(2)))[0].strip(" .")
    return f"Error : {database.group(1)} - {detail}"[:200]


def _message_without_frame(log: str) -> str | None:
    """A log without a frame: the database's message, the line after the header, or the known one."""
    found = _database_message(log)
    if found:
        return found
    lines = [ln for ln in log.splitlines() if ln.strip()]
    for index, line in enumerate(lines):
        if HEADER_LINE.match(line) and index + 1 < len(lines):
            return _clean_message(lines[index + 1])
    known = next((ln for ln in lines if _KNOWN.search(ln) and not HEADER_LINE.match(ln)), None)
    return _clean_message(known[_KNOWN.search(known).start() :]) if known else None  # type: ignore[union-attr]


def _failing_frame(log: str) -> re.Match[str] | None:
    """The frame that failed: the first ` on FUNC(SOURCE)` (the others are `Called from`)."""
    frames = list(FRAME.finditer(log))
    return next((f for f in frames if f.group(1).lower() == "on"), frames[0] if frames else None)


def _line_after(log: str, frame: re.Match[str] | None) -> int | None:
    """The AdvPL line of the failing frame: its `line : N` before the next frame; a C++ file's
    line is never it."""
    if frame is None:
        found = LINE.search(CPP_LINE.sub(" ", log))
        return int(found.group(1)) if found else None
    following = FRAME.search(log, frame.end())
    window = CPP_LINE.sub(" ", log[frame.end() : following.start() if following else len(log)])
    found = LINE.search(window)
    return int(found.group(1)) if found else None


def _kind(message: str | None, log: str, customer_code: bool | None) -> ErrorKind:
    text = f"{message or ''}\n{log}"
    for kind, pattern in _KIND:
        if pattern.search(message or "") or (kind is not ErrorKind.CUSTOMER_EXCEPTION and pattern.search(text)):
            return kind
    if customer_code and message and not RUNTIME_MESSAGE.search(message):
        return ErrorKind.CUSTOMER_EXCEPTION  # a message of the customer's own, not the runtime's
    return ErrorKind.RUNTIME


def _remark_module(log: str) -> tuple[str | None, str | None]:
    """(module, routine) a `[remark: …]` line names."""
    remark = REMARK.search(log)
    if not remark:
        return None, None
    module = MODULE.search(remark.group(1))
    names = re.findall(r"[A-Z_][\w]+", remark.group(1), re.I)
    routine = next((r for r in (routines().routine_of(n) for n in names) if r), None)
    return (module.group(0).upper() if module else None), routine


def _routine(frame: re.Match[str] | None, log: str) -> str | None:
    """The standard routine: the failing frame's source or function, else the first standard
    routine of the stack."""
    table = routines()
    names = [frame.group("source").rsplit(".", 1)[0], frame.group("function")] if frame else []
    names += [n for f in FRAME.finditer(log) for n in (f.group("source").rsplit(".", 1)[0], f.group("function"))]
    return next((r for r in (table.routine_of(n) for n in names) if r), None)


def _customer_code(source: str, function: str) -> bool:
    """The failing frame is the customer's (or a third party's): their source, or a U_ function
    compiled into a TOTVS one."""
    return not routines().is_totvs(source.rsplit(".", 1)[0]) or function.upper().startswith("U_")


def parse(text: str) -> ErrorLog | None:
    """The fields of the log in the text, or None when there is no log."""
    _, log = split_log(text)
    if not log:
        return None
    frame = _failing_frame(log)
    message = _frame_message(log, frame) if frame else _message_without_frame(log)
    if frame and not message:
        message = _message_without_frame(log)
    function = frame.group("function").strip() if frame else None
    source = frame.group("source").upper() if frame else None
    table = routines()
    customer = None if frame is None else _customer_code(source or "", function or "")
    remark_module, remark_routine = _remark_module(log)
    routine = _routine(frame, log) or remark_routine
    field = FIELD.search(message or "") or FIELD.search(log)
    alias = ALIAS.search(log)
    release, build = RELEASE.search(text), BUILD.search(text)
    return ErrorLog(
        error=message or None,
        routine=routine,
        function=function.upper() if function and not function.startswith("{") else function,
        source=source,
        line=_line_after(log, frame),
        field=field.group(1) if field else None,
        table=_table_of(field.group(1)) if field else (alias.group(1).upper() if alias else None),
        release=release.group(1) if release else None,
        build=build.group(1) if build else None,
        module=table.module_of(routine) or remark_module,
        kind=_kind(message, log, customer),
        customer_code=customer,
    )


def module_of(routine: str | None) -> str | None:
    """The module of a routine (MATA410 → SIGAFAT), or None when rutinas.yml does not say."""
    return routines().module_of(routine)
