"""A fork server that starts stand-in providers in milliseconds instead of most of a second.

Terraform starts each provider afresh for every schema read and every graph walk: `validate`
starts the aws and archive stand-ins twice each, `plan` three times, `show` and `test` once
or twice. A Python that imports pyvider, grpc and foundation and loads the schema spends
0.5-0.9 s doing so, most of a default check's time. The fork server does that work once
per check (`python -m generator.check.provider.forkserver SOCKET MODULE_DIR`): it imports
the server machinery, loads the schemas of the types MODULE_DIR mentions, then listens on
SOCKET. Each start of a provider is a launcher (launch.py) that connects, hands over its
standard streams, working directory and environment, and waits; the server forks a child
that takes them over and serves exactly as `python -m generator.check.provider` would, in
the launcher's directory and environment. Each provider process Terraform starts is thus
still a process of its own with fresh state: only the imports are shared.

The server writes "ready" on stdout as soon as it listens (launchers then queue until it has
loaded everything), stops when its stdin closes (the check that started it has ended), and
forks nothing but these children. grpc must not
have started (no channel or server) before a fork; only modules are imported here.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.check.provider.catalog import uses_provider
from generator.check.provider.install import PROVIDERS
from generator.check.provider.launch import STARTED

if TYPE_CHECKING:
    from generator.check.provider.schema import ProviderSchema

_MAX_REQUEST = 1 << 20  # a launcher's environment, as JSON


def _preload() -> None:
    """Import what serving imports lazily, so that children find it loaded."""
    import cryptography.hazmat.backends.openssl  # noqa: F401  (certificates)
    import grpc.aio  # noqa: F401
    import pyvider.cli.provide_command
    import pyvider.common.config
    import pyvider.common.launch_context
    import pyvider.handler
    import pyvider.hub.discovery
    import pyvider.protocols.tfprotov6.protobuf
    import pyvider.rpcplugin
    import pyvider.rpcplugin.server  # noqa: F401
    from provide.foundation.crypto import certificates  # noqa: F401

    from generator.check.provider import pyvider_seam, serve  # noqa: F401

    # One mTLS certificate for every child instead of one each (~12 ms a start); it is
    # made before any fork and lives only in this server's and its children's memory.
    pyvider_seam.share_server_certificate()


def _receive(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """A launcher's request and the three file descriptors sent with it."""
    fds: list[int] = []
    try:
        return _read_request(conn, fds), fds
    except (OSError, ValueError):
        for fd in fds:
            os.close(fd)
        raise


def _read_request(conn: socket.socket, fds: list[int]) -> dict[str, Any]:
    header = b""
    while len(header) < 4:
        data, ancillary, _, _ = conn.recvmsg(4 - len(header), socket.CMSG_SPACE(3 * 4))
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                usable = len(payload) - len(payload) % 4
                fds += [
                    int.from_bytes(payload[i : i + 4], sys.byteorder) for i in range(0, usable, 4)
                ]
        if not data:
            raise ConnectionError("launcher closed the connection")
        header += data
    size = int.from_bytes(header, "big")
    if size > _MAX_REQUEST or len(fds) != 3:
        raise ValueError("malformed launcher request")
    body = b""
    while len(body) < size:
        chunk = conn.recv(size - len(body))
        if not chunk:
            raise ConnectionError("launcher closed the connection")
        body += chunk
    request: dict[str, Any] = json.loads(body)
    if request.get("name") not in PROVIDERS or not isinstance(request.get("env"), dict):
        raise ValueError("malformed launcher request")
    return request


def _child(
    conn: socket.socket,
    request: dict[str, Any],
    fds: list[int],
    schemas: dict[str, ProviderSchema],
    types: set[str],
) -> None:
    """Become the provider the launcher asked for; never returns."""
    code = 1
    try:
        conn.sendall(STARTED)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in set(fds) - {0, 1, 2}:
            os.close(fd)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        threading.Thread(target=_exit_when_closed, args=(conn,), daemon=True).start()

        from generator.check.provider import pyvider_seam, serve
        from generator.check.provider.schema import load_schema

        pyvider_seam.refresh_environment()
        serve.on_exit(lambda status: _finish(conn, status))
        name = request["name"]
        serve.serve(name, schemas.get(name) or load_schema(name, only=types))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - a forked child must never return to the server loop
        traceback.print_exc()
    _finish(conn, code)


def _finish(conn: socket.socket, status: int) -> None:
    """Tell the launcher how the provider ended, and end without Python's slow teardown."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    try:
        conn.sendall(bytes([status & 0xFF]))
    except OSError:
        pass
    os._exit(status)


def _exit_when_closed(conn: socket.socket) -> None:
    """The launcher died (Terraform killed it): so does the provider it stood for."""
    try:
        while conn.recv(64):
            pass
    except OSError:
        pass
    os._exit(1)


def serve_forks(socket_path: str, module_dir: Path) -> None:
    """Serve launchers on `socket_path` until stdin closes (see the module docstring).

    "ready" comes as soon as the socket listens, before the imports: a launcher that
    connects meanwhile waits in the backlog rather than starting a provider the slow way.
    """
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(64)
    print("ready", flush=True)
    from generator.check.provider.schema import load_schema, types_in_module

    types = types_in_module(module_dir)
    # Only the providers the module's types belong to are loaded ahead (awscc alone takes
    # ~0.4 s); a child asked for another loads its schema itself.
    schemas = {
        name: load_schema(name, only=types) for name in PROVIDERS if uses_provider(name, types)
    }
    _preload()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    while True:
        readable, _, _ = select.select([listener, sys.stdin], [], [])
        if sys.stdin in readable and not os.read(sys.stdin.fileno(), 4096):
            return  # the check that started this server is over
        if listener not in readable:
            continue
        conn, _ = listener.accept()
        try:
            request, fds = _receive(conn)
        except (OSError, ValueError):  # ConnectionError is an OSError
            conn.close()
            continue
        try:
            pid = os.fork()
        except OSError as exc:  # the launcher, told nothing, starts the provider itself
            print(f"cannot fork: {exc}", file=sys.stderr, flush=True)
            pid = -1
        if pid == 0:
            listener.close()
            _child(conn, request, fds, schemas, types)
        elif pid > 0:
            print(
                f"started {request['name']} (pid {pid}) in {request.get('cwd')}",
                file=sys.stderr,
                flush=True,
            )
        conn.close()
        for fd in fds:
            os.close(fd)


if __name__ == "__main__":
    serve_forks(sys.argv[1], Path(sys.argv[2]))
