"""The live queue: new hand-offs, and what customers write in conversations waiting for an
agent, reach every open console tab without reloading (Server-Sent Events, /consola/eventos).

One poller reads the database for all tabs (every POLL_SECONDS, only while a tab listens);
each tab gets JSON events it shows with textContent, so nothing a customer wrote runs as code.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from protheus.common.vocabulary import Channel, label_of
from protheus.db.handoffs import HandoffInfo
from protheus.db.models import epoch
from protheus.webapp.console.context import CONSOLE, ConsoleContext
from protheus.webapp.console.permissions import Permission
from protheus.webapp.console.security import CONSOLE_CSP, SESSION_COOKIE, background, requires
from protheus.webapp.console.views import masker, quote_path, run

logger = logging.getLogger(__name__)
POLL_SECONDS = 2.0
HEARTBEAT_SECONDS = 15.0
MAX_TEXT = 300


@dataclass(eq=False)  # each tab its own, in a set
class Listener:
    mask: Callable[[str], str]
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(maxsize=500))


@dataclass(frozen=True)
class Snapshot:
    handoffs: dict[str, HandoffInfo]
    last_message_id: int


def _link(handoff: HandoffInfo) -> str:
    return f"/consola/conversaciones/{quote_path(handoff.sender_id)}#derivaciones"


class LiveQueue:
    def __init__(self, ctx: ConsoleContext, poll_seconds: float = POLL_SECONDS) -> None:
        self.ctx = ctx
        self.poll_seconds = poll_seconds
        self.listeners: set[Listener] = set()
        self._seen: Snapshot | None = None

    async def subscribe(self, mask: Callable[[str], str]) -> Listener:
        """A new tab; the first one takes what is there now as the starting point (what its page
        showed), so what arrives next is news."""
        listener = Listener(mask)
        self.listeners.add(listener)
        if self._seen is None:
            try:
                await self.poll()
            except Exception:
                self.unsubscribe(listener)
                raise
        return listener

    def close(self) -> None:
        """The web app is stopping: every tab's stream ends now (the browser reconnects to the
        next one), instead of holding the shutdown for its whole timeout."""
        for listener in list(self.listeners):
            try:
                listener.queue.put_nowait(None)
            except asyncio.QueueFull:
                listener.queue.get_nowait()
                listener.queue.put_nowait(None)

    def unsubscribe(self, listener: Listener) -> None:
        self.listeners.discard(listener)
        if not self.listeners:
            self._seen = None  # the next tab starts from what is there then

    def _read(self, after: int | None) -> tuple[Snapshot, list]:
        self.ctx.refresh_index()
        open_handoffs = {h.id: h for h in self.ctx.handoffs.open()}
        start = self.ctx.conversations.latest_message_id() if after is None else after
        senders = {h.sender_id for h in open_handoffs.values()}
        written = self.ctx.conversations.messages_after(senders, start) if after is not None and senders else []
        last = max([start, *(m.event_id for m in written)])
        return Snapshot(open_handoffs, last), written

    async def poll(self) -> None:
        """One round: compare with what the tabs were last told and tell them what changed."""
        previous = self._seen
        snapshot, written = await run(self._read, previous.last_message_id if previous else None)
        self._seen = snapshot
        if previous is None:
            return
        new = [h for key, h in snapshot.handoffs.items() if key not in previous.handoffs]
        statuses = {key: h.status for key, h in snapshot.handoffs.items()}
        changed = statuses != {key: h.status for key, h in previous.handoffs.items()}
        by_sender = {h.sender_id: h for h in snapshot.handoffs.values()}
        for listener in list(self.listeners):
            if changed:
                self._send(listener, "cola", self._queue_event(snapshot, new, listener.mask))
            for written_message in written:
                handoff = by_sender.get(written_message.sender_id)
                if handoff is not None and written_message.at > epoch(handoff.created_at):
                    self._send(listener, "mensaje", self._message_event(handoff, written_message, listener.mask))

    @staticmethod
    def _queue_event(snapshot: Snapshot, new: list[HandoffInfo], mask: Callable[[str], str]) -> dict[str, Any]:
        return {
            "abiertas": len(snapshot.handoffs),
            "nuevas": [
                {
                    "id": h.id,
                    "canal": label_of(Channel, h.channel),
                    "resumen": mask(h.summary[:MAX_TEXT]),
                    "enlace": _link(h),
                }
                for h in new
            ],
        }

    @staticmethod
    def _message_event(handoff: HandoffInfo, written: Any, mask: Callable[[str], str]) -> dict[str, Any]:
        return {
            "conversacion": handoff.sender_id,
            "derivacion": handoff.id,
            "texto": mask(written.text[:MAX_TEXT]),
            "enlace": _link(handoff),
        }

    @staticmethod
    def _send(listener: Listener, kind: str, data: dict[str, Any]) -> None:
        try:
            listener.queue.put_nowait((kind, data))
        except asyncio.QueueFull:  # a tab that stopped reading: it reloads when it reconnects
            logger.warning("A console tab is not reading its live events")

    async def run(self) -> None:
        while True:
            if self.listeners:
                try:
                    await self.poll()
                except Exception:  # noqa: BLE001 - the feed must outlive any single failure
                    logger.exception("Live queue poll failed")
            await asyncio.sleep(self.poll_seconds)


LIVE = web.AppKey("live_queue", LiveQueue)


def event_text(kind: str, data: dict[str, Any]) -> bytes:
    return f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


@background  # the browser reconnects it by itself: not the agent's activity
@requires(Permission.QUEUE)
async def live_events(request: web.Request) -> web.StreamResponse:
    """GET /consola/eventos: the tab's stream, for as long as its console session lasts."""
    ctx, live = request.app[CONSOLE], request.app[LIVE]
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",  # nginx: pass each event on at once
            "Content-Security-Policy": CONSOLE_CSP,
        }
    )
    listener = await live.subscribe(masker(request))
    await response.prepare(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    try:
        await response.write(b"retry: 3000\n\n")  # the browser reconnects after 3 s
        while True:
            try:
                event = await asyncio.wait_for(listener.queue.get(), HEARTBEAT_SECONDS)
            except asyncio.TimeoutError:
                if await run(ctx.accounts.session_for, token, touch=False) is None:  # reads, never extends
                    break  # logged out or expired: the tab's next request goes to the login
                await response.write(b": latido\n\n")
                continue
            if event is None:
                break  # the web app is stopping
            await response.write(event_text(*event))
    except (ConnectionResetError, RuntimeError):
        pass  # the tab closed
    finally:
        live.unsubscribe(listener)
    return response


def setup(app: web.Application, ctx: ConsoleContext, poll_seconds: float = POLL_SECONDS) -> None:
    live = LiveQueue(ctx, poll_seconds)
    app[LIVE] = live

    async def polling(app: web.Application):
        task = asyncio.create_task(live.run())
        yield
        task.cancel()

    async def end_streams(app: web.Application) -> None:
        live.close()

    app.cleanup_ctx.append(polling)
    app.on_shutdown.append(end_streams)  # type: ignore[arg-type]  # aiohttp 3.9 types Signal oddly
