"""A service for the canary tests of expected statuses and repeated headers, served on
127.0.0.1: GET /<variant>/health, /<variant>/moved, /<variant>/created and /<variant>/cached.

Variant "healthy" answers what RESPONSE_CHECKS expect: 204 (in 200-299), 302 (in
200-204,302), 201, and repeated Cache-Control and Set-Cookie lines; "edges" answers the
statuses at the ends of those ranges (299, 200); each other variant breaks one step.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.canary_service import Routed, serve

# Per variant, the status of /health, /moved and /created that differs from the healthy one.
STATUSES = {
    "health": {"down": 503, "edges": 299},
    "moved": {"gone": 404, "edges": 200},
    "created": {"ok-not-created": 200},
}
HEALTHY = {"health": 204, "moved": 302, "created": 201}
# Per variant, the lines of the repeated headers of /cached.
CACHE_CONTROL = {"stale": ["public", "max-age=600"]}
SET_COOKIE = {"no-session": ["theme=dark", "lang=en"]}


class Responses(Routed):
    def route(self) -> None:
        _, variant, resource = self.path.split("/", 2)
        if resource in HEALTHY:
            self.reply(STATUSES[resource].get(variant, HEALTHY[resource]), [])
        elif resource == "cached":
            cache_control = CACHE_CONTROL.get(variant, ["no-cache", "max-age=0"])
            cookies = SET_COOKIE.get(variant, ["theme=dark", "session=s-1"])
            self.reply(
                200,
                [("Cache-Control", line) for line in cache_control]
                + [("Set-Cookie", line) for line in cookies],
            )
        else:
            self.reply(404, [])

    def reply(self, status: int, headers: list[tuple[str, str]]) -> None:
        """An empty body with `headers`, each (name, line) its own field line."""
        self.send_response(status)
        if status == 302:
            self.send_header("Location", "/healthy/health")
        for name, line in headers:
            self.send_header(name, line)
        if status != 204:  # a 204 has no body, nor a Content-Length (RFC 9110, 8.6)
            self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def responses_port() -> Iterator[int]:
    with serve(Responses) as port:
        yield port
