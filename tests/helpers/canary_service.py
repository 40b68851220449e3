"""The service a canary watches, served on 127.0.0.1 for the canary tests: a healthy variant
and variants that each break one thing (see Service)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest

USER_AGENT_PREFIX = "CloudWatchSynthetics/"  # what the doubles' canary user agent starts with
SLOW_SECONDS = 0.6  # the "slow" variant's pause between headers and body


class Routed(BaseHTTPRequestHandler):
    """A quiet handler whose GET, HEAD and POST requests all go to route()."""

    def do_GET(self) -> None:
        self.route()

    def do_HEAD(self) -> None:
        self.route()

    def do_POST(self) -> None:
        self.route()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest output quiet

    def route(self) -> None:
        raise NotImplementedError


class Service(Routed):
    """Serves /<variant>/health, GET /<variant>/orders?limit=1, POST /<variant>/orders and
    GET /<variant>/orders/<id> (X-Order-Id: <id>).

    Variant "healthy" meets every expectation in STEPS; each other variant breaks one.
    """

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
        elif self.command == "GET" and resource.startswith("orders/"):
            self.read_order(variant, resource.removeprefix("orders/"))
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
            # labelled JSON, as a proxy's error page sometimes is
            self.reply(200, "<html>down for maintenance</html>", content_type="application/json")
            return
        item = {"ready": True} if variant == "missing-key" else {"id": 7, "ready": True}
        count = {"wrong-number": 2, "wrong-type": "1"}.get(variant, 1)
        total = 0 if variant == "no-total" else 1
        body = {"data": {"count": count, "total": total, "items": [item]}}
        content_type = "text/plain" if variant == "wrong-content-type" else None
        self.reply(
            200,
            body,
            delay=SLOW_SECONDS if variant == "slow" else 0,
            content_type=content_type,
        )

    def create_order(self, variant: str) -> None:
        accepted = (
            variant != "order-rejected"
            and self.headers["Content-Type"] == "application/json"
            and self.headers["User-Agent"].endswith(" orders-canary/1")
            and json.loads(self.read_body()) == {"item": "book"}
        )
        if accepted:
            self.reply(201, {"data": {} if variant == "no-order-id" else {"id": "o-1"}})
        else:
            self.reply(422, {"error": "rejected"})

    def read_order(self, variant: str, order_id: str) -> None:
        """The order create_order made, if the request names it in its path and header."""
        if variant == "lost-order" or order_id != "o-1":
            self.reply(404, {"error": "no such order"})
        elif self.headers.get("X-Order-Id") != order_id:
            self.reply(400, {"error": "X-Order-Id does not match the path"})
        else:
            lines = [] if variant == "empty-order" else [{"item": "book"}]
            self.reply(200, {"id": order_id, "lines": lines, "total": 12.5})

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
        self,
        status: int,
        body: object,
        headers: dict[str, str] | None = None,
        delay: float = 0,
        content_type: str | None = None,
    ) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        default_type = "text/html" if isinstance(body, str) else "application/json"
        self.send_header("Content-Type", content_type or default_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()  # the headers leave now; the body after the delay
        time.sleep(delay)
        self.wfile.write(data)


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[int]:
    """Serve `handler` on 127.0.0.1 in a thread; yield its port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def service_port() -> Iterator[int]:
    with serve(Service) as port:
        yield port
