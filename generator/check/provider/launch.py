"""The process Terraform starts as a stand-in provider, when a fork server is running.

Terraform starts a provider several times per command (to read its schema, then for each
graph walk), and a fresh Python that imports pyvider takes most of a second each time. The
fork server (forkserver.py) has done those imports once; this launcher only hands it the
request: its standard streams (passed as file descriptors over a Unix socket), its working
directory and its environment, which carry everything Terraform gives a plugin (the magic
cookie, the client certificate, the protocol versions). A child forked by the server then
serves Terraform on these streams, and the launcher waits for it, exiting with its status,
so that to Terraform the launcher is the provider process. If the launcher dies (Terraform
kills a plugin that does not stop), the child sees its socket close and exits too.

No fork server, or one that fails to start the provider (the child's first word over the
socket says it started): the launcher execs the ordinary start instead (the command after
the socket path), so a provider always starts, only slower.

Run as `python -I -S launch.py SOCKET NAME COMMAND...`: standard library only, no site
packages, so that it starts in a few milliseconds.
"""

from __future__ import annotations

import array
import json
import os
import signal
import socket
import sys

STARTED = b"+"


def main(argv: list[str]) -> None:
    socket_path, name, *command = argv
    try:
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.connect(socket_path)
        cwd = os.getcwd()  # noqa: PTH109 - importing pathlib costs more than this whole start
        request = json.dumps({"name": name, "cwd": cwd, "env": dict(os.environ)}).encode()
        server.sendmsg(
            [len(request).to_bytes(4, "big"), request],
            [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [0, 1, 2]).tobytes())],
        )
        started = server.recv(1) == STARTED  # the child says so before anything else
    except OSError:
        started = False
    if not started:  # no provider was started: start it the ordinary way
        os.execv(command[0], command)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as go-plugin plugins do: the host stops us
    status = b""
    while chunk := server.recv(64):
        status = chunk
    os._exit(status[-1] if status else 1)


if __name__ == "__main__":
    main(sys.argv[1:])
