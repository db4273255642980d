"""spaCy's stop-word lists, read without importing spaCy (which would load TensorFlow into the
action server and the web app)."""

import subprocess
import sys

from protheus.support.stop_words import stop_words


def test_each_languages_commonest_words():
    assert {"de", "desde", "ayer"} <= stop_words("es") and "the" not in stop_words("es")
    assert {"the", "could", "not"} <= stop_words("en") and "desde" not in stop_words("en")


def test_reading_them_imports_neither_spacy_nor_tensorflow():
    code = (
        "import sys; from protheus.support.stop_words import stop_words; stop_words('es'); "
        "print('spacy' in sys.modules, 'tensorflow' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
