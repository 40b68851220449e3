"""The one file that replaces parts of pyvider: handlers replaced with pyvider's own still at
hand, the fast shutdown, and pyvider's configuration read again from the environment."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pyvider.handler import ProviderHandler
from pyvider.rpcplugin import config
from pyvider.rpcplugin.protocol.service import GRPCControllerService

from generator.check.provider import pyvider_seam


def test_a_replaced_handler_answers_and_pyviders_own_stays_reachable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    own = ProviderHandler.StopProvider
    monkeypatch.setattr(ProviderHandler, "StopProvider", own)  # restored after the test

    async def stop(self: Any, request: Any, context: Any) -> str:
        return "stopped here"

    pyvider_seam.replace_handlers({"StopProvider": stop})
    assert asyncio.run(ProviderHandler.StopProvider(None, None, None)) == "stopped here"
    assert pyvider_seam.pyvider_handler("StopProvider") is own


def test_fast_shutdown_exits_once_the_answer_had_time_to_go(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        GRPCControllerService, "_delayed_shutdown", GRPCControllerService._delayed_shutdown
    )
    exits: list[int] = []
    pyvider_seam.install_fast_shutdown(exits.append, 0.01)
    asyncio.run(GRPCControllerService._delayed_shutdown(None))  # type: ignore[arg-type]
    assert exits == [0]


def test_refresh_environment_reads_what_terraform_set(monkeypatch: pytest.MonkeyPatch) -> None:
    before = config.rpcplugin_config.plugin_client_cert
    monkeypatch.setenv("PLUGIN_CLIENT_CERT", "-----BEGIN CERTIFICATE-----\nfrom-terraform")
    try:
        pyvider_seam.refresh_environment()
        assert config.rpcplugin_config.plugin_client_cert.endswith("from-terraform")
    finally:
        monkeypatch.delenv("PLUGIN_CLIENT_CERT")
        pyvider_seam.refresh_environment()
    assert config.rpcplugin_config.plugin_client_cert == before


def test_skip_plugin_discovery_serves_without_importing_other_packages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pyvider.cli import provide_command

    monkeypatch.setattr(
        provide_command, "_discover_and_signal", provide_command._discover_and_signal
    )
    scanned: list[str] = []
    monkeypatch.setattr(
        "importlib.metadata.entry_points",
        lambda **kw: scanned.append(kw["group"]) or [],
    )
    pyvider_seam.skip_plugin_discovery()
    ready = asyncio.Event()
    asyncio.run(provide_command._discover_and_signal(None, None, ready))
    assert ready.is_set(), "the server waits on this event before it instantiates the provider"
    assert scanned == []


def test_one_server_certificate_serves_every_start_but_a_configured_pair_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from provide.foundation.crypto import Certificate
    from pyvider.rpcplugin.server.network import ServerNetworkMixin

    own = ServerNetworkMixin._load_server_certificate
    monkeypatch.setattr(ServerNetworkMixin, "_load_server_certificate", own)
    pyvider_seam.share_server_certificate()
    server = ServerNetworkMixin()
    first = server._load_server_certificate(None, None, auto_mtls=True)
    again = ServerNetworkMixin()._load_server_certificate(None, None, auto_mtls=True)
    assert again is first and "PRIVATE KEY" in first.key_pem
    assert own(server, None, None, auto_mtls=True).cert_pem != first.cert_pem  # pyvider: a new one

    configured = Certificate.create_self_signed_server_cert(
        common_name="configured",
        organization_name="test",
        validity_days=1,
        alt_names=["localhost"],
    )
    loaded = server._load_server_certificate(
        configured.cert_pem, configured.key_pem, auto_mtls=True
    )
    assert loaded.cert_pem.strip() == configured.cert_pem.strip()
    assert server._load_server_certificate(None, None, auto_mtls=False) is None
