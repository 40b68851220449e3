"""serve.py (through __main__.py, as a launcher without a fork server starts it): a stand-in
serves Terraform's plugin protocol for the types the module names."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

from generator.check.provider import install

# go-plugin's handshake variables, as Terraform sets them for a provider it starts
TERRAFORM_ENV = {
    "TF_PLUGIN_MAGIC_COOKIE": "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
    "PLUGIN_PROTOCOL_VERSIONS": "6",
}


def _first_line(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    return process.stdout.readline() if ready else ""


def test_a_started_provider_answers_terraforms_handshake(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_sns_topic" "t" {}\n')
    env = {
        **os.environ,
        **TERRAFORM_ENV,
        "PYTHONPATH": str(install.PACKAGE_ROOT),
        "PYVIDER_LOG_LEVEL": "ERROR",
    }
    provider = subprocess.Popen(
        [sys.executable, "-m", "generator.check.provider", "aws", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        handshake = _first_line(provider, 120)
        # CORE-VERSION|PROTOCOL-VERSION|NETWORK|ADDRESS|PROTOCOL, go-plugin's format
        core, protocol, network, address, rpc = handshake.strip().split("|")[:5]
        assert (core, protocol, network, rpc) == ("1", "6", "unix", "grpc")
        assert Path(address).is_socket()
        assert provider.poll() is None  # serving until Terraform stops it
    finally:
        provider.kill()
        provider.wait(timeout=10)
        assert provider.stdout is not None
        provider.stdout.close()
