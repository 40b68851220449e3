"""forkserver.py: providers started by the fork server answer Terraform's handshake in the
launcher's directory, die with their launcher, and share one mTLS certificate, made once;
shared providers listen where the check said, in their copy's directory, and end with the
fork server however it ends."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from provide.foundation.crypto import Certificate

from generator.check.provider import install
from generator.check.provider.forkserver import wait_gone
from generator.check.provider.reattach import Shared


def _handshake(stream: Any, timeout: float) -> str:
    """The first line a provider writes on stdout, within `timeout` seconds."""
    import select

    ready, _, _ = select.select([stream], [], [], timeout)
    return stream.readline() if ready else ""


def _providers_for_a_module(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A one-resource module, the stand-ins' CLI configuration for it, and the environment
    the fork server starts in (the fork server runs on Linux only: skip elsewhere)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the fork server runs on Linux only")
    module = tmp_path / "module"
    module.mkdir()
    (module / "main.tf").write_text('resource "aws_sns_topic" "t" {}\n')
    directory = tmp_path / "providers"
    install.write_cli_config(directory, module)
    env = {**os.environ, "PYTHONPATH": str(install.PACKAGE_ROOT), "PYVIDER_LOG_LEVEL": "ERROR"}
    return module, directory, env


def test_fork_server_starts_providers_that_die_with_their_launcher(tmp_path):
    module, directory, env = _providers_for_a_module(tmp_path)
    server = install.start_fork_server(directory, module, env)
    assert server is not None and server.stdout is not None and server.stdin is not None
    launcher = None
    try:
        assert _handshake(server.stdout, 60).strip() == "ready"
        terraform_env = {
            **env,
            "TF_PLUGIN_MAGIC_COOKIE": (
                "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
            ),
            "PLUGIN_PROTOCOL_VERSIONS": "6",
        }
        launcher = subprocess.Popen(
            [str(directory / "bin" / "terraform-provider-aws")],
            cwd=module,
            env=terraform_env,
            stdout=subprocess.PIPE,
            text=True,
        )
        handshake = _handshake(launcher.stdout, 30)
        assert handshake.startswith("1|6|unix|")  # go-plugin's handshake, protocol 6
        log = (directory / "forkserver.log").read_text()
        (started,) = [line for line in log.splitlines() if line.startswith("started aws")]
        assert started.endswith(f"in {module}")  # in the launcher's directory
        child = int(started.split("(pid ")[1].split(")")[0])
        os.kill(child, 0)  # serving
        launcher.kill()  # as Terraform kills a provider that does not stop
        launcher.wait(timeout=10)
        if not wait_gone([child], seconds=10):
            pytest.fail("the provider outlived its launcher")
    finally:
        if launcher is not None and launcher.poll() is None:
            launcher.kill()
        server.stdin.close()  # stops the server
        assert server.wait(timeout=10) == 0
        server.stdout.close()


TERRAFORM_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"


def _handshake_certificate(directory: Path, module: Path, env: dict[str, str]) -> str:
    """Start the aws stand-in as Terraform does with automatic mTLS; its handshake's
    certificate field (go-plugin's sixth, base64 DER)."""
    launcher = subprocess.Popen(
        [str(directory / "bin" / "terraform-provider-aws")],
        cwd=module,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        fields = _handshake(launcher.stdout, 30).strip().split("|")  # type: ignore[arg-type]
    finally:
        launcher.kill()
        launcher.wait(timeout=10)
        launcher.stdout.close()  # type: ignore[union-attr]
    assert fields[:3] == ["1", "6", "unix"], fields
    return fields[5]


def test_providers_of_one_fork_server_present_one_certificate(tmp_path: Path) -> None:
    module, directory, env = _providers_for_a_module(tmp_path)
    terraform_cert = Certificate.create_self_signed_client_cert(
        common_name="terraform", organization_name="test", validity_days=1, alt_names=["localhost"]
    )
    terraform_env = {
        **env,
        "TF_PLUGIN_MAGIC_COOKIE": TERRAFORM_COOKIE,
        "PLUGIN_PROTOCOL_VERSIONS": "6",
        "PLUGIN_CLIENT_CERT": terraform_cert.cert_pem,  # Terraform asks for mTLS
    }
    server = install.start_fork_server(directory, module, env)
    assert server is not None and server.stdout is not None and server.stdin is not None
    try:
        assert _handshake(server.stdout, 60).strip() == "ready"
        first = _handshake_certificate(directory, module, terraform_env)
        second = _handshake_certificate(directory, module, terraform_env)
    finally:
        server.stdin.close()  # stops the server
        assert server.wait(timeout=10) == 0
        server.stdout.close()
    assert first, "with PLUGIN_CLIENT_CERT set the provider serves TLS and sends its certificate"
    assert second == first
    started = (directory / "forkserver.log").read_text().count("started aws")
    assert started == 2, "both came from the fork server"


def _shared_pids(directory: Path) -> list[int]:
    log = (directory / "forkserver.log").read_text()
    return [
        int(line.split("(pid ")[1].split(")")[0]) for line in log.splitlines() if "(pid" in line
    ]


@pytest.mark.parametrize("ending", ["stdin-closed", "server-killed"])
def test_shared_providers_listen_where_asked_and_end_with_the_server(
    tmp_path: Path, ending: str
) -> None:
    module, directory, env = _providers_for_a_module(tmp_path)
    env["TMPDIR"] = str(directory)  # where pyvider makes its socket, before it is moved
    socket_path = directory / "main-aws.sock"
    shared = (Shared("aws", "main", module, socket_path),)
    server = install.start_fork_server(directory, module, env, shared=shared)
    assert server is not None and server.stdout is not None and server.stdin is not None
    try:
        assert _handshake(server.stdout, 60).strip() == "ready"
        assert _handshake(server.stdout, 60).strip() == "shared main"
        (pid,) = _shared_pids(directory)
        assert Path(f"/proc/{pid}/cwd").resolve() == module.resolve()  # the copy's directory
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(str(socket_path))  # serving there, for Terraform to reattach
    finally:
        if ending == "server-killed":  # e.g. the check was killed: a parent-death signal
            server.kill()
        server.stdin.close()
        server.wait(timeout=10)
        server.stdout.close()
    assert wait_gone([pid], seconds=10), "the shared provider outlived its fork server"
