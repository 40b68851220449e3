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
