"""Every place the stand-in replaces part of pyvider (0.0.x) at run time, so that upgrading
pyvider means reviewing this one file against its new version.

- `replace_handlers`: ProviderHandler's RPC methods answered by the fast path (fastpath.py),
  which falls back to pyvider's own methods (`pyvider_handler`).
- `install_fast_shutdown`: GRPCControllerService's delayed shutdown (serve.py says why).
- `refresh_environment`: pyvider's RPC configuration re-read from the environment, for a
  fork server child that imported pyvider before it had Terraform's (forkserver.py).
- `skip_plugin_discovery`: pyvider's scan of every installed distribution for "pyvider"
  entry points, on every start.
- `share_server_certificate`: pyvider's automatic mTLS server certificate, generated once
  instead of on every start.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

Handler = Callable[[Any, Any, Any], Awaitable[Any]]
_PYVIDER_HANDLERS: dict[str, Handler] = {}  # ProviderHandler's own methods, before replacing


def pyvider_handler(method: str) -> Handler:
    """pyvider's own ProviderHandler method for an RPC, whether or not it was replaced."""
    from pyvider.handler import ProviderHandler

    if method not in _PYVIDER_HANDLERS:
        _PYVIDER_HANDLERS[method] = getattr(ProviderHandler, method)
    return _PYVIDER_HANDLERS[method]


def replace_handlers(handlers: dict[str, Handler]) -> None:
    """Answer these RPCs (ProviderHandler method name -> handler) with `handlers`."""
    from pyvider.handler import ProviderHandler

    for method, handler in handlers.items():
        pyvider_handler(method)  # keep pyvider's own first
        setattr(ProviderHandler, method, handler)


def install_fast_shutdown(exit_process: Callable[[int], None], delay: float) -> None:
    """On go-plugin's Shutdown RPC, call `exit_process(0)` `delay` seconds after answering,
    instead of pyvider's slower, graceful stop."""
    from pyvider.rpcplugin.protocol.service import GRPCControllerService

    async def exit_after_answering(self: GRPCControllerService) -> None:
        await asyncio.sleep(delay)
        exit_process(0)

    setattr(GRPCControllerService, "_delayed_shutdown", exit_after_answering)  # noqa: B010


def refresh_environment() -> None:
    """Re-read configuration that pyvider's RPC layer took from the environment on import
    (the client certificate for mTLS, above all)."""
    import attrs
    from pyvider.rpcplugin import config

    fresh = config.RPCPluginConfig.from_env()
    for field in attrs.fields(config.RPCPluginConfig):
        setattr(config.rpcplugin_config, field.name, getattr(fresh, field.name))


def skip_plugin_discovery() -> None:
    """Start serving without pyvider's component discovery.

    pyvider reads the metadata of every installed distribution for "pyvider" entry points
    on each start (10-30 ms, a tenth of a provider start) and would import any package that
    declares one. The stand-in registers its own components (components.register) and must
    run no other package's code, so discovery only has to say it is done.
    """
    from pyvider.cli import provide_command

    async def discovered(logger: Any, hub: Any, ready_event: asyncio.Event) -> None:
        ready_event.set()

    setattr(provide_command, "_discover_and_signal", discovered)  # noqa: B010


def share_server_certificate() -> None:
    """Generate pyvider's automatic server certificate now, once, and serve every later
    start in this process and its forked children with it.

    pyvider makes a new self-signed certificate and key whenever Terraform asks for mTLS,
    that is on every provider start. Terraform pins whatever certificate the handshake line
    carries, so one per fork server serves as well; the key stays in memory, as pyvider's
    own does. A configured PLUGIN_SERVER_CERT/KEY pair, or a server host other than the one
    the certificate names, still goes to pyvider.
    """
    from pyvider.rpcplugin.server import network

    original = network.ServerNetworkMixin._load_server_certificate
    names = network._server_cert_alt_names()
    shared = original(network.ServerNetworkMixin(), None, None, auto_mtls=True)

    def load(
        self: Any,
        server_cert_conf: str | None,
        server_key_conf: str | None,
        auto_mtls: bool,
    ) -> Any:
        configured = server_cert_conf and server_key_conf
        if not configured and auto_mtls and network._server_cert_alt_names() == names:
            return shared
        return original(self, server_cert_conf, server_key_conf, auto_mtls)

    setattr(network.ServerNetworkMixin, "_load_server_certificate", load)  # noqa: B010
