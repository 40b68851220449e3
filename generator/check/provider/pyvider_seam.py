"""Every place the stand-in replaces part of pyvider (0.0.x) at run time, so that upgrading
pyvider means reviewing this one file against its new version.

- `replace_handlers`: ProviderHandler's RPC methods answered by the fast path (fastpath.py),
  which falls back to pyvider's own methods (`pyvider_handler`).
- `install_fast_shutdown`: GRPCControllerService's delayed shutdown (serve.py says why).
- `refresh_environment`: pyvider's RPC configuration re-read from the environment, for a
  fork server child that imported pyvider before it had Terraform's (forkserver.py).
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
