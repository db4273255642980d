"""What the intent classifiers read of a message: the customer's request, without what
surrounds it.

A greeting before the request («hola, buenas tardes, ...»), thanks before a new question
(«gracias, y otra cosa: ...») and a closing or a signature after it («Saludos cordiales,
Patricia Gómez, Tesorería») are not the request; a pasted error log is replaced by a
placeholder (protheus.support.error_log). When nothing of substance would remain, the message
is kept whole: then the greeting or the thanks is the request.
"""

from __future__ import annotations

import re

from protheus.support.error_log import placeholder, split_log

MIN_REQUEST_WORDS = 5  # fewer, and the greeting is likely the point («hola, soy Rodrigo»)
_GREETING = (
    r"(?:hola+|holi|ola|buen[oa]?s?(?:\s+(?:d[ií]as?|tardes|noches))?|buen\s+d[ií]a|qu[eé]\s+tal|estimad[oa]s?"
    r"|qu[eé]\s+onda|saludos)"
)
_THEN = r"(?:y\s+)?(?:otra\s+cosa|otra\s+pregunta|una\s+consulta(?:\s+m[aá]s)?|aprovecho\s+para\s+preguntar)"
# A greeting before the request; thanks only when a new question follows («gracias, y otra cosa: ...»).
LEADING = re.compile(
    rf"^\s*(?:{_GREETING}[\s,.;:!¡-]*)*(?:(?:muchas\s+|mil\s+)?gracias[\s,.;:!-]*{_THEN}[\s,.;:!-]*)?",
    re.IGNORECASE,
)
CLOSING = re.compile(
    r"(?:^|(?<=[.!?\n])|(?<=[.!?]\s))\s*(?:un\s+)?(?:saludos(?:\s+cordiales)?|atte\.?|atentamente|cordialmente"
    r"|quedo\s+atent[oa]|gracias\s+de\s+antemano|desde\s+ya\s+gracias|(?:muchas\s+)?gracias|slds)\b[^?¿]*$",
    re.IGNORECASE,
)


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def request_text(text: str) -> str:
    """The message without the greeting, thanks or signature around the request."""
    trimmed = LEADING.sub("", text, count=1).strip()
    trimmed = CLOSING.sub("", trimmed).strip()
    return trimmed if _words(trimmed) >= MIN_REQUEST_WORDS else text


def classification_text(text: str) -> str:
    """What the intent classifiers read: the request in the customer's words, a pasted log
    as a placeholder."""
    words, log = split_log(text or "")
    if not log:
        return request_text(text or "")
    return f"{request_text(words)} {placeholder(log)}".strip() if words else placeholder(log)


# Where a second request starts: after a question, a sentence, or a linking phrase.
_BOUNDARY = re.compile(
    r"(?<=\?)\s+|(?<=[.!])\s+(?=[A-ZÁÉÍÓÚÑ¿¡])|[,;]?\s+(?:y\s+)?(?:adem[aá]s|aparte|tambi[eé]n\s+quer[ií]a|otra\s+cosa)[,:]?\s+",
    re.IGNORECASE,
)
MIN_PART_WORDS = 3
# Where the classifier reports a second request of a message (parse data; protheus.rasa_server.channels offers it).
OTHER_REQUEST = "otra_consulta"


def request_parts(text: str) -> list[str]:
    """The request split where a second one may begin (parts of a few words at least)."""
    parts = [part.strip(" ,;:") for part in _BOUNDARY.split(text or "")]
    return [part for part in parts if _words(part) >= MIN_PART_WORDS]
