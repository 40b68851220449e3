"""Point Terraform at the stand-in providers through a CLI configuration file.

Terraform's `dev_overrides` make it start a local executable instead of installing a
provider from the registry. `write_cli_config` writes, into a directory of the caller's:
- `bin/terraform-provider-<name>`: a shell script that execs this Python on launch.py,
  which has the fork server (`fork.sock`, see forkserver.py) start the provider, or, with
  no fork server listening, execs `python -m generator.check.provider` (the name must
  contain `terraform-provider`, which Terraform looks for and pyvider insists on); stderr
  is kept in `<name>.log` to explain a failed start;
- `terraformrc`: the CLI configuration to pass as TF_CLI_CONFIG_FILE. Any other provider
  is looked up only in an empty filesystem mirror, so `init` fails at once naming it
  instead of reaching for the network.

`spawn_fork_server` and `configure_fork_server` (or `start_fork_server`, both) start the
fork server for the same directory; it is optional.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import generator
from generator.check.provider.catalog import stand_in_providers
from generator.check.provider.reattach import Shared

PROVIDERS = stand_in_providers()  # local name -> address, one per extracted schema
PYTHON = sys.executable  # the interpreter that runs the stand-ins
PACKAGE_ROOT = Path(generator.__file__).resolve().parent.parent
LAUNCH_SCRIPT = Path(__file__).resolve().parent / "launch.py"
FORK_SOCKET = "fork.sock"
CLI_CONFIG = "terraformrc"


def _launcher(name: str, module_dir: Path, log: Path, socket: Path) -> str:
    start = [PYTHON, "-m", "generator.check.provider", name, str(module_dir)]
    command = [PYTHON, "-I", "-S", str(LAUNCH_SCRIPT), str(socket), name, *start]
    return (
        "#!/bin/sh\n"
        f"PYTHONPATH={shlex.quote(str(PACKAGE_ROOT))}${{PYTHONPATH:+:$PYTHONPATH}}\n"
        "export PYTHONPATH\n"
        f"exec {shlex.join(command)} 2>>{shlex.quote(str(log))}\n"
    )


def _hcl_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_cli_config(directory: Path, module_dir: Path) -> Path:
    """Write launchers and a CLI configuration into `directory`; return the configuration.

    The launched providers serve the types that the .tf files under `module_dir` mention.
    """
    bin_dir = directory / "bin"
    mirror = directory / "mirror"
    bin_dir.mkdir(parents=True, exist_ok=True)
    mirror.mkdir(exist_ok=True)
    for name in PROVIDERS:
        launcher = bin_dir / f"terraform-provider-{name}"
        launcher.write_text(
            _launcher(
                name, module_dir.resolve(), directory / f"{name}.log", directory / FORK_SOCKET
            )
        )
        launcher.chmod(0o755)
    overrides = "\n".join(
        f"    {_hcl_string(address)} = {_hcl_string(str(bin_dir))}"
        for address in PROVIDERS.values()
    )
    config = directory / CLI_CONFIG
    config.write_text(
        "provider_installation {\n"
        "  dev_overrides {\n"
        f"{overrides}\n"
        "  }\n"
        "  filesystem_mirror {\n"
        f"    path = {_hcl_string(str(mirror))}\n"
        "  }\n"
        "}\n"
        "disable_checkpoint = true\n"
    )
    return config


def start_fork_server(
    directory: Path,
    module_dir: Path,
    env: dict[str, str],
    spawn: Callable[..., subprocess.Popen[str]] = subprocess.Popen,
    shared: tuple[Shared, ...] = (),
) -> subprocess.Popen[str] | None:
    """Start the fork server for the launchers `write_cli_config` wrote into `directory`,
    for the module in `module_dir`, with the `shared` providers (reattach.py): both steps
    below at once."""
    server = spawn_fork_server(directory, env, spawn)
    if server is not None:
        configure_fork_server(server, module_dir, shared)
    return server


def spawn_fork_server(
    directory: Path,
    env: dict[str, str],
    spawn: Callable[..., subprocess.Popen[str]] = subprocess.Popen,
) -> subprocess.Popen[str] | None:
    """Start the fork server for the launchers written (or to be written) into `directory`;
    it imports what providers need while it waits for `configure_fork_server`.

    It says "ready" on stdout once it listens, stops when its stdin is closed, and notes
    each provider it starts in `forkserver.log` in `directory` (its stderr). Linux only (it
    forks a process that has imported grpc); elsewhere, None, and launchers start
    providers the ordinary way. `spawn` starts the process (a check run's, so that an
    interrupt ends it and the providers it forked). Its environment, `env`, is that of the
    shared providers too.
    """
    if not sys.platform.startswith("linux"):
        return None
    command = [PYTHON, "-m", "generator.check.provider.forkserver", str(directory / FORK_SOCKET)]
    with (directory / "forkserver.log").open("ab") as log:
        try:
            return spawn(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=env,
                cwd=directory,
                text=True,
            )
        except OSError as exc:  # launchers will say what is wrong with PYTHON
            log.write(f"fork server not started: {exc}\n".encode())
            return None


def configure_fork_server(
    server: subprocess.Popen[str], module_dir: Path, shared: tuple[Shared, ...] = ()
) -> None:
    """Tell the fork server the module whose types its providers serve, and which
    providers to share. A server that died meanwhile only costs time: launchers then
    start providers the ordinary way, and the shared ones are reported failed."""
    line = {"module_dir": str(module_dir.resolve()), "shared": [s.as_json() for s in shared]}
    try:
        assert server.stdin is not None
        server.stdin.write(json.dumps(line) + "\n")
        server.stdin.flush()
    except OSError:
        pass
