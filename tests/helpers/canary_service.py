"""The service a canary watches, served on 127.0.0.1 for the canary tests: a healthy variant
and variants that each break one thing (see Service)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest

USER_AGENT_PREFIX = "CloudWatchSynthetics/"  # what the doubles' canary user agent starts with
SLOW_SECONDS = 0.6  # the "slow" variant's pause between headers and body


class Service(BaseHTTPRequestHandler):
    """Serves /<variant>/health, GET /<variant>/orders?limit=1 and POST /<variant>/orders.

    Variant "healthy" meets every expectation in STEPS; each other variant breaks one.
    """

    def do_GET(self) -> None:
        self.route()

    def do_POST(self) -> None:
        self.route()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest output quiet

    def route(self) -> None:
        url = urlsplit(self.path)
        _, variant, resource = url.path.split("/", 2)
        if not self.headers.get("User-Agent", "").startswith(USER_AGENT_PREFIX):
            self.reply(400, {"error": "User-Agent is not the canary's"})
        elif (self.command, resource) == ("GET", "health"):
            self.health(variant)
        elif (self.command, resource, url.query) == ("GET", "orders", "limit=1"):
            self.list_orders(variant)
        elif (self.command, resource) == ("POST", "orders"):
            self.create_order(variant)
        else:
            self.reply(404, {"error": "no such route"})

    def health(self, variant: str) -> None:
        if variant == "wrong-status":
            self.reply(503, {"status": "down"})
            return
        body = {
            "status": "degraded" if variant == "wrong-value" else "ok",
            "state": "STARTING" if variant == "no-substring" else "READY",
        }
        headers = {} if variant == "missing-header" else {"X-Request-Id": "r-1"}
        self.reply(200, body, headers)

    def list_orders(self, variant: str) -> None:
        if variant == "not-json":
            self.reply(200, "<html>down for maintenance</html>")
            return
        item = {"ready": True} if variant == "missing-key" else {"id": 7, "ready": True}
        body = {"data": {"count": 2 if variant == "wrong-number" else 1, "items": [item]}}
        self.reply(200, body, delay=SLOW_SECONDS if variant == "slow" else 0)

    def create_order(self, variant: str) -> None:
        accepted = (
            variant != "order-rejected"
            and self.headers["Content-Type"] == "application/json"
            and self.headers["User-Agent"].endswith(" orders-canary/1")
            and json.loads(self.read_body()) == {"item": "book"}
        )
        if accepted:
            self.reply(201, {"data": {"id": "o-1"}})
        else:
            self.reply(422, {"error": "rejected"})

    def read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
            return self.rfile.read(int(self.headers.get("Content-Length", 0)))
        chunks = []
        while size := int(self.rfile.readline().split(b";")[0], 16):
            chunks.append(self.rfile.read(size))
            self.rfile.readline()
        self.rfile.readline()
        return b"".join(chunks)

    def reply(
        self, status: int, body: object, headers: dict[str, str] | None = None, delay: float = 0
    ) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        self.send_header(
            "Content-Type", "text/html" if isinstance(body, str) else "application/json"
        )
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()  # the headers leave now; the body after the delay
        time.sleep(delay)
        self.wfile.write(data)


@pytest.fixture(scope="module")
def service_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Service)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
