"""A fork server that starts stand-in providers in milliseconds instead of most of a second.

Terraform starts each provider afresh for every schema read and every graph walk: `validate`
starts the aws and archive stand-ins twice each, `plan` three times, `show` and `test` once
or twice. A Python that imports pyvider, grpc and foundation and loads the schema spends
0.5-0.9 s doing so, most of a default check's time. The fork server does that work once
per check (`python -m generator.check.provider.forkserver SOCKET`): it listens on SOCKET,
imports the server machinery, then reads the check's configuration, one JSON line on stdin,
`{"module_dir": DIR, "shared": [...]}`, and loads the schemas of the types DIR mentions.
(The check starts it first and sends the line once it has read the module, so the imports
overlap that.)

It starts the providers the check shares between its Terraform commands (`shared`,
reattach.py): each a child serving in its copy's directory, listening on the socket the
check named. Terraform reattaches to them instead of starting the provider again.

Every other start of a provider is a launcher (launch.py) that connects, hands over its
standard streams, working directory and environment, and waits; the server forks a child
that takes them over and serves exactly as `python -m generator.check.provider` would, in
the launcher's directory and environment. Each provider process Terraform starts is thus
still a process of its own with fresh state: only the imports are shared.

The server writes "ready" on stdout as soon as it listens (launchers then queue until it has
loaded everything), then "shared COPY" once the shared providers of a copy of the module
listen ("shared-failed COPY" if one did not start: its reason goes to stderr). It stops when
its stdin closes (the check that started it has ended), killing the shared providers, which
also die with it (a parent-death signal), and forks nothing but these children. grpc must
not have started (no channel or server) before a fork; only modules are imported here.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import select
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.check.provider.catalog import types_in_module, uses_provider
from generator.check.provider.install import PROVIDERS
from generator.check.provider.launch import STARTED
from generator.check.provider.reattach import MAGIC_COOKIE, PROTOCOL_VERSION

if TYPE_CHECKING:
    from generator.check.provider.schema import ProviderSchema

_MAX_REQUEST = 1 << 20  # a launcher's environment, as JSON
SHARED_START_SECONDS = 30  # for the shared providers to say where they listen
_PR_SET_PDEATHSIG = 1  # prctl(2)


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
    gc.enable()
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
        code = _serving(request["name"], schemas, types, lambda status: _finish(conn, status))
    except BaseException:  # noqa: BLE001 - a forked child must never return to the server loop
        traceback.print_exc()
    _finish(conn, code)


def _serving(
    name: str,
    schemas: dict[str, ProviderSchema],
    types: set[str],
    on_exit: Callable[[int], None] | None = None,
) -> int:
    """Serve provider `name` in this forked child until it ends; its exit status.
    `on_exit(status)` ends the process when Terraform shuts the provider down."""
    from generator.check.provider import pyvider_seam, serve
    from generator.check.provider.schema import load_schema

    pyvider_seam.refresh_environment()
    if on_exit is not None:
        serve.on_exit(on_exit)
    try:
        serve.serve(name, schemas.get(name) or load_schema(name, only=types))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


def _finish(conn: socket.socket, status: int) -> None:
    """Tell the launcher how the provider ended, and end without Python's slow teardown."""
    _flush()
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


def serve_forks(socket_path: str) -> None:
    """Serve launchers on `socket_path` until stdin closes (see the module docstring).

    "ready" comes as soon as the socket listens, before the imports, and the imports come
    before the module is known: the check starts this server first and sends the module's
    directory and the providers to share (one JSON line on stdin) once it has read the
    module. A launcher that connects meanwhile waits in the backlog rather than starting a
    provider the slow way.
    """
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(64)
    print("ready", flush=True)
    # Python's own recipe for a server that forks without exec (the `gc.freeze` docs): no
    # collections while the imports and schemas load (the collector's passes over them
    # were ~0.1 CPU-s), then all of it frozen before the first fork, so that a child's
    # collections never write to the pages it shares with this server (copy-on-write).
    gc.disable()
    _preload()
    configuration = _configuration()
    if configuration is None:
        return  # the check ended before Terraform ran
    from generator.check.provider.schema import load_schema

    types = types_in_module(Path(configuration["module_dir"]))
    # Only the providers the module's types belong to are loaded ahead (awscc alone takes
    # ~0.4 s); a child asked for another loads its schema itself.
    schemas = {
        name: load_schema(name, only=types) for name in PROVIDERS if uses_provider(name, types)
    }
    gc.freeze()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    children = _start_shared(configuration["shared"], listener, schemas, types)
    try:
        _serve_launchers(listener, schemas, types)
    finally:
        _end(children)


def _configuration() -> dict[str, Any] | None:
    """The line the check sends on stdin: {"module_dir": DIR, "shared": [...]}; None if
    stdin closes first."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(sys.stdin.fileno(), 1 << 16)
        if not chunk:
            return None
        data += chunk
    configuration: dict[str, Any] = json.loads(data)
    return configuration


def _serve_launchers(
    listener: socket.socket, schemas: dict[str, ProviderSchema], types: set[str]
) -> None:
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


def _start_shared(
    shared: list[dict[str, str]],
    listener: socket.socket,
    schemas: dict[str, ProviderSchema],
    types: set[str],
) -> list[int]:
    """Start the shared providers copy after copy (the first copy's are needed first): fork
    those of a copy all at once, move each one's socket to where the check said it would
    be, then say "shared COPY" (or "shared-failed COPY") on stdout. Their pids."""
    pids: list[int] = []
    copies = list(dict.fromkeys(spec["copy"] for spec in shared))
    for copy in copies:
        started = [
            _fork_shared(spec, listener, schemas, types) for spec in shared if spec["copy"] == copy
        ]
        pids += [pid for pid, _, _ in started]
        deadline = time.monotonic() + SHARED_START_SECONDS
        served = [_hand_over(pid, read, spec, deadline) for pid, read, spec in started]
        sys.stderr.flush()
        print(f"shared{'' if all(served) else '-failed'} {copy}", flush=True)
    return pids


def _fork_shared(
    spec: dict[str, str],
    listener: socket.socket,
    schemas: dict[str, ProviderSchema],
    types: set[str],
) -> tuple[int, int, dict[str, str]]:
    """Fork a shared provider: its pid, the pipe its handshake comes on, its spec."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        listener.close()
        os.close(read)
        _shared_child(spec, write, schemas, types)
    os.close(write)
    return pid, read, spec


def _hand_over(pid: int, read: int, spec: dict[str, str], deadline: float) -> bool:
    """Move the provider's socket, named in its handshake, to the check's; whether it
    serves there."""
    handshake = _first_line(read, deadline)
    # the read end stays open: a provider writing to stdout later must not get SIGPIPE
    fields = handshake.split("|")
    try:
        if fields[2:3] != ["unix"]:
            raise OSError(f"no Unix socket in the handshake {handshake!r}")
        Path(fields[3]).rename(spec["socket"])
    except (IndexError, OSError) as exc:
        print(f"shared {spec['name']} did not start: {exc}", file=sys.stderr)
        return False
    print(f"shared {spec['name']} (pid {pid}) in {spec['cwd']}", file=sys.stderr)
    return True


def _first_line(fd: int, deadline: float) -> str:
    """The first line written on pipe `fd` before `deadline` (go-plugin's handshake)."""
    data = b""
    while b"\n" not in data:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(fd, 4096) if ready else b""
        if not chunk:
            break
        data += chunk
    return data.split(b"\n")[0].decode(errors="replace").strip()


def _shared_child(
    spec: dict[str, str], stdout: int, schemas: dict[str, ProviderSchema], types: set[str]
) -> None:
    """Become a shared provider, serving plaintext gRPC on a Unix socket until killed;
    never returns. Its handshake goes to `stdout`, its log to the server's stderr."""
    code = 1
    gc.enable()
    try:
        parent = os.getppid()
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the server died before the signal was set
            os._exit(1)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(stdout, 1)
        os.close(devnull)
        os.close(stdout)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.chdir(spec["cwd"])
        os.environ.update(MAGIC_COOKIE, PLUGIN_PROTOCOL_VERSIONS=str(PROTOCOL_VERSION))
        os.environ.pop("PLUGIN_CLIENT_CERT", None)  # no mTLS: Terraform reattaches without
        code = _serving(spec["name"], schemas, types)
    except BaseException:  # noqa: BLE001 - a forked child must never return to the server loop
        traceback.print_exc()
    _flush()
    os._exit(code)


def _end(children: list[int]) -> None:
    """Kill the shared providers and wait until they are gone (the kernel reaps them)."""
    for pid in children:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    wait_gone(children, seconds=5)


def wait_gone(pids: list[int], seconds: float) -> bool:
    """Wait up to `seconds` in all until every process of `pids` is gone; whether they are."""
    deadline = time.monotonic() + seconds
    for pid in pids:
        while True:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)
    return True


def main(argv: list[str]) -> None:
    (socket_path,) = argv
    serve_forks(socket_path)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # no interpreter teardown of grpc and the schemas: the check waits for it


if __name__ == "__main__":
    main(sys.argv[1:])
