"""A TCP proxy that a test can cut and restore: a database outage without stopping the server
the rest of the suite uses."""

from __future__ import annotations

import asyncio
import threading


class Proxy:
    def __init__(
        self, listen_port: int, target_port: int, host: str = "127.0.0.1", listen_host: str | None = None
    ) -> None:
        self.listen_port, self.target_port, self.host = listen_port, target_port, host
        self.listen_host = listen_host or host
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        threading.Thread(target=self._loop.run_forever, daemon=True).start()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(self.host, self.target_port)
        except OSError:
            client_writer.close()
            return
        self._writers |= {client_writer, server_writer}
        await asyncio.gather(self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer))

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, self.listen_host, self.listen_port)

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    def up(self) -> None:
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)

    def down(self) -> None:
        """Every open connection is cut and new ones are refused, as when the server stops."""
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
