"""A local SMTP relay for sending tests: it records what it accepted, and can be slow or hang.

A message counts as delivered only once the relay has answered the end of its
DATA with "250": that is the moment a real relay takes responsibility for it.
A client that gives up before that answer (killed, timed out) has its message
dropped, as a real relay drops a transaction whose connection broke.
"""

from __future__ import annotations

import select
import socket
import socketserver
import threading
import time
from collections import Counter


class _Handler(socketserver.StreamRequestHandler):
    timeout = 60  # a test that forgets its client must not hold a thread for ever

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self) -> None:
        relay: LocalRelay = self.server.relay  # type: ignore[attr-defined]
        with relay._lock:
            relay.connections += 1
        self.reply("220 relay.test ESMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-relay.test")
                self.reply("250 8BITMIME")
            elif verb in {"HELO", "NOOP"}:
                self.reply("250 OK")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>").lower())
                self.reply("250 OK")
            elif verb == "RSET":
                recipients = []
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                while self.rfile.readline() not in (b".\r\n", b".\n", b""):
                    pass
                if relay.finish_message(self.connection, recipients):
                    self.reply("250 OK: queued")
                else:
                    return  # the client gave up first: the message is dropped
                recipients = []
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class LocalRelay:
    """``with LocalRelay(delay=..., stall_at=..., stall_for=...) as relay:`` on 127.0.0.1.

    - ``delay``: seconds before confirming each message (a slow relay);
    - ``stall_at``: the n-th message (counted from 1, across connections) on
      which the relay hangs before confirming, for ``stall_for`` seconds or,
      if None, until ``release()`` or the end of the test.
    """

    def __init__(self, delay: float = 0.0, stall_at: int | None = None, stall_for=None):
        self.delay = delay
        self.stall_at = stall_at
        self.stall_for = stall_for
        self.stalled = threading.Event()
        self._released = threading.Event()
        self._lock = threading.Lock()
        self._seen = 0
        self.connections = 0  # SMTP sessions opened so far
        self.accepted: list[str] = []
        self.dropped: list[str] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.relay = self  # type: ignore[attr-defined]
        self.port = self._server.server_address[1]

    def __enter__(self) -> LocalRelay:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()

    def release(self) -> None:
        self._released.set()

    def received(self) -> Counter:
        """How many messages each address was sent (accepted ones only)."""
        with self._lock:
            return Counter(self.accepted)

    def finish_message(self, conn: socket.socket, recipients: list[str]) -> bool:
        with self._lock:
            self._seen += 1
            number = self._seen
        if self.delay:
            time.sleep(self.delay)
        if number == self.stall_at:
            self.stalled.set()
            self._released.wait(self.stall_for)
        if _client_gave_up(conn):
            with self._lock:
                self.dropped.extend(recipients)
            return False
        with self._lock:
            self.accepted.extend(recipients)
        return True


def _client_gave_up(conn: socket.socket) -> bool:
    """A client waiting for the reply sends nothing; one that left closed or sent QUIT."""
    try:
        readable, _, _ = select.select([conn], [], [], 0)
    except (OSError, ValueError):
        return True
    # Readable means the connection closed (a killed client) or sent something
    # (QUIT after a timeout): either way nobody is waiting for this "250".
    return bool(readable)
