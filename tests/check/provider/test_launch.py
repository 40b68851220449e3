"""launch.py: the process Terraform starts hands itself to the fork server, and starts the
provider the ordinary way when there is none or it fails."""

from __future__ import annotations

import os
import subprocess
import sys

from generator.check.provider import install


def test_launcher_starts_the_provider_the_ordinary_way_without_a_fork_server(tmp_path):
    command = [
        sys.executable,
        "-c",
        "import sys; print('ordinary start', sys.argv[1:])",
        "x",
    ]
    started = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            str(install.LAUNCH_SCRIPT),
            str(tmp_path / "none.sock"),
        ]
        + ["aws", *command],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert started.returncode == 0
    assert started.stdout.strip() == "ordinary start ['x']"


def test_launcher_starts_the_provider_itself_when_the_fork_server_does_not(tmp_path):
    import socket
    import threading

    path = tmp_path / "fork.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(1)

    def refuse() -> None:  # a fork server that reads the request, then fails to fork
        conn, _ = listener.accept()
        _, ancillary, _, _ = conn.recvmsg(1 << 16, socket.CMSG_SPACE(3 * 4))
        for _, _, data in ancillary:  # the launcher's streams: not ours to keep open
            for fd in memoryview(data).cast("i"):
                os.close(fd)
        conn.close()

    thread = threading.Thread(target=refuse)
    thread.start()
    command = [sys.executable, "-c", "print('ordinary start')"]
    started = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            str(install.LAUNCH_SCRIPT),
            str(path),
            "aws",
            *command,
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    thread.join()
    listener.close()
    assert (started.returncode, started.stdout.strip()) == (0, "ordinary start")
