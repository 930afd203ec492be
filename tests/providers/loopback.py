"""Tiny HTTP servers on 127.0.0.1 for the tests that need real sockets: `serve`
answers from a script (urllib3's retry sleeps), `record` answers per route and keeps
every request it saw (what Macca sends, on the wire)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def serve(replies: list[tuple[int, dict, dict]]) -> Iterator[tuple[str, list[float]]]:
    """Yield (base URL, arrival times); each request gets the next scripted reply."""
    script = list(replies)
    seen: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append(time.monotonic())
            status, headers, body = script.pop(0) if script else (500, {}, {"error": "no more"})
            data = json.dumps(body).encode()
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", seen
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self):
        return json.loads(self.body)


Reply = tuple[int, dict, "bytes | dict"]


@contextmanager
def record(routes: dict[tuple[str, str], Reply]) -> Iterator[tuple[str, list[Seen]]]:
    """Yield (base URL, requests seen): each (method, path) gets its reply (a dict goes
    as JSON, bytes as they are, with the headers given); anything else a 404."""
    seen: list[Seen] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            path = self.path.split("?")[0]
            headers = {name.lower(): value for name, value in self.headers.items()}
            seen.append(Seen(self.command, path, headers, body))
            status, out, data = routes.get((self.command, path), (404, {}, {"error": "no route"}))
            if isinstance(data, dict):
                out, data = {"Content-Type": "application/json", **out}, json.dumps(data).encode()
            self.send_response(status)
            for name, value in out.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _answer

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", seen
    finally:
        server.shutdown()
        server.server_close()
