"""Protheus error logs pasted into the chat: find them, read them, and keep them apart from
the customer's own words.

A pasted `error.log` is hundreds of characters of English or Portuguese the classifier never
learnt from; the intent is in what the customer wrote around it. `split_log` separates the two
(the NLU components classify the words, with a placeholder where the log was:
protheus.support.customer_words), and `parse` reads the log into the fields an agent needs.

Logs are read by their structure, as the AppServer writes them, not only by a list of known
errors: the failing frame ` on FUNC(SOURCE) date line : N` (a function, a class method, a code
block, a namespaced TLPP source), the message before it or on the line after the `THREAD ERROR`
header, the `Called from` frames, `[remark: …]`. Pasting bends that structure, and it is mended
first: Markdown's `\\` at line ends, a frame wrapped onto the next line, a stack flattened onto one
line with ` / Called from`, no space before the date, a header missing a letter. The routine, its
module and whose code failed come from rutinas.yml (protheus.support.routines).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from protheus.support.routines import MODULE, routines
from protheus.support.stop_words import stop_words

# What the classifier reads where a log was: the words customers use for it.
LOG_PLACEHOLDER = "error log"

# The NLU reads a message several times (the featurizer, the classifiers, the answer reader): a
# pasted log is read once.
CACHED = 64
SOURCE_EXT = r"(?:PRW|PRX|TLPP|PRG|APH|APW|AHU|TLH|CH)"
# A function: a name (with a class, U_, a namespace), or a code block with up to two levels of braces.
FUNCTION = r"(?:\{[^{}]*(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}[^{}]*)*\}|[\w.:]+(?:\s*:\s*[\w.]+)?)"
FRAME = re.compile(
    rf"\b(on|from)\s+(?P<function>{FUNCTION})\s*\(\s*(?P<source>[\w.\-]+?\.{SOURCE_EXT})(?:\s+\d{{2}}/\d{{2}}/\d{{4}})?\s*\)",
    re.I,
)
# A debugger's stack line: «RETSQLNAME - APLIB070.PRW(1853)»; a frame without its source: «on M215COMP».
DEBUG_FRAME = re.compile(
    rf"^[\s>]*(?P<function>[A-Z_][\w.:]*)\s+-\s+(?P<source>[\w.\-]+\.{SOURCE_EXT})\((?P<line>\d+)\)", re.I | re.M
)
NAKED_FRAME = re.compile(
    rf"(?<![\w.\-])(?P<function>[A-Z_][\w.:]*)(?<!\.ch)(?<!\.th)\s*\(\s*(?P<source>[\w.\-]+\.{SOURCE_EXT})\s*\)", re.I
)
CALL_LINE = re.compile(
    r"\s(?P<function>[A-Z_][\w:]*)\(\)\s+line\s*:\s*(?P<line>\d+)", re.I
)  # «… U_AOMS083W() line : 481»
# A REST answer's stack, in one line after the message: «… function dtos | U_RTTABCLI(3259) | INCPED(337) | …».
PIPE_FRAME = re.compile(r"\s\|\s+(?P<function>[A-Z_][\w.:]*)\((?P<line>\d+)\)(?=\s*\|)", re.I)
# «… on U_MT390VLV», «… on AOMS116EML().», «(type mismatch on compare on SFCINTEGRA)»: in capitals,
# unlike «type mismatch on compare».
BARE_FRAME = re.compile(r"\s+on\s+(?P<function>(?-i:[A-Z_][A-Z0-9_:]{2,}))(?:\s*\(\))?[.)\"”]*\s*$", re.I | re.M)
# Before the customer's words too, when the name is plainly a function's (a «_» or a digit in it):
# «… ON HS_RKITMMP AO ADICIONAR UM KIT …».
BARE_FRAME_IN_WORDS = re.compile(
    r"\s+on\s+(?P<function>(?-i:[A-Z][A-Z0-9]*[_\d][A-Z0-9_]*))\s+(?=(?:ao|al|en|na|no|quando|cuando|when|para|durante)\s)",
    re.I,
)
HEADER_WORDS = r"(?:T?HREAD ERROR|ERRO THREAD|ERROR THREAD)"
HEADER = re.compile(rf"\b{HEADER_WORDS}\s*\(\s*\[?[^)\n]*\)?[^\n]*?(?=\s*$|\s+\S)", re.I)
HEADER_LINE = re.compile(rf"^\s*{HEADER_WORDS}\b.*$", re.I | re.M)
DATE_TIME = re.compile(r"\d{2}/\d{2}/\d{4}(?:\s+\d{2}:\d{2}:\d{2})?")
LINE = re.compile(r"\b(?:line|linha|l[ií]nea)\s*:?\s*(\d+)|\(\s*L\s*:\s*(\d+)\s*\)", re.I)  # also «(L:2208)»
CPP_LINE = re.compile(r"[\w\\/:.\-]+\.(?:cpp|c|h|hpp|inl)\s*(?:\(\s*\d+\s*\)|:\d+|(?:at\s+)?line\s*:?\s*\d+)", re.I)
REMARK = re.compile(r"\[remark\s*:\s*([^\]]*)\]", re.I)
FIELD = re.compile(r"\b([A-Z][A-Z0-9]{1,2}_[A-Z0-9_]{2,10})\b")
ALIAS = re.compile(r"\balias(?:\s+does\s+not\s+exist|\s+already\s+in\s+use)?\s*:?\s*([A-Z][A-Z0-9]{2})\b", re.I)
RELEASE = re.compile(r"\b(12\.1\.\d{2,4})\b")
BUILD = re.compile(r"\b(7\.00\.\d{6}[A-Z]?(?:-\d{8})?)\b")
DB_ERROR = re.compile(r"\bError[ \t]*:[ \t]*(-?\d+)(?:\s*\(\w+\))?(?:\s*\(RC=-?\d+\))?\s*-\s*(.+)", re.I)
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
    "variable is not array",
    "is not array",
    "invalid setting",
    "update error",
    "does not exist",
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
    "wscerr",
    "[sql server]",
    "odbc",
    "already in use",
    "em uso",
    "file is in eof",
    "data width error",
    "invalid data type",
    "load apo failed",
    "invalid rpo",
    "open empty rpo",
    "objects repository",
    "startpath",
    "connection terminated",
    "thread error",
    "erro thread",
    "top error",
    "invalid property",
    "invalid class",
    "cannot find function",
    "interfunctioncall",
    "filter greater than",
    "fwformgridmodel",
    "commit transaction",
    "a solicitação commit",
    "excedida a quantidade",
    "alias [",
    "internal server error",
    "in eof",
    "en eof",
    "inconsistent datatypes",
    "error log",
    "error.log",
    'column "',
    'relation "',
    "query greater than",
    "tcgenqry",
    "fwnolist",
    "err00",
    "cannot open rpo",
    "insufficient privileges",
    "could not connect to server",
    "authentication failed",
    "no free working threads",
    "apw call failed",
    "totvs sped services",
    "doesn't support remote",
    "threads doesn't support",
    "authentication error",
    "non numeric value",
    "db error (",
    "work area table full",
    "stack depth overflow",
    "invalid field order",
    "lock required",
    "out of memory",
    "access violation",
    "cannot create a new thread",
    "invalid write on",
    "java.lang.",
    "ole db provider",
    '"errormessage"',
    '"error_message"',
    # the compiler, the editor's build and the debugger bridge (TOTVS Developer Studio)
    "start build failed",
    "build not started",
    "precompiled with warnings",
    "ppo file",
    "cannot overwrite totvs programs",
    "can't apply patch",
    "can't read appre",
    "could not be executed",
    "is not local",
    "compile key empty",
    "falha ao iniciar o smartclient",
    # connections between the tools, the SmartClient and the AppServer
    "retrieve connection error",
    "can't connect to server",
    "erro de comunicação",
    "invalid readmschar",
    "socketexception",
    "recusou ativamente",
    "actively refused",
    "connection to server got closed",
    # the tax authority's answers, relayed by TSS
    "rejeição",
    "rechazo",
]
# The same messages as Portuguese and Spanish systems and translations word them, and the other
# servers' messages a log quotes (SQL Server, PostgreSQL, sockets, HTTP, the licence server): a
# customer quotes them, never writes them in their own words, so they mark a log by themselves.
QUOTED_MESSAGES = [
    "variável não existe",
    "variavel nao existe",
    "variable no existe",
    "alias não existe",
    "alias no existe",
    "array fuera de rango",
    "array fora do limite",
    "fuera de rango",
    "tipo de dato incorrecto",
    "tipos incompatíveis",
    "tipos incompatibles",
    "size overflow",
    "division by zero",
    "divisão por zero",
    "división por cero",
    "zero divide",
    "undefined function",
    "has compilation problems",
    "primary key constraint",
    "chave duplicada",
    "clave duplicada",
    "arithmetic overflow",
    "would be truncated",
    "conversion failed when converting",
    "ambiguous column name",
    "sqlstate",
    "connection refused",
    "connection reset",
    "connection timed out",
    "conexão recusada",
    "conexión rechazada",
    "no license available",
    "no licenses available",
    "licenses exceeded",
    "licenças excedid",
    "não há licenças disponíveis",
    "no hay licencias disponibles",
    "soap fault",
    "faultstring",
    "401 unauthorized",
    "403 forbidden",
    "404 not found",
    "400 bad request",
    "503 service unavailable",
]
KNOWN_ERRORS += QUOTED_MESSAGES


def _trie(words: list[str]) -> str:
    """One regular expression for many words, shared prefixes once: far faster than «a|b|c…»."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


# Searched in the lower-cased text (positions are the same for the scripts logs are written in).
# Numbered messages: DBAccess's «Error : -35», the runtime's «argument 2 error», the compiler's «Error C2090».
_NUMBERED = r"\berror[ \t]*:[ \t]*-?\d+|\bargument\s+\d+\s+error|\b(?:error\s+)?c\d{4}\s+(?:file not found|invalid)"
_KNOWN_LOWER = re.compile(_NUMBERED + "|" + _trie(KNOWN_ERRORS))
_KNOWN = re.compile("|".join([_NUMBERED, *(re.escape(e) for e in KNOWN_ERRORS)]), re.I)


def _known(line: str) -> re.Match[str] | None:
    """The first known message in the line."""
    lower = line.lower()
    return _KNOWN_LOWER.search(lower) if len(lower) == len(line) else _KNOWN.search(line)


# Known messages no customer writes in their own words: a line with one is a log line.
_SELF_EVIDENT = re.compile(
    r"variable does not exist|array out of bounds|type mismatch|alias does not exist|alias already in use"
    r"|invalid field name in alias|invalid column name|setorder|index not found|wscerr|\[sql server\]|startpath"
    r"|file is in eof|data width error|invalid data type|load apo failed|invalid rpo|open empty rpo|objects repository"
    r"|is not array|variable is not an object|invalid call to a|argumento #|argument #|tc_open|erro na abertura"
    r"|failed to load|appmap|invalid macro source|top error|invalid property|invalid class|cannot find function"
    r"|interfunctioncall|filter greater than|commit transaction|internal server error|argument \d+ error"
    r"|inconsistent datatypes|[ei]n eof|argument error in function|(?:column|relation) \"[^\"\n]*\" does not exist"
    r"|query greater than|tcgenqry|fwnolist|\berr\d{4}\s*:|cannot open rpo|insufficient privileges for"
    r"|could not connect to server|no free working threads|apw call failed|totvs sped services|doesn't support remote"
    r"|server returned a non numeric|\bora-\d{5}\b|java\.lang\.\w+|ole db provider|invalid write on|out of memory"
    r"|access violation|cannot create a new thread|\"error_?(?:code|message)\"\s*:|stack overflow"
    r"|work area table full|stack depth overflow|invalid field order|lock required"
    r"|start build failed|build not started|precompiled with warnings|ppo file|cannot overwrite totvs"
    r"|can't apply patch|can't read appre|could not be executed|is not local|compile key empty|\berror\s+c\d{4}\b"
    r"|falha ao iniciar o smartclient|retrieve connection error|can't connect to server|erro de comunica[cç][aã]o"
    r"|invalid readmschar|socketexception|recusou ativamente|actively refused"
    r"|\b(?:error\s+)?c\d{4}\s+(?:file not found|invalid)|connection to server got closed"
    r"|rejei[cç][aã]o \d{3}\s*:|rechazo \d{3}\s*:"
    "|" + _trie(QUOTED_MESSAGES),  # and the messages other systems word, quoted
    re.I,
)
_EVIDENT_LOWER = re.compile(_SELF_EVIDENT.pattern.lower())


def _evident(text: str, start: int = 0) -> re.Match[str] | None:
    """The first self-evident message in the text from start (searched lower-cased: far faster)."""
    lower = text.lower()
    return _EVIDENT_LOWER.search(lower, start) if len(lower) == len(text) else _SELF_EVIDENT.search(text, start)


# Lines that only a log has.
LOG_LINE = re.compile(
    r"T?HREAD ERROR|ERRO THREAD|\b(?:on|from)\s+\S+?\s*\(\s*[\w.\-]+\.(?:PRW|PRX|TLPP|PRG)\b|Called from"
    r"|\bline\s*:\s*\d+|\bError[ \t]*:[ \t]*-?\d+|\[(?:TOTVS\s+)?build\b|\bBuild\s+\d+\.\d+\.\d+|\bRPO Release\b"
    r"|\(\s*From\s+\w+::|\[remark\s*:|\[thread(?:type)?\s*:|\[environment\s*:|\bStack\s*:|\bon\s+\S+\($"
    r"|(?:^[\s>]*|:\s+(?:>\s*)?)\[(?:ERROR|WARN|FATAL)\s*\]\s*\[|\bWSCERR\d+|Exception in thread \d+|\[SQL Server\]"
    r"|^[\s>]*[A-Z_]\w*\s+-\s+[\w.]+\.PRW\(\d+\)|(?:^\s*|\|)\[VDRPORT\]|ERRO AO GERAR FONTE ADVPL|ADVPL WSDL Client"
    r"|^\s*Bridge Return\s*:|Compila(?:tion|[cç][aã]o) finished with errors|finalizada com erros"
    r"|^\s*[A-Z]{4}\d{3}[A-Z]?\s*\||^\s*\[TOTVS\b[^\]\n]*:"
    r"|(?:^\s*|:\s+)\[Error\s*-\s*\d{1,2}:\d{2}:\d{2}(?:\s*[AP]M)?\]"
    r"|(?:^\s*|:\s+)\(\s*[\d.]+s\)\s*\[\w+\s*\]"
    # the AppServer's console.log («2025-03-19T15:01:05.424305+00:00 263|…», «[Thread 1302…]»), the
    # editor's bridge answering in JSON («{"msgs":[{"Key":…,"Message":"…"}]}»)
    r"|^\s*\d{4}-\d{2}-\d{2}T[\d:.]+[-+]\d{2}:\d{2}\s+\d+\||^\s*\[Thread\s+\d+\]|\{\s*\"msgs\"\s*:\s*\[",
    re.I | re.M,
)
CONSOLE_ERROR = re.compile(r"[\s>]*(?:\[[\d:]+\]\s*)?ERROR\s*:")  # in capitals: «ERROR: …», not «Error: …»
TIMED_ERROR = re.compile(r"\[\d{1,2}:\d{2}:\d{2}\]\s*ERROR\s*:")  # «… [13:45:34] ERROR: …» after an editor's prefix


def _lower_pattern(pattern: str) -> str:
    """The pattern for lower-cased text: its letters in small letters, its escapes (\\S, \\W) kept."""
    return re.sub(r"\\.|[A-Z]", lambda part: part.group() if len(part.group()) > 1 else part.group().lower(), pattern)


_LOG_LINE_LOWER = re.compile(_lower_pattern(LOG_LINE.pattern), re.M)


# Marks no customer types, in any product's log, told by their case: an exception's class name
# («SyntaxError:», «java.net.ConnectException:», «tConnnErrorException (»), a numbered message of the
# SmartClient or the compiler («ERR0032», «C9907 Invalid …»), a source with its line («ZFAT.PRW(90)»),
# and the lines the developer tools write around a failure.
# Each is searched from its fixed part (a suffix, a capital, a parenthesis): a long log is read in
# a few milliseconds. The mark begins where its word does.
STRUCTURE = re.compile(
    r"(?<=[a-z])(?:Exception|Error)\b(?=\s*[:(])|\bERR\d{4}\b|\b[CW]\d{4}\s+[A-Z][a-z]"
    r"|\.(?i:PRW|PRX|TLPP|PRG|CH|TH)\s*\(\d+\)|^\W*\[0x[0-9a-fA-F]{8}\]\[\d{2}-\d{2}-\d{4}"
    r"|\b(?:Error in|Erro no|Erro em)\s+[\w\-]+\.(?i:PRW|PRX|TLPP|PRG)\b"
    r"|(?i:\bCompila(?:[cç][aã]o|tion)\s+(?:iniciada|started|finalizada|finished)|\bCompile\s+(?:Start|Finish)\s+at)"
    r"|\bFW[A-Z][A-Za-z]+\s*:\s"  # the framework's class naming itself: «FWFormViewStruct: Campo:… não encontrado»
    r"|^!(?:ENTRY|MESSAGE)\s"  # the Eclipse-based developer studio's log
)
WORD_BEFORE = re.compile(r"[\w.:\-]*$")
_ANY = re.compile("")


def _structure(line: str) -> int | None:
    """Where the first mark of a log's structure begins in the line (its word's start), or None."""
    found = STRUCTURE.search(line)
    if found is None:
        return None
    before = line[: found.start()]
    word = WORD_BEFORE.search(before)
    return word.start() if word else found.start()


def _log_line(line: str) -> re.Match[str] | None:
    """The first mark of a log in the line (searched lower-cased: far faster than ignoring case)."""
    lower = line.lower()
    found = _LOG_LINE_LOWER.search(lower) if len(lower) == len(line) else LOG_LINE.search(line)
    structure = _structure(line) if found is None or found.start() else None  # a log line from its start already
    if structure is not None and (found is None or structure < found.start()):
        found = _ANY.match(line, structure)  # the log from the word that bears the mark
    console = CONSOLE_ERROR.match(line) or TIMED_ERROR.search(line)
    return console if console and (found is None or found.start() >= console.start()) else found


# What a console, a debugger or an editor puts before a message: left out of the message.
NOISE = re.compile(
    r"^(?:\(\s*[\d.]+s\)\s*\[\w+\s*\]\s*[\w.]*:\d+\s*\||\s+|\d{4}-\d{2}-\d{2}T[\d:.]+[-+]\d{2}:\d{2}\s+\d+\||\[(?:ERROR|WARN|FATAL|INFO)\s*\]\s*\[\w+\]"
    r"|\[\d{2}/\d{2}/\d{4}\s+\d{2}:\d{2}:\d{2}\]|\[THROW\]|\[Thread\s+\d+\]"
    # the AppServer's port layer: its time, thread, code and level letter, then where in its C++ code
    r"|\[VDRPORT\]\s*(?:\d{6}_\d{6}\s+[0-9A-F]+\s+[A-Z]{3}\d{4}\s+)?[EWIF]\s+(?:x\s+\d+\s+)?(?:[\d/]+\s+[\d:]+\s+)?"
    r"(?:[A-Z]{3}:\d{4}\s+)?(?:line=\d+\s+)?(?:ctx:\d+\s+)?|\[VDRPORT\][\w\s:]*?(?=\berror\b)"
    r"|>|//|/\*|--|\(|:(?=\s)|\[\d{1,2}:\d{2}:\d{2}\]|error\.?\s?log\b\s*[|\-:]?|ERROR\s*:(?!\s*-?\d)"
    r"|Exception in thread \d+|Stack\s*:|\[?(?:Error|Info|Warn|Log|Trace)\s*-\s*[\d:]+(?:\s*[AP]M)?\]"
    r"|[A-Z]{4}\d{3}[A-Z]?\s*(?:\||:|-(?=\s))|P?\d{2}\.\d+\.\d+\s*-\s|-\s|Erro no DbAcc?ess\s"
    r"|\[(?:FATAL|ERROR)\]\s*|Start build error\s*:\s*Server returned\s*:\s*"
    r"|\[0x[0-9a-f]+\]\[[\d\s:\-]+\]\s*-\s*"  # the debug bridge's «[0x00001d74][30-07-2021 20:36:01] -»
    r"|Thread\[\d+\]\s*-\s*[\d/]+\s+[\d:]+\s*:\s*"  # the compiler bridge's «Thread[1] - 17/07/2018 11:45:58:»
    r"|!MESSAGE\s+"  # Eclipse's log
    r"|\d{1,5}\s*-\s*(?=ORA-\d{5}))",  # a bare number repeating the Oracle code after it: «932 - ORA-00932»
    re.I,
)
# What is left of a line that has no message: «P12.1.33 CTBR560 ERROR LOG».
EMPTY_MESSAGE = re.compile(r"(?:P?\d+(?:\.\d+)+\s*)?(?:[A-Z]{4}\d{3}[A-Z]?\s*)?(?:error\.?\s?log)?", re.I)
# What follows a message and is not part of it: a C++ location, the client's address.
TAIL = re.compile(
    r"\s+(?:(?:in|at) file\s+\S+(?:\s+at)?(?:\s+line\s*\d+)?|in receive from client .*"
    r"|on \S+\.(?:cpp|inl)(?::\d+| at \d+).*"
    rf"|\(\s*[\w.\-]+\.{SOURCE_EXT}\s*\))$",  # … and the source a compiler was compiling
    re.I,
)
# Lines around a message that are not it.
NOT_MESSAGE = re.compile(
    r"^\s*(?:-{5,}|Source URL\s*:|ADVPL WSDL Client|\[(?:Info|Log)\s*- [\d:]+(?:\s*[AP]M)?\]|\[INFO\s*\]"
    r"|!(?:ENTRY|SESSION|STACK)\s"  # Eclipse's log around its «!MESSAGE»
    r"|\[\w[^\]]*:[^\]]*\]\s*$"
    r"|Called from|SELECT\b|UPDATE\b|INSERT\b|DELETE\b|\(\s*From\b"
    r"|Compila(?:[cç][aã]o|tion)\s+(?:iniciada|started|finalizada|finished)\s+(?:em|at|in)\b|Compile\s+(?:Start|Finish)\s+at"
    rf"|[A-Z_][\w.:]*\s+-\s+[\w.\-]+\.{SOURCE_EXT}\(\d+\))",  # a debugger's stack line
    re.I,
)
LEVELS = ("FATAL", "ERROR", "WARN")
# The customer's words before a log on the same line: «al grabar me sale esto:», «dice:».
LEAD_IN = re.compile(
    r"\b(?:me sale|sale|salta|aparece|dice|muestra|tira|da|esto|isto|isso|mensaje|mensagem|error|erro|grabar|guardar"
    r"|incluir|pedido|cuando|quando|al)\b[^:]*:\s*$",
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
    (
        ErrorKind.WEB_SERVICE,
        r"wscerr|soap|wsdl|webservice|web service|\bhttp\s*\d{3}|\brest\b[^\n]*\berr|internal server error|\bapw\b"
        r"|\"error_?(?:code|message)\""
        r"|working threads|sped services|\btss\b|rejei[cç][aã]o \d{3}|rechazo \d{3}"
        r"|\bhttps?s?(?:get|post|put|delete|quote)\b",  # the AdvPL functions that call a web service
    ),
    (
        ErrorKind.CONNECTION,
        r"no connection|sem conex|sin conex|connection (?:refused|reset|lost|failed|timed out|terminated|interrupted)"
        r"|terminated by the administrator|could not connect|\bconnect\b|socket|\brpc\b|timeout|connect failed"
        r"|authentication|\bssl"
        r"|certificate|certificado|sincronismo|\bsync\b"
        r"|conex[aã]o|conexi[oó]n|fechada remotamente|closed remotely|comunica[cç][aã]o|\btns:|no listener"
        r"|connection refused|unreachable|\b1006[01]\b|winsock|could not resolve|host not found|network error"
        r"|tempo esgotado|tiempo de espera|readmschar|can't connect|recusou|actively refused|got closed|\b0032\b",
    ),
    (
        ErrorKind.STARTUP,
        r"failed to load|load appmap|\bapo\b|\brpo\b|objects repository|reposit[oó]rio|startpath|inifile"
        r"|\.ini\b|environment [^\n]*not found|ambiente [^\n]*n[aã]o encontrado|fail to start|initialization"
        r"|\bpatch\b|copied to the server|deleted from rpo|compil|privileges|not defined in the ini"
        r"|printer agent|\.dll\b|address already in use|port [^\n]*(?:in use|em uso|en uso)|failed to start"
        r"|shutting down|\bini\b|operational limits|ulimit"
        r"|start build|build not started|\bappre\b|\bppo\b|precompiled|\berror\s+c\d{4}\b|cannot overwrite totvs"
        r"|smartclient|is not local|organization list"
        # the developer tools: compiling, building the RPO, debugging
        r"|[\w\-]\.(?:prw|prx|tlpp|prg)\(\d+\)\s+(?![\s-])"  # a compiler's «zfat.prw(90)   c9907 …»
        r"|language ?server|\brepository\b|\bbuild\b(?!\s*(?:version)?\s*:?\s*\d)|debug|bridge|\b[cw]\d{4}\s",
    ),
    (ErrorKind.LICENCE, r"licen|too many users|muitos usu|muchos usu"),
    (
        ErrorKind.DATABASE,
        r"tc_open|topconn|dbaccess|\berror[ \t]*:[ \t]*-?\d+|sql|ora-\d|invalid column|invalid object"
        r"|erro na abertura|error en la apertura|setorder|index not found|already in use|em uso|invalid field name"
        r"|duplicate key|unique key|deadlock|ctree|\bdbf\b|dbcreate|alias does not exist|work area|\beof\b|data width"
        r"|invalid data type|odbc|divis[aã]o por zero|top error|tcgenqry|query greater than|filter greater than"
        r"|(?:commit|begin|rollback) transaction|(?:column|relation) \"|invalid write on|ole db provider"
        r"|lock required|work area table full|invalid field order|\bquery\b",
    ),
    (ErrorKind.CUSTOMER_EXCEPTION, r"userexception|\buser\s*exception"),
]
KIND_LINES = 60  # the top of a log says what failed; its long tail is stack and settings
# Searched in lower-cased text: far faster than ignoring case.
_KIND = [(kind, re.compile(pattern.lower())) for kind, pattern in KIND_MARKERS]
INFO_LINE = re.compile(r"^\s*\[[^\]]*:[^\]]*\]\s*$", re.M)  # [build: …], [TOTVS License Server Version: …]
# Messages of the runtime itself: in a customer's source they are still a runtime error, not a
# message the customer raised.
RUNTIME_MESSAGE = re.compile(
    r"variable|array|type mismatch|argument|invalid|cannot|stack|memory|not an object|macro|undefined|division"
    r"|does not exist|bad |error|erro |argumento|par[aâ]metro|previsto|n[aã]o existe|no existe|inv[aá]lid"
    r"|overflow|violation|out of|fuera de|not found|failed|denied|exceeded|tipo de dato",
    re.I,
)


# The runtime's own messages: a log that quotes one is the runtime's, frame or not.
RUNTIME_SIGNS = re.compile(
    r"variable does not exist|array out of bounds|type mismatch|argument|alias does not exist|not an object"
    r"|is not array|cannot find (?:function|method)|invalid (?:call|macro|property|class)|stack (?:depth )?overflow"
    r"|division by zero|zero divide|vari[aá]vel n[aã]o existe|variable no existe|undefined function"
    r"|\bfw\w+(?:model|view|list|browse)\b|\bfwnolist|support remote"  # the framework's classes (FWFormGridModel)
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
# What pasting bends, each with a cheap test of whether the text needs it (a long log is read
# in a few milliseconds): (needed, pattern, replacement).
_MENDS = [
    (re.compile(r"\\[ \t]*$", re.M), re.compile(r"[ \t]*\\[ \t]*$", re.M), ""),  # Markdown line breaks
    (
        re.compile(r"\*\*|`"),
        re.compile(r"\*\*|^([ \t>]*)`+|`+(?=[ \t]*$)", re.M),
        r"\1",
    ),  # Markdown's bold and code marks around a pasted line
    (re.compile(r"/\s+Called from", re.I), re.compile(r"\s+/\s+(?=Called from\b)", re.I), "\n"),  # a flattened stack
    (
        re.compile(r"\(\s*\n"),
        re.compile(rf"\(\s*\n\s*(?=[\w.\-]+\.{SOURCE_EXT}\s*\))", re.I),
        "(",
    ),  # a frame wrapped inside its parenthesis
    (
        re.compile(r"\)\d{2}/"),
        re.compile(rf"(\.{SOURCE_EXT}\s*\))(?=\d{{2}}/\d{{2}}/\d{{4}})", re.I),
        r"\1 ",
    ),  # no space before the date
    (
        re.compile(r"\n\s*(?:\d{2}/\d{2}/\d{4}[^\n]*)?line\s*:", re.I),
        re.compile(rf"(\.{SOURCE_EXT}\s*\)[^\n]*?)\n\s*(?=(?:\d{{2}}/\d{{2}}/\d{{4}}[^\n]*)?line\s*:)", re.I),
        r"\1 ",
    ),  # the date and line wrapped below the frame
    (
        re.compile(r"\bat\s*\n", re.I),
        re.compile(r"\bat\s*\n\s*(?=line\s+\d+\s+on\b)", re.I),
        "at ",
    ),  # a C++ location wrapped
    (
        re.compile(r"\bon[ \t]*\n", re.I),
        re.compile(rf"\bon\s*\n\s*(?={FUNCTION}\s*\(\s*[\w.\-]+\.{SOURCE_EXT})", re.I),
        "on ",
    ),  # a frame wrapped after «on»
    (
        re.compile(r"line\s*:[ \t]*\n", re.I),
        re.compile(r"(\bline\s*:)[ \t]*\n\s*(?=\d+[ \t]*$)", re.I | re.M),
        r"\1 ",
    ),  # the line's number wrapped below «line :»
    (
        re.compile(r"\b(?:fun|func|varia|vari) (?:ction|tion|ble|able)\b", re.I),
        re.compile(r"\b(fun|func|varia|vari) (ction|tion|ble|able)\b", re.I),
        r"\1\2",
    ),  # the runtime's «function» and «variable» broken by a space when copied from a wrapped page
]


def mended(text: str) -> str:
    """The log as the AppServer wrote it, before a chat, an editor or a phone bent it."""
    text = _unwrapped(html.unescape(text or "").replace("\r\n", "\n").replace("\r", "\n"))
    for needed, pattern, replacement in _MENDS:
        if needed.search(text):
            text = pattern.sub(replacement, text)
    return text


# --- finding the log in the message ------------------------------------------------------
def _looks_technical(text: str) -> bool:
    """Runtime text rather than a customer's: a source file, a path, a frame, a field, a table."""
    return bool(
        re.search(
            r"\.(PRW|PRX|TLPP)\b|[A-Z]:\\|\bon\s+\w+\(|\b(of|on|near)\b|#\d|->|\b[A-Z][A-Z0-9]{1,2}_\w+"
            r"|\b[A-Z][A-Z0-9]{2}\d{3}\b|\[\w+\]|\b[A-Z]{4}\d{3}\b",
            text,
        )
    )


# Known words a customer also writes in their own sentences.
WEAK_KNOWN = re.compile(r"erro(?:r)?[\s.]?log|licen(?:se)?|topconn|dbaccess|odbc", re.I)
SOURCE_FILE = re.compile(rf"\.{SOURCE_EXT}\b", re.I)


def _log_start(line: str, after_header: bool) -> int | None:
    """Where a log begins in the line (after the customer's words, if any), or None."""
    if after_header and line.strip():
        return len(line) - len(line.lstrip())
    if "." in line and NAKED_FRAME.fullmatch(line.strip()):
        return len(line) - len(line.lstrip())  # a line that is only «CTBGRVRAZ(CTBR400.PRW)»
    marked = _log_line(line)
    # A mark that opens after a colon («…esto: [WARN ][SERVER]…») starts after it.
    mark = marked.start() + len(marked.group()) - len(marked.group().lstrip(": \t")) if marked else 0
    if marked and not line[:mark].strip():
        return mark  # the line opens as a log line: nothing of the customer's before it
    starts = [mark] if marked else []
    frame = _frame_in(line)
    if frame:  # the message before the frame belongs to the log
        starts.append(_message_start(line[: frame.start()]))
    known = _known(line)
    if known and WEAK_KNOWN.fullmatch(known.group()) and not SOURCE_FILE.search(line):  # «la licencia», «un
        strong = _known(line[known.end() :])  # error log»: a customer's words; a log needs more than them
        known = known if strong and not WEAK_KNOWN.fullmatch(strong.group()) else None
    if known and (_looks_technical(line) or _evident(line, known.start())):
        code = CODE_BEFORE.search(line, 0, known.start())
        starts.append(code.start() if code else known.start())
    if not starts:
        machine = _machine_message(line)
        return machine[0] if machine else None
    said = _said_before(line)
    if said and said <= max(starts):  # «al grabar me sale esto: <log>»
        return said
    start = min(starts)
    return _message_start(line[:start]) if start and _lead_in(line[:start]) is None else start


# A system's message in English inside a Spanish chat: a tool, a server or a driver wrote it, in words
# no list holds («Could not get compilation parameters from RPO»). English grammar words, an error
# word and a technical mark (a code, a path, a bracket) tell it from a customer writing in English,
# who also says «I», «we», «help». The grammar words of each language are spaCy's stop words.
ENGLISH_ERROR = re.compile(
    r"\b(?:errors?|fail(?:ed|s|ure)?|invalid|cannot|can't|couldn't|unable|denied|refused|exception|fatal"
    r"|abort(?:ed|ing)?|time[d ]?out|missing|incorrect|wrong|unknown|unexpected|mismatch|overflow|corrupt(?:ed)?"
    r"|not found|could not|unavailable|expired|rejected|forbidden|unauthorized|disconnected|not allowed"
    r"|doesn't exist|does not exist|(?:was|is|wasn't)\s+(?:not\s+)?possible)\b",
    re.I,
)
SHARED_ERROR_WORDS = frozenset({"error", "errors", "fatal"})  # Spanish words too
PERSON_WORDS = frozenset("i i'm i've we we're my our us hello hi sorry thanks thank help hold hey".split())
SHORT_MESSAGE_WORDS = 3
ENGLISH_GRAMMAR = 2  # English words a message of a few words has: «Could not get …», «Unable to open …»
TECHNICAL = re.compile(r"\d|[A-Z]{3,}|[a-z][A-Z]|[:\[\]()\\/<>=_\"]|\.\w")
# A word as written, its punctuation around it left out: «SE1.E1_VENCREA» is one word, not «se».
WRITTEN_WORD = re.compile(r"[^\s\"'«»()\[\]{},;:!?¿¡]+(?:'[a-z]+)?")


CONJUNCTIONS = frozenset({"y"})  # Spanish's «and», missing from spaCy's list («o», «u» are also AdvPL's type letters)


@lru_cache(maxsize=1)
def _grammar_words() -> tuple[frozenset[str], frozenset[str]]:
    """(English's grammar words, Spanish's): each language's stop words the other has not."""
    english, spanish = stop_words("en"), stop_words("es")
    return english - spanish, (spanish - english) | CONJUNCTIONS


SPANISH_SPELLING = re.compile(r"[a-záéíóúñüãõçâêôà]{2,}")  # and Portuguese: a customer may write it


def _spanish(word: str) -> bool:
    """A word of the customer's Spanish: a common one, or one with Spanish letters."""
    return word in _grammar_words()[1] or not word.isascii() and SPANISH_SPELLING.fullmatch(word) is not None


def _opens_english(word: str, first_letter: str, english: frozenset[str]) -> bool:
    """A word a system's English message may open with: a capital, a grammar word, a code."""
    return first_letter.isupper() or word in english or not word.isalpha()


def _customer_words(text: str) -> int:
    """How many words of Spanish or Portuguese the text has (a common one, or one spelt so)."""
    return sum(_spanish(m.group().lower()) for m in WRITTEN_WORD.finditer(text))


def _in_customer_language(text: str) -> bool:
    return _customer_words(text) > 0


CUSTOMER_WORDS_AFTER = 2  # «… from RPO y no puedo seguir»: the customer writes on after the message


def _customer_goes_on(rest: str) -> bool:
    """The customer's own words after a system's message on its line (no frame of the log there)."""
    return _customer_words(rest) >= CUSTOMER_WORDS_AFTER and not _frame_in(rest)


def _machine_message(line: str) -> tuple[int, int] | None:
    """Where a system's English message starts and ends in the line, or None when the line has none:
    the run of words around its error word, up to the customer's Spanish words on either side."""
    error = ENGLISH_ERROR.search(line)
    if error is None:
        return None
    words = [(m.start(), m.group().rstrip(".").lower()) for m in WRITTEN_WORD.finditer(line)]
    at = next((i for i, (position, _) in enumerate(words) if position >= error.start()), None)
    if at is None:
        return None
    first = next((i + 1 for i in range(at - 1, -1, -1) if _spanish(words[i][1])), 0)
    last = next((i for i in range(at, len(words)) if _spanish(words[i][1])), len(words))
    said = [word for _, word in words[first:last]]
    english = _grammar_words()[0]
    english_error = error.group().lower() not in SHARED_ERROR_WORDS  # «unable», «failed»: English's own
    grammar = sum(word in english for word in said) + english_error
    # A short message may have no grammar word, but opens with English's own error word:
    # «Invalid client library [libpsqlodbc.so] (ODBC)».
    opens_so = english_error and line[error.start()].isupper() and len(said) >= SHORT_MESSAGE_WORDS
    if grammar < ENGLISH_GRAMMAR and not opens_so or PERSON_WORDS.intersection(said):
        return None
    # It opens at its first English word (a capital, a grammar word, a code): not at the customer's
    # «compilar me sale» before it.
    opening = next((i for i in range(first, at) if _opens_english(words[i][1], line[words[i][0]], english)), at)
    start = words[opening][0]
    end = words[last][0] if last < len(words) else len(line)
    return (start, end) if TECHNICAL.search(line, start, end) else None


# The customer's words before a colon and what the system showed: «al incluir el título: <log>».
SAID = re.compile(r"^(?P<said>[^:\n]{3,120}?):\s+")
SPANISH = frozenset(
    "al el la los las de del en me mi nos se sale esto este esta eso cuando quando ao no na o a que y e con para "
    "aparece dice muestra grabar guardar incluir calcular emitir abrir dá da".split()
)


def _said_before(line: str) -> int | None:
    """Where the log starts after the customer's words and a colon, if the line opens so: words in
    small letters, with Spanish or Portuguese ones (not «FV9010:» nor «PREVIOUS ERROR:»)."""
    found = SAID.match(line)
    if not found:
        return None
    words = re.findall(r"[^\W\d_]+", found.group("said"))
    spoken = [w for w in words if w.islower()]
    customer_like = len(words) >= 2 and len(spoken) >= len(words) / 2 and set(spoken) & SPANISH
    return found.end() if customer_like and not _evident(found.group("said")) else None


PHONE_WIDTH = (25, 50)  # characters: a chat on a phone breaks long lines about there
WRAP_SLACK = 3  # a phone's font is not fixed-width: a line may end a few characters short
RULER = re.compile(r"\s*[-=*]{5,}\s*")
NEW_PART = re.compile(
    r"^\s*(?:T?HREAD ERROR|ERRO THREAD|Called from|\[(?:[\w\s]+:|ERROR|WARN|FATAL|INFO)|Stack\s*:"
    r"|\d{2}/\d{2}/\d{4}\s+\d{2}:|-{5}|ADVPL WSDL Client|\[0x[0-9a-f]+\]\["
    rf"|[A-Z_][\w.:]*\s+-\s+[\w.\-]+\.{SOURCE_EXT}\(\d+\)"  # a debugger's stack line
    rf"|[\w\-]+\.{SOURCE_EXT}\(\d+\)\s+(?![\s-]))",  # a compiler's message
    re.I,
)


def _unwrapped(text: str) -> str:
    """A log copied from a phone's chat comes back with its long lines broken at the screen's
    width: joined again where the phone broke them, that is where the next word would not have
    fitted on the line (a line that starts a new part of the log stays on its own)."""
    lines = text.split("\n")
    # Where the phone breaks shows on lines of several words (one long word overflows the screen).
    if any(len(ln) > PHONE_WIDTH[1] and " " in ln.strip() and not RULER.fullmatch(ln) for ln in lines):
        return text  # a line of several words longer than a phone's: not wrapped by one
    width = max((len(ln.rstrip()) for ln in lines if len(ln.split()) > 1 and not RULER.fullmatch(ln)), default=0)
    if not PHONE_WIDTH[0] <= width <= PHONE_WIDTH[1]:
        return text  # lines longer than a phone's, or all short: not wrapped by one
    joined: list[str] = []
    previous = ""  # the line as the phone showed it, before joining
    for line in lines:
        wrapped = previous.strip() and line.strip() and not NEW_PART.match(line) and not RULER.fullmatch(previous)
        unclosed = joined and joined[-1].count("[") > joined[-1].count("]")  # «[remark: …» goes on
        if wrapped and (unclosed or len(previous.rstrip()) + 1 + len(line.split()[0]) > width - WRAP_SLACK):
            joined[-1] = joined[-1].rstrip() + " " + line.strip()
        else:
            joined.append(line)
        previous = line
    return "\n".join(joined)


def _message_start(before: str) -> int:
    """Where a log's line begins in the text before its message or frame: after the customer's
    «al grabar me sale esto:», else at the line's start (the message's own words, such as
    «FV9010:» or «PREVIOUS ERROR:», stay)."""
    said = _lead_in(before)
    if said is not None:
        return said
    glued = list(GLUED_TIME.finditer(before))
    return glued[-1].end() if glued and before[glued[-1].end() :].strip() else 0


GLUED_TIME = re.compile(r"\d{2}/\d{2}/\d{4}\s+\d{2}:\d{2}:\d{2}\s*")


def _lead_in(before: str) -> int | None:
    """The end of the customer's «…me sale esto:» right before a log, if the text ends so."""
    if not before.rstrip().endswith(":"):
        return None  # cheap: only a colon can end a lead-in
    found = LEAD_IN.search(before)
    return found.end() if found else None


def _frame_in(line: str) -> re.Match[str] | None:
    """The first ` on FUNC(SOURCE)` of a line (a frame needs a parenthesis and a dot)."""
    return FRAME.search(line) if "(" in line and "." in line else None


# A console's, an editor's or a log's own line: «[Log - 00:00:00] Starting connection…», «[dbthread: 85372]»,
# «2022-08-30T11:03:12.492000-03:00 10980|», «Source URL : …», «-------».
CONSOLE_LINE = re.compile(
    r"\s*(?:\[[^\]\n]*:[^\]\n]*\]|\[?\s*(?:INFO|LOG|WARN|WARNING|DEBUG|ERROR|FATAL)\s*[\]-]|\[thread\s+\d+\]"
    r"|\d{4}-\d{2}-\d{2}T[\d:.]+|Source URL\s*:|-{5,}|Exception code\s*:|\w+\(\)::|(?:TOTVS\s+)?Application Server\s*$"
    r"|Start build error)",
    re.I,
)
STACK_LINE = re.compile(r"^\s*(?:Called from\b|\[[^\]\n]*:)", re.I)
STACK_OPENINGS = ("C", "c", "[")  # a cheap test before the pattern: a long log has hundreds of lines


@lru_cache(maxsize=CACHED)
def split_log(text: str) -> tuple[str, str]:
    """(the customer's words, the log). Without a log the words are the whole text. From a
    `THREAD ERROR` header to its failing frame every line is the log (a message over several lines,
    the query that failed); after the frame, the log goes on while its lines look like one."""
    words, log = [], []
    after_header = in_block = seen_frame = False
    for line in mended(text).splitlines():
        header = HEADER.search(line) if "thread" in line.lower() else None
        if header:
            in_block, seen_frame = True, False
            said = _said_before(line)
            if said is not None and said <= header.start():  # «me sale esto: THREAD ERROR (…) …»
                words.append(line[:said])
                line = line[said:]
        if in_block and not seen_frame:  # between the header and the failing frame: all of it
            log.append(line)
            seen_frame = bool(_frame_in(line))
            after_header = bool(HEADER_LINE.match(line)) and not seen_frame
            continue
        if in_block and not line.strip():  # a blank line between the stack and the information lines
            continue
        if in_block and line.lstrip()[:1] in STACK_OPENINGS and STACK_LINE.match(line):  # the stack, information lines
            log.append(line)
            continue
        start = _log_start(line, after_header)
        after_header = bool(HEADER_LINE.match(line)) and not _frame_in(line)
        if in_block and line.strip() and start is not None:
            log.append(line)
            continue
        in_block = False
        if start is None:
            words.append(line)
            continue
        machine = _machine_message(line)
        ends_early = machine and (machine[0] == start or machine[0] > start and _customer_goes_on(line[machine[1] :]))
        end = min(machine[1], _log_end(line)) if machine and ends_early else _log_end(line)
        words.append(line[:start] + " " + line[end:])
        log.append(line[start:end])
    if log:  # what a console or an editor printed around the log is not the customer's words either
        words = [w for w in words if not CONSOLE_LINE.match(w)]
    elif _phone_lines(text):  # a system's message broken over a phone's short lines: read as one line
        return split_log(" ".join(line.strip() for line in text.splitlines()))
    return " ".join(w.strip() for w in words if w.strip()), "\n".join(log).strip()


PHONE_LINES = 8  # a message of a few lines on a phone's screen


def _phone_lines(text: str) -> bool:
    """A few short lines that, joined, make a system's English message: a phone broke it where a
    path or a long name did not fit, a word longer than the screen alone on its line (lines too
    short for _unwrapped to see the screen's width)."""
    lines = [line.strip() for line in text.strip().splitlines()]
    if not 1 < len(lines) <= PHONE_LINES or any(len(line) > PHONE_WIDTH[1] and " " in line for line in lines):
        return False
    return _machine_message(" ".join(lines)) is not None


def _log_end(line: str) -> int:
    """Where the log ends in the line: after its `line : N` when the customer goes on writing."""
    found = list(re.finditer(r"\bline\s*:?\s*\d+", line, re.I))
    if found and re.search(r"[a-záéíóúñ]{3,}", line[found[-1].end() :]) and not FRAME.search(line[found[-1].end() :]):
        return found[-1].end()
    return len(line)


def is_protheus_error(text: str) -> bool:
    """The text names an error message of the AdvPL runtime or DBAccess."""
    return bool(_known(text or ""))


def looks_like_log(text: str) -> bool:
    return bool(split_log(text)[1])


def placeholder(log: str) -> str:
    """What the classifier reads for a log. The same for every log: whose code failed is said to
    the customer by the error form, who decides (protheus.action_server.actions.forms); the log
    alone routes nothing."""
    return LOG_PLACEHOLDER


# --- reading the fields --------------------------------------------------------------------
def _table_of(field: str) -> str:
    """Protheus names a field after its table: C5_XTIPO is in SC5, ZZ1_COD in ZZ1."""
    prefix = field.split("_", 1)[0]
    return "S" + prefix if len(prefix) == 2 else prefix


def _clean_message(message: str) -> str:
    """The message without the header, the console's or editor's prefixes, a glued date, and what
    follows it (a date, a C++ location)."""
    message = HEADER.sub("", message)
    message = re.sub(rf"^\s*{DATE_TIME.pattern}\s*", "", message)
    located = COMPILER_LOCATION.search(message)
    message = message[located.end() :] if located else message
    message = message.strip("\t").split("\t")[0]  # a tool's columns: the message is one of them
    while True:
        stripped = NOISE.sub("", message, count=1)
        if stripped == message:
            break
        message = stripped
    message = re.sub(rf"^\s*{DATE_TIME.pattern}\s*", "", message)
    message = re.split(r"\s+\d{2}/\d{2}/\d{4}", message)[0].strip()
    # A tool printed its line break as «\n\r», or a REST answer its stack after « | »: another part.
    message = re.split(r"\\[nr]", message)[0]
    message = PIPE_FRAME.split(message, maxsplit=1)[0]
    message = TAIL.sub("", re.sub(r"\s*(?://|/\*|--)\s*$", "", message))  # a comment's marks before the frame
    if message.endswith(")") and message.count(")") > message.count("("):
        message = message[:-1]  # «(PREVIOUS ERROR: …) ON …»: its opening parenthesis went with the noise
    message = _without_prose(message.strip(" \t:"))[:MESSAGE_CHARS]
    return "" if EMPTY_MESSAGE.fullmatch(message) else message


# A compiler's message follows the source and line it names, and «Error» before its code is not
# part of it: «Aborting: ZFAT.PRW(90)   C9907 Invalid …», «Error in ZFAT.prw   For variable …».
COMPILER_LOCATION = re.compile(
    rf"(?:\b[\w\-]+\.{SOURCE_EXT}\(\d+\)|\b(?:Error in|Erro no|Erro em|Error en)\s+[\w\-]+\.{SOURCE_EXT}\b)"
    r"\s+(?![\s-])(?:Error\s+(?=[CW]\d{4}\b))?",
    re.I,
)
# Where a compiler stopped: «ZFAT.PRW(90)   C9907 …» (not the preprocessor's APPRE* copy, nor a
# debugger's «FUNC - ZFAT.PRW(90) - Params»).
COMPILED_AT = re.compile(rf"(?<![\w\-])(?!APPRE)[\w\-]+\.{SOURCE_EXT}\((\d+)\)\s+(?![\s-])", re.I)
MESSAGE_CHARS = 300  # a database's message holds its table and driver
PROSE_WORDS = 2  # words of a sentence before a known message: a title or a sentence, not the message's
PROSE_WORD = re.compile(r"\b[A-ZÁÉÍÓÚÃÕÇ]?[a-záéíóúãõçâêô]{2,}\b")
# Where a known message in a sentence ends: at the sentence's next words.
PROSE_AFTER = re.compile(
    r"(?<!-)\s+(?:en|no|na|ao|al|quando|cuando|when|para|ao\s+\w+|rotina|utilizando|apresenta|ocurre|ocorre"
    r"|depois|despu[eé]s|after|durante|porque|pois|mas|pero)\s"
    r"(?=[a-záéíóúãõç])|\s*\.{3}|\s+(?:Tabela|Tabla|Table)\s+[A-Z][A-Z0-9]{2}\b"
    r"|(?<=\.)\s+(?:Contate|Contacte|Entre em contato|P[oó]ngase)\b"
    r"|\s*,\s+(?=relat[oó]rio\b|rotina\b|informe\b|report\b)",
    re.I,
)
HEADER_WORDS_RE = re.compile(r"erro(?:r)?\.?\s?log|t?hread error|erro thread|error thread", re.I)
QUOTES = '"“”'
# Known words that end a message rather than open it («… Alias CTF en EOF», «… já em uso»).
CLOSING_WORDS = re.compile(
    r"[ei]n eof|em uso|already in use|does not exist|is not array|could not be executed|is not local"
    r"|precompiled with warnings",
    re.I,
)
# Only a routine and the words «error log» before a message: «CTBS011 variable…», «MATA650 Errorlog …».
ROUTINE_PREFIX = re.compile(r"(?:[A-Z]{3,5}-?\d{3}[A-Z]?\W*)?(?:erro(?:r)?\.?\s?log\W*|erro(?:r)?\W*)?", re.I)
# A code that is part of the message, right before it: «SC8000: Filter greater than…».
CODE_BEFORE = re.compile(r"\b(?:[A-Z][A-Z0-9]{3,}|[\w.]*[a-z](?:Exception|Error))\s*:\s*$")  # or an exception's class
# What follows a message in a release note or a stack-less paste: « on U_MT390VLV», « line : 454»,
# «(L:2208)», the routine and country of a release note («ATFA060 BRA»).
MESSAGE_TAIL = re.compile(
    r"(?:\s+(?i:on)\s+(?:U_)?[A-Z_][A-Z0-9_]{2,}\b(?:[^a-z]|line)*|\s*\((?:L|line)\s*:\s*\d+\)\.?"
    r"|\s+(?i:line)\s*:?\s*\d+\.?|\s+[A-Z]{4}\d{3}[A-Z]?\s+[A-Z]{3})\s*$"
)
# A document's title after a message of several words: «… C1_GRUPCOM - Tipo de Compras», «… - Ao
# Debugar». Not after a number or a single token, where the words are the message's own
# («Error : 1 - Duplicate key», «TC_Open - No connection»).
TITLE_TAIL = re.compile(
    r"(?<![\d\s])\s+-\s+[A-ZÁÉÍÓÚ][a-záéíóúãõç]+(?:\s+(?:[a-záéíóúãõç]+|[A-ZÁÉÍÓÚ][a-záéíóúãõç]+)){0,3}\s*$"
)
TITLED_WORDS = 3


def _without_title(message: str) -> str:
    title = TITLE_TAIL.search(message)
    return message[: title.start()] if title and len(message[: title.start()].split()) >= TITLED_WORDS else message


def _opened_before(before: str, opening: str = "(", closing: str = ")") -> int | None:
    """Where an unclosed parenthesis before a message opens: «no UPDDISTR (type mismatch …)»."""
    depth = 0
    for index in range(len(before) - 1, -1, -1):
        depth += 1 if before[index] == closing else -1 if before[index] == opening else 0
        if depth < 0:
            return index
    return None


# A tool's label of what failed, right before the message: «Start build error: », «Retrieve connection error: ».
TOOL_LABEL = re.compile(r"\s*(?:[A-Z][a-z]+)(?:\s+[a-z]+){0,3}\s+error\s*:\s*")


QUALIFIER = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\.$")


def _message_opening(message: str) -> int:
    """Where the message opens when a sentence or a release note's title comes before it: at the
    first known message, when there are words of a sentence before it or only a routine and
    «error log». Technical words before it (FV9010:, PREVIOUS ERROR:, SC6010: DB error) stay."""
    knowns = (k for k in _KNOWN.finditer(message) if not HEADER_WORDS_RE.fullmatch(k.group()))
    known = next(knowns, None)
    if known and WEAK_KNOWN.fullmatch(known.group()):  # «dbAccess console - Invalid …»: a title's words
        after_title = next((k for k in knowns if message[: k.start()].endswith(" - ")), None)
        known = after_title or known
    if known is None or CLOSING_WORDS.match(message, known.start()):
        return 0
    start = known.start()
    # A release note's «Title - message»: a title in words before « - », even for a message not self-evident.
    if not _evident(message) and not (message[:start].endswith(" - ") and PROSE_WORD.search(message[:start])):
        return 0
    if start and message[start - 1].isalnum() or FRAME.search(message, 0, start):
        return 0
    qualified = QUALIFIER.search(message, 0, start)  # «System.Net.Sockets.SocketException»: one name
    start = qualified.start() if qualified else start
    before = message[:start]
    opened = _opened_before(before)
    if opened is not None and PROSE_WORD.search(before[:opened]):
        return opened + 1  # «no UPDDISTR (type mismatch on compare on SFCINTEGRA)»
    if before.rstrip().endswith("--"):
        return 0  # «Request ignored -- RMS_DBGCOMPILE -- Build not started.»: one message, in parts
    if ENGLISH_ERROR.search(before) and re.search(r"[.!]\s*$", before):
        return 0  # «Connection failed. Could not connect …»: the tool's own sentence before it
    if TOOL_LABEL.fullmatch(before):
        return 0  # «Start build error: Start build failed»: the tool names what failed, in the message
    titled = PROSE_WORD.search(before) and before.rstrip().endswith((" -", ":", '"'))
    if len(PROSE_WORD.findall(before)) >= PROSE_WORDS or ROUTINE_PREFIX.fullmatch(before.strip()) or titled:
        code = CODE_BEFORE.search(before)
        return code.start() if code else start
    return 0


def _without_prose(message: str) -> str:
    """A known message quoted in a sentence («… apresenta error.log: type mismatch on + en
    disparador …», «Dashboard - Internal Server Error»): the message alone."""
    opening = _message_opening(message)
    quoted = message[:opening].rstrip().endswith(tuple(QUOTES)) or message.lstrip().startswith(tuple(QUOTES))
    message = message[opening:].lstrip(" " + QUOTES)
    if message.endswith(")") and _opened_before(message[:-1]) is None and "(" not in message:
        message = message[:-1]  # the parenthesis the message was said in
    if quoted:  # up to the closing quote, whatever the words
        end = next((i for i, char in enumerate(message) if char in QUOTES), len(message))
        message = message[:end]
    else:
        known = _known(message)  # only a known message's end is known: an unknown one is kept whole
        after = PROSE_AFTER.search(message, known.end()) if known else None
        while after is not None and _opened_before(message[: after.start()]) is not None:
            after = PROSE_AFTER.search(message, after.end())  # inside the message's own parentheses
        if known and after and _in_customer_language(message[known.end() : after.start()]):
            after = None  # the system's message goes on in Portuguese or Spanish: «… foi anulada pelo software no …»
        message = message[: after.start()] if after else message
    message = message.strip(" .,;:-")
    if not _known(message):
        return message
    return _without_title(MESSAGE_TAIL.sub("", message))


def _message_lines(lines: list[str]) -> str | None:
    """A message that runs over several lines: up to the query, the stack or a blank line."""
    kept = []
    for line in lines:
        if not line.strip() or NOT_MESSAGE.match(line) or FRAME.search(line) or HEADER_LINE.match(line):
            break
        kept.append(line.strip())
    return _clean_message(" ".join(kept)) if kept else None


def _frame_message(log: str, frame: re.Match[str]) -> str | None:
    """The message of the failing frame: the text before ` on FUNC(` on its line, or the lines
    after the header when the frame's line has nothing before it."""
    line_start = log.rfind("\n", 0, frame.start()) + 1
    if frame.re is FRAME and frame.group(1).lower() == "from":  # only a stack: the message is above it
        return _message_without_frame(log[:line_start]) if log[:line_start].strip() else None
    before = log[line_start : frame.start()]
    message = _clean_message(before)
    if message and not re.fullmatch(r"(?:line|linha)\s*\d+", message, re.I):
        return message
    earlier = log[:line_start].splitlines()
    header = max((i for i, line in enumerate(earlier) if HEADER_LINE.match(line)), default=None)
    if header is not None:
        return _message_lines(earlier[header + 1 :] + [before])
    lines = [ln for ln in earlier if ln.strip()]
    return _clean_message(lines[-1] + " " + before) if lines else None


def _database_message(log: str) -> str | None:
    """The database's message as the log states it: its line, with the table and the driver
    («SC6010: DB error (Update): -29 File: SC6010 - Error : 1 - ORA-00001: …»), up to the query."""
    database = DB_ERROR.search(log)
    if not database:
        return None
    line_start = log.rfind("\n", 0, database.start()) + 1
    line_end = log.find("\n", database.start())
    line = log[line_start : line_end if line_end >= 0 else len(log)]
    said = re.split(r"\(\s*From\b", line)[0]
    return _clean_message(said).strip(" .") or None


JSON_MESSAGE = re.compile(r'"Message"\s*:\s*"([^"]+)"')
EDITOR_ERROR = re.compile(r"\s*\[Error\s*-\s*\d{1,2}:\d{2}:\d{2}(?:\s*[AP]M)?\]", re.I)
ERROR_WORDS = re.compile(r"error|erro\b|exception|fail|falh|\bERR\d{4}\b|\b[CW]\d{4}\s", re.I)
FAILED_WORDS = re.compile(r"\bFAILED\b|\b(?:error|erro)\s+(?:message|mensagem)\b", re.I)


def _error_line(lines: list[str]) -> str | None:
    """A tool's progress, then its error: the first line that says error; when it ends in a colon
    («Debug Thread exception:»), it announces the message on the next line."""
    at = next((i for i, line in enumerate(lines) if ERROR_WORDS.search(line)), None)
    if at is None:
        return None
    announced = lines[at].rstrip().endswith(":") and at + 1 < len(lines)
    return lines[at + 1] if announced else lines[at]


def _message_without_frame(log: str) -> str | None:
    """A log without a frame: the database's message, the lines after the header, the gravest
    console line, a known message, else the first line that is not noise."""
    found = _database_message(log)
    if found:
        return found
    answered = JSON_MESSAGE.search(log)  # the editor's bridge answering in JSON: its first message
    if answered:
        return _clean_message(answered.group(1))
    lines = log.splitlines()
    for index, line in enumerate(lines):
        if HEADER_LINE.match(line):
            after = _message_lines(lines[index + 1 :])
            if after:
                return after
    for level in LEVELS:
        graver = [ln for ln in lines if re.match(rf"\s*(?:\[Thread\s+\d+\]\s*)?\[{level}\s*\]", ln, re.I)]
        if graver:
            return _clean_message(graver[-1 if level == "FATAL" else 0])
    candidates = [ln for ln in lines if ln.strip() and not NOT_MESSAGE.match(ln) and not HEADER_LINE.match(ln)]
    known = next((ln for ln in candidates if _known(ln)), None)
    editor = next((ln for ln in lines if EDITOR_ERROR.match(ln)), None)  # «[Error - 12:21:42 PM] …»
    failed = next((ln for ln in candidates if FAILED_WORDS.search(ln)), None)  # a trace: its failing line
    marked = _error_line(candidates)
    chosen = known or editor or failed or marked or (candidates[0] if candidates else None)
    return _clean_message(chosen) if chosen else None


def _failing_frame(log: str, frames: list[re.Match[str]]) -> re.Match[str] | None:
    """The frame that failed: the first ` on FUNC(SOURCE)` (the others are `Called from`), else
    a debugger's first stack line, else a frame that names only its function."""
    failing = next((f for f in frames if f.group(1).lower() == "on"), frames[0] if frames else None)
    return (
        failing
        or DEBUG_FRAME.search(log)
        or NAKED_FRAME.search(log)
        or CALL_LINE.search(log)
        or PIPE_FRAME.search(log)
        or BARE_FRAME.search(log)
        or BARE_FRAME_IN_WORDS.search(log)
    )


def _line_after(log: str, frame: re.Match[str] | None) -> int | None:
    """The AdvPL line of the failing frame: its `line : N` before the next frame; a C++ file's
    line is never it."""
    if frame is not None and "line" in frame.groupdict():
        return int(frame.group("line"))
    if frame is None:
        compiled = COMPILED_AT.search(log)
        if compiled:
            return int(compiled.group(1))
        found = LINE.search(CPP_LINE.sub(" ", log))
        return int(found.group(1) or found.group(2)) if found else None
    following = FRAME.search(log, frame.end())
    window = CPP_LINE.sub(" ", log[frame.end() : following.start() if following else len(log)])
    found = LINE.search(window)
    return int(found.group(1) or found.group(2)) if found else None


# A stack's lines name functions and sources, not what failed: «Called from TCSQLEXEC» is no database error.
STACK_LINES = re.compile(r"^\s*Called from\b.*$", re.I | re.M)


def _kind_text(log: str) -> str:
    """The log's lines that may say what failed: its top, without information and stack lines, and
    without the failing frame's function and source."""
    text = "\n".join(log.splitlines()[:KIND_LINES])
    return FRAME.sub(" ", STACK_LINES.sub("", INFO_LINE.sub("", text))).lower()


def _kind(message: str | None, log: str, customer_code: bool | None, framed: bool = True) -> ErrorKind:
    """By the message first, then by the rest of the log (without its information lines). A log
    with no trace of the runtime (no frame, no header, no line, no runtime message) is a server's or
    a tool's: it failed starting or doing its work."""
    text = _kind_text(log)
    said = (message or "").lower()
    for kind, pattern in _KIND:
        if pattern.search(said):
            return kind
    for kind, pattern in _KIND:
        if kind is not ErrorKind.CUSTOMER_EXCEPTION and pattern.search(text):
            return kind
    if customer_code and message and not (RUNTIME_MESSAGE.search(message) or _known(message)):
        return ErrorKind.CUSTOMER_EXCEPTION  # a message of the customer's own, not the runtime's
    if not framed and not (HEADER_LINE.search(log) or LINE.search(log) or RUNTIME_SIGNS.search(text)):
        return ErrorKind.STARTUP
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


# A routine named in passing, also as customers and release notes write it: «CTBA-190», «MATA 410».
ROUTINE_NAMED = re.compile(r"\b([A-Z]{4}[-\s]?\d{3}[A-Z]?)\b")
# In the customer's words, also a function they called by name: «A030Altera("SA1",…)».
FUNCTION_CALLED = re.compile(r"\b([A-Z]\w+)(?=\()")


@lru_cache(maxsize=1)
def _family_named() -> re.Pattern[str]:
    """A routine of a family of its own shape (SPEDFISCAL, CTBAFIN), as rutinas.yml lists them."""
    families = "|".join(re.escape(f) for f in routines().families)
    return re.compile(rf"\b((?:{families})[A-Z0-9_]*)\b")


def _named_routine(text: str, calls: bool = False) -> str | None:
    """The first standard routine a text names (a release note, the customer's words, with the
    functions they called when calls)."""
    text = text[:2000]
    names = [re.sub(r"[-\s]", "", n) for n in ROUTINE_NAMED.findall(text)] + _family_named().findall(text)
    names += FUNCTION_CALLED.findall(text) if calls else []
    return next((r for r in (routines().routine_of(n) for n in names) if r), None)


# The module's own entry at the bottom of a stack: «Called from SIGACFG(APLIB000.PRW)».
MODULE_ENTRY = re.compile(r"SIGA[A-Z]{3,4}")


@lru_cache(maxsize=1)
def _modules() -> frozenset[str]:
    """The modules rutinas.yml knows."""
    table = routines()
    return frozenset({*table.modules.values(), *table.prefixes.values(), *table.families.values()})


def _stack_module(frames: list[re.Match[str]]) -> str | None:
    """The module whose entry function the stack shows (SIGAADV, SIGAMDI run any module: none)."""
    names = (f.group("function").upper() for f in frames)
    return next((n for n in names if MODULE_ENTRY.fullmatch(n) and n in _modules()), None)


def _routine(frame: re.Match[str] | None, log: str, frames: list[re.Match[str]]) -> str | None:
    """The standard routine: the failing frame's source or function, a routine naming the
    message («MATA215 | …»), else the first standard routine of the stack."""
    table = routines()
    names = re.findall(r"^[\s>\-]*([A-Z]{4}\d{3}[A-Z]?)\s*[|\-:]\s", log, re.M)  # «MATA416: …»
    if frame is not None:
        source = frame.groupdict().get("source")
        names += [source.rsplit(".", 1)[0] if source else None, frame.group("function")]
    names += [n for f in frames for n in (f.group("source").rsplit(".", 1)[0], f.group("function"))]
    unique = dict.fromkeys(n for n in names if n)  # a deep stack repeats its frames: each name once, in order
    found = next((r for r in (table.routine_of(n) for n in unique) if r), None)
    return found or _named_routine(log)  # a routine the text names in passing (a release note)


def _totvs(name: str) -> bool:
    """A TOTVS name. A namespaced one (TLPP) by its namespace alone: «tlpp.monitor.checkUrl» is
    TOTVS's, «fw.webex.tools» a third party's though it starts like TOTVS's FW sources."""
    if "." in name:
        return name.upper().startswith(tuple(p for p in routines().totvs if p.endswith(".")))
    return routines().is_totvs(name)


def _customer_code(source: str, function: str) -> bool:
    """The failing frame is the customer's (or a third party's): their source, or a U_ function
    compiled into a TOTVS one; a function in a TOTVS namespace is TOTVS's wherever it is."""
    name = function.split(":")[0]
    if "." in name and _totvs(name):
        return False
    if not source:  # a function alone: the customer's when it is a user function or in their Z namespace
        return function.upper().startswith(("U_", "Z"))
    if source.upper().endswith((".PRX", ".PRG")):  # TOTVS ships its sources so; customers write .PRW, .TLPP
        return function.upper().startswith("U_") or source.upper().startswith("U_")
    return not _totvs(source.rsplit(".", 1)[0]) or function.upper().startswith("U_")


# A source a compiler or an editor names: «Error in GP05R003.prw», «ZFAT.PRW(90) C9907 …»; not the
# preprocessor's temporary APPRE* files.
NAMED_SOURCE = re.compile(r"(?<![\w.\-])(?!APPRE)([\w\-]+\.(?:PRW|PRX|TLPP|PRG))\b", re.I)


def _compiled_source(log: str) -> str:
    """Without a frame, the source the log names (compiling it failed), or ""."""
    named = NAMED_SOURCE.search(log)
    return named.group(1).upper() if named else ""


def _alias(log: str) -> re.Match[str] | None:
    """The first alias the log names, tried where the word is (finding the word is far faster than
    searching the pattern, ignoring case, through a long log)."""
    lower = log.lower()
    at = lower.find("alias")
    while at >= 0:
        found = ALIAS.match(log, at)
        if found and (at == 0 or not log[at - 1].isalnum() and log[at - 1] != "_"):
            return found
        at = lower.find("alias", at + 1)
    return None


@lru_cache(maxsize=CACHED)
def parse(text: str) -> ErrorLog | None:
    """The fields of the log in the text, or None when there is no log."""
    words, log = split_log(text)
    if not log:
        return None
    frames = list(FRAME.finditer(log))  # read once: a deep stack has hundreds
    frame = _failing_frame(log, frames)
    message = _frame_message(log, frame) if frame is not None and frame.re is not DEBUG_FRAME else None
    message = message or _message_without_frame(log)
    function = frame.group("function").strip() if frame else None
    source = (frame.groupdict().get("source") or "").upper() if frame else _compiled_source(log)
    customer = None if frame is None and not source else _customer_code(source, function or "")
    remark_module, remark_routine = _remark_module(log)
    # Last, the routine the customer names around the log («en el MATA410 me sale: …»).
    routine = _routine(frame, log, frames) or remark_routine or _named_routine(words, calls=True)
    field = FIELD.search(message or "") or FIELD.search(log)
    if field and function and field.group(1) == function.upper():
        field = None  # HS_RKITMMP failed: a function named like a field
    alias = _alias(log)
    release, build = RELEASE.search(text), BUILD.search(text)
    return ErrorLog(
        error=message or None,
        routine=routine,
        function=function.upper() if function and not function.startswith("{") else function,
        source=source or None,
        line=_line_after(log, frame),
        field=field.group(1) if field else None,
        table=_table_of(field.group(1)) if field else (alias.group(1).upper() if alias else None),
        release=release.group(1) if release else None,
        build=build.group(1) if build else None,
        module=routines().module_of(routine) or remark_module or _stack_module(frames),
        kind=_kind(message, log, customer if frame is not None else None, framed=frame is not None),
        customer_code=customer,
    )


def module_of(routine: str | None) -> str | None:
    """The module of a routine (MATA410 → SIGAFAT), or None when rutinas.yml does not say."""
    return routines().module_of(routine)
