"""Is a message written wholly in Portuguese or English? (offline, with lingua)

Customers across Latin America mix Portuguese ERP words into Spanish («el chamado de la nota
fiscal», «la atualização de la rotina»): those are Spanish messages. A message is foreign only
when lingua is confident it is Portuguese or English, it has a few words, and none of them is
a Spanish-only word.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from protheus.common.text import fold
from protheus.support.error_log import is_protheus_error, split_log
from protheus.support.routines import ROUTINE

MIN_WORDS = 3
MIN_CONFIDENCE = 0.85
FOREIGN = {"PORTUGUESE": "pt", "ENGLISH": "en"}
# Words that Portuguese and English do not have (accents folded): one is enough for Spanish.
SPANISH_ONLY = set(
    "el la los las y del al lo es estoy estan hay tengo tiene tenemos quiero queremos necesito necesitamos "
    "puedo puede pueden podes cual cuando donde pero muy mi mis su sus le les yo usted ustedes hola gracias buen "
    "buenas buenos tardes noches ayuda ayudar salio errores factura una uno unos unas con ese esa eso estos hace "
    "hacer grabar".split()
)
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.SPANISH, Language.PORTUGUESE, Language.ENGLISH).build()


def foreign_language(text: str) -> str | None:
    """ "pt" or "en" when the customer's words (a pasted log aside) are wholly in that language."""
    words_text = split_log(text or "")[0]
    if ROUTINE.search(words_text) or is_protheus_error(words_text):
        return None  # «type mismatch CTBA102»: a Protheus telegram, not an English message
    words = [fold(w) for w in WORD.findall(words_text)]
    if len(words) < MIN_WORDS or any(w in SPANISH_ONLY for w in words):
        return None
    best = _detector().compute_language_confidence_values(words_text)[0]
    language = FOREIGN.get(best.language.name)
    return language if language and best.value >= MIN_CONFIDENCE else None
