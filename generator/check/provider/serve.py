"""Serving one stand-in provider to Terraform, in this process, through pyvider.

`serve(name, schema)` registers the provider and its types, then hands over to pyvider's
server. Both ways of starting a provider end here: `python -m generator.check.provider`
(a fresh interpreter) and a child of the fork server (forkserver.py).

Two things pyvider does slowly are done faster here, without changing what Terraform sees:
- Shutdown: pyvider answers go-plugin's Shutdown RPC, waits 0.1 s, signals itself, stops
  the gRPC server with a grace period and tears the interpreter down, 0.3-0.5 s in all,
  and Terraform waits for the process to exit each time it closes a provider. Here the
  process exits right after the answer is sent; nothing is pending by then (the stand-in
  never applies, and each RPC finishes its own writes).
- The hot RPCs (fastpath.py).
- Start-up: no scan of installed packages for pyvider plugins (the components are
  registered here), and under the fork server one mTLS certificate for all its children.
Each replaces part of pyvider through pyvider_seam.py, the one file a pyvider upgrade touches.

Set CW_SCAFFOLD_PROVIDER_PROFILE to a directory to profile every provider process.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from generator.check.provider.catalog import PROFILE_ENV
from generator.check.provider.schema import ProviderSchema

__all__ = ["PROFILE_ENV", "on_exit", "serve"]

SHUTDOWN_DELAY_SECONDS = 0.02  # time for gRPC to send the Shutdown answer


def _default_exit(status: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(status)


_exit: Callable[[int], None] = _default_exit


def on_exit(callback: Callable[[int], None]) -> None:
    """Make `callback(status)` end the process when Terraform shuts the provider down."""
    global _exit
    _exit = callback


def serve(name: str, schema: ProviderSchema) -> None:
    """Serve provider `name` with `schema` to the Terraform that started this process."""
    from generator.check.provider import fastpath, pyvider_seam
    from generator.check.provider.components import register

    register(schema)
    fastpath.install(schema)
    pyvider_seam.install_fast_shutdown(lambda status: _exit(status), SHUTDOWN_DELAY_SECONDS)
    pyvider_seam.skip_plugin_discovery()

    from pyvider.cli.__main__ import main as pyvider_main

    # pyvider refuses to serve unless argv[0] names a terraform-provider-* binary
    sys.argv = [f"terraform-provider-{name}", "provide"]
    profile_dir = os.environ.get(PROFILE_ENV)
    if not profile_dir:
        pyvider_main()
        return
    import cProfile

    profile = cProfile.Profile()
    exit_process = _exit

    def dump() -> None:
        profile.disable()
        profile.dump_stats(Path(profile_dir) / f"{name}-{os.getpid()}.prof")

    def dump_then_exit(status: int) -> None:
        dump()
        exit_process(status)

    on_exit(dump_then_exit)
    profile.enable()
    try:
        pyvider_main()
    finally:
        dump()
