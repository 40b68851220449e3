"""A small orders API and its OpenAPI document, served on 127.0.0.1 for the OpenAPI tests:
a healthy variant, and variants that each break one promise of the document (see OrdersApi).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.helpers.canary_service import Routed, serve

SLOW_SECONDS = 0.6  # the "slow" variant's pause before the list's body

SPEC = """
openapi: 3.0.3
info: {title: Orders, version: "1.0"}
paths:
  /orders:
    get:
      operationId: listOrders
      parameters:
        - {name: limit, in: query, required: true, schema: {type: integer, example: 2}}
        - {name: status, in: query, schema: {type: string}}
      responses:
        "200":
          description: The newest orders.
          content:
            application/json:
              schema:
                type: object
                required: [items, count]
                properties:
                  items: {type: array, minItems: 1, items: {$ref: "#/components/schemas/Order"}}
                  count: {type: integer, minimum: 1, maximum: 100}
    post:
      operationId: createOrder
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {item: {type: string}}}
      responses:
        "201":
          description: Created.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
  /orders/{orderId}:
    parameters:
      - {name: orderId, in: path, required: true, schema: {type: string}, example: o-1}
    get:
      operationId: getOrder
      responses:
        "200":
          description: One order.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
        "404": {description: No such order.}
    delete:
      operationId: cancelOrder
      responses:
        "204": {description: Cancelled.}
  /orders/{orderId}/invoice:
    get:
      operationId: getInvoice
      parameters:
        - {name: orderId, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: "The invoice, as PDF."}
  /reports/daily:
    get:
      operationId: dailyReport
      x-canary: false
      responses:
        "200": {description: Expensive to compute.}
  /ping:
    head:
      responses:
        "204": {description: Up.}
components:
  schemas:
    Order:
      type: object
      required: [id, status, total, customer]
      properties:
        id: {type: string}
        status: {type: string}
        total: {type: number, minimum: 0}
        note: {type: string}
        customer:
          type: object
          required: [name]
          properties:
            name: {type: string}
"""

ORDER = {"id": "o-1", "status": "new", "total": 12.5, "customer": {"name": "Ada"}}


class OrdersApi(Routed):
    """SPEC, under /<variant>/. "healthy" keeps every promise; the others break one:

    missing-key   getOrder leaves out `status`, a required property
    wrong-type    listOrders gives `count` as a string
    error-500     getOrder answers 500
    slow          listOrders sends its body SLOW_SECONDS after its headers
    no-id         createOrder answers without the order's `id` (a capture finds nothing)
    """

    def route(self) -> None:
        url = urlsplit(self.path)
        _, variant, resource = url.path.split("/", 2)
        query = parse_qs(url.query)
        if (self.command, resource) == ("GET", "health"):  # the module's own first step
            self.reply(200, {"status": "ok"})
        elif (self.command, resource) == ("HEAD", "ping"):
            self.reply(204, None)
        elif (self.command, resource) == ("GET", "orders") and "limit" in query:
            count: Any = "1" if variant == "wrong-type" else 1
            body = {"items": [ORDER], "count": count}
            self.reply(200, body, delay=SLOW_SECONDS if variant == "slow" else 0)
        elif (self.command, resource) == ("POST", "orders"):
            missing = "id" if variant == "no-id" else None
            self.reply(201, {k: v for k, v in ORDER.items() if k != missing})
        elif (self.command, resource) == ("GET", "orders/o-1"):
            if variant == "error-500":
                self.reply(500, {"error": "database unavailable"})
            else:
                missing = "status" if variant == "missing-key" else None
                self.reply(200, {k: v for k, v in ORDER.items() if k != missing})
        else:
            self.reply(404, {"error": "no such route"})

    def reply(self, status: int, body: object, delay: float = 0) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()  # the headers leave now; the body after the delay
        time.sleep(delay)
        if self.command != "HEAD":
            self.wfile.write(data)


@pytest.fixture(scope="module")
def orders_api_port() -> Iterator[int]:
    with serve(OrdersApi) as port:
        yield port
