"""Who the customer is: a code the portal signed in the chat session, or a code proved with the
registered facilitator's e-mail (customers table). Only a verified Prime customer is routed to
Prime. The replies never say whether a code exists, and failures are limited per conversation
(VERIFICATION_ATTEMPTS) and per address (VERIFICATION_FAILURES_PER_HOUR).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from protheus.action_server.actions.database import customers
from protheus.common.message_metadata import ADDRESS_KEY, SIGNED_CUSTOMER_KEY, latest_user_metadata
from protheus.common.messages import message
from protheus.common.settings import verification_limits
from protheus.common.text import EMAIL
from protheus.common.vocabulary import Identification, Question
from protheus.db.customers import CustomerStore

CUSTOMER_CODE = Question.CUSTOMER_CODE.value

logger = logging.getLogger(__name__)
SLOT, ATTEMPTS_SLOT = "verificacion_cliente", "intentos_verificacion"
UNKNOWN_ADDRESS = "desconocida"
HOUR = 3600


def signed_customer(tracker: Tracker) -> str | None:
    """The customer code of the chat session, when the portal signed it (protheus.common.chat_sessions)."""
    code = latest_user_metadata(tracker.events).get(SIGNED_CUSTOMER_KEY)
    return code if isinstance(code, str) and code else None


def identification(tracker: Tracker) -> Identification:
    """How the conversation's customer was identified; unverified unless a form proved it."""
    return Identification.parse(tracker.get_slot(SLOT)) or Identification.UNVERIFIED


class CustomerVerification:
    def __init__(
        self, store: Callable[[], CustomerStore] | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self._store = store or (lambda: customers())  # looked up when used: tests replace it
        self._clock = clock

    def check(self, tracker: Tracker, answer: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        """The slots after the customer's answer to the verification question."""
        code = tracker.get_slot(CUSTOMER_CODE)
        if answer == Identification.PORTAL and code and code == signed_customer(tracker):
            return {SLOT: Identification.PORTAL.value}
        attempts = int(tracker.get_slot(ATTEMPTS_SLOT) or 0) + 1
        if "@" not in str(answer or ""):  # «no lo sé»: not a guess, nothing to check
            return self._give_up(dispatcher, attempts, "verificacion_omitida")
        per_conversation, per_address = verification_limits()
        address = str(latest_user_metadata(tracker.events).get(ADDRESS_KEY) or UNKNOWN_ADDRESS)
        email = EMAIL.search(str(answer or ""))
        try:
            store = self._store()
            now = self._clock()
            if store.failed_verifications(address, now - HOUR) >= per_address:
                return self._give_up(dispatcher, attempts, "verificacion_agotada")
            if email and code and store.verifies(code, email.group(0)):
                return {SLOT: Identification.VERIFIED.value, ATTEMPTS_SLOT: attempts}
            store.record_failed_verification(address, now)
        except SQLAlchemyError:
            logger.exception("Could not verify the customer of %s", tracker.sender_id)
            return self._give_up(dispatcher, attempts, "verificacion_no_disponible")
        if attempts >= per_conversation:
            return self._give_up(dispatcher, attempts, "verificacion_agotada")
        dispatcher.utter_message(**message("verificacion_fallida"))
        return {CUSTOMER_CODE: None, SLOT: None, ATTEMPTS_SLOT: attempts}

    @staticmethod
    def _give_up(dispatcher: CollectingDispatcher, attempts: int, key: str) -> dict[str, Any]:
        """The form goes on with an unverified customer: nothing more is checked or revealed."""
        dispatcher.utter_message(**message(key))
        return {SLOT: Identification.UNVERIFIED.value, ATTEMPTS_SLOT: attempts}
