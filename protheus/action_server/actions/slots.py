"""Names of the slots the actions keep the conversation's state in (domain/triage.yml declares
them). The slots of the form questions are protheus.common.vocabulary.Question."""

REQUESTED = "requested_slot"
# The request a customer changed to in the middle of a form, or came back to: action_derivar
# routes it (protheus/action_server/actions/topic_change.py, protheus/action_server/actions/pending_requests.py).
NEW_TOPIC = "cambio_de_tema"
# True after the bot answered something in the middle of a form: the pending question is then
# asked again, said another way (protheus/action_server/actions/digressions.py).
AFTER_DIGRESSION = "tras_digresion"
# {"pregunta": slot, "valor": value}: an unsure answer asked back («Entiendo que…, ¿es así?»).
TO_CONFIRM = "por_confirmar"
# The question whose «no sé» was answered with how to find out: a second «no sé» leaves it unknown.
HELPED = "ayuda_dada"
# The questions the customer did not know: not asked again, «el cliente no lo sabe» in the hand-off.
UNKNOWN = "respuestas_desconocidas"
# True when the customer said it is urgent in the middle of an error report.
URGENT = "es_urgente"
# Requests left for later (protheus/action_server/actions/pending_requests.py), the offer being asked, its answer, and a
# product question registered on its own.
PENDING = "solicitudes_pendientes"
OFFERING = "ofrece_retomar"
RESUME = "retomar_solicitud"
CUSTOMER_QUESTION = "pregunta_del_cliente"
# True while the consulting terms await the customer's answer: a rule opens formulario_consultoria.
NEEDS_ACCEPTANCE = "requiere_aceptacion"
