"""A transcript's lines: a pasted error log is read for the agent into its fields and kind."""

from protheus.common.text import mask_contacts
from protheus.webapp.console.transcript import lines

LOG = "no conecta: TC_Open - NO CONNECTION on FWTABLEDDL:OPENTABLE(FWTABLEDDL.PRX) 13/10/2020 16:57:59"


def user(text: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": "reportar_error", "confidence": 0.9}}}


def test_a_pasted_log_is_shown_read_into_its_fields_and_kind():
    [line], _ = lines([user(LOG)], lambda text: text)
    assert line["log"].startswith("error: TC_Open - NO CONNECTION; tipo: conexión")
    assert "función: FWTABLEDDL:OPENTABLE" in line["log"] and "código: de TOTVS" in line["log"]


def test_ordinary_words_have_no_log_and_what_a_trainer_sees_is_masked():
    [plain], _ = lines([user("hola, tengo un error al grabar")], lambda text: text)
    assert plain["log"] is None
    [masked], _ = lines([user(LOG + " escríbanme a ana@empresa.com")], mask_contacts)
    assert "ana@empresa.com" not in (masked["log"] or "") + masked["texto"]
