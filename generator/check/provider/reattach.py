"""Stand-in providers started once per check and shared by all its Terraform commands.

Terraform starts a provider afresh for every schema read and every graph walk: about 25
starts in a default check (validate, plan, show, and each run block of `terraform test`),
each a process with a gRPC server and a handshake, most of the stand-ins' CPU time. Instead,
the fork server (forkserver.py) starts each provider the module uses once per copy of the
module, and Terraform reattaches to it: `TF_REATTACH_PROVIDERS`, Terraform's documented
way to use a provider that is already running
(https://developer.hashicorp.com/terraform/plugin/debugging#debugger-based-debugging), maps
a provider's address to go-plugin's reattach configuration:

    {"hashicorp/aws": {"Protocol": "grpc", "ProtocolVersion": 6, "Pid": PID, "Test": true,
                       "Addr": {"Network": "unix", "String": SOCKET}}}

- `Test: true` (go-plugin's ReattachConfig): Terraform neither shuts the provider down nor
  kills it when a command ends; the check ends it (the fork server kills its providers when
  it stops, and the check kills the fork server's process group, run.py).
- `Pid` is the fork server's: go-plugin only watches that the process lives, and kills it if
  the socket does not answer, which ends the providers with it.
- The socket is a Unix socket in the check's private temporary directory. Terraform
  connects to a reattached provider without TLS: only processes of the same user that can
  enter that directory can reach it, as with the providers Terraform starts itself.

A shared provider is one process for every configuration of it, so it is shared only when
it has one: a provider that the module configures twice (an `alias`, or a `provider` block
in a child module) is started by Terraform as before, for every configuration its own
process with its own region. Run blocks of `terraform test` configure it one after the
other; test files that let run blocks run in parallel (`parallel`) keep ordinary starts.
Each copy of the module has its own providers, in that copy's directory (a provider
resolves relative paths, such as an archive's `source_dir`, from its working directory).

Standard library only: the check decides what to share before anything heavy is imported.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from generator.check.provider.catalog import module_texts, types_in_module, uses_provider

# go-plugin's handshake cookie for Terraform providers (terraform's internal/plugin6):
# pyvider refuses to serve without it, as go-plugin plugins do.
MAGIC_COOKIE = {
    "TF_PLUGIN_MAGIC_COOKIE": "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
}
PROTOCOL_VERSION = 6
ENV = "TF_REATTACH_PROVIDERS"
_PROVIDER_BLOCK_RE = re.compile(r'^\s*provider\s+"([A-Za-z0-9_-]+)"', re.MULTILINE)
_ALIAS_RE = re.compile(r"(?<![\w.-])alias\s*=")  # an argument, not `kms_alias` or "alias/x"
_PARALLEL_RE = re.compile(r"(?<![\w.-])parallel\s*=")


@dataclass(frozen=True)
class Shared:
    """A provider served once for one copy of the module: its local name, the copy (its
    name, and its directory, which the provider runs in), and the socket Terraform
    reattaches to."""

    name: str
    copy: str
    cwd: Path
    socket: Path

    def as_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "copy": self.copy,
            "cwd": str(self.cwd),
            "socket": str(self.socket),
        }


def shareable(module_dir: Path, providers: dict[str, str], tests: bool) -> list[str]:
    """The providers (local names, of `providers`) the copy in `module_dir` may share: those
    its types use, each configured at most once; none if a test file could run in parallel
    (`tests`: the copy runs `terraform test`), or if the module has a `.tf.json` file
    (whose provider configurations this does not read)."""
    if any(True for _ in module_texts(module_dir, "*.tf.json")):
        return []
    texts = [text for _, text in module_texts(module_dir)]
    if tests:
        tests_texts = [text for _, text in module_texts(module_dir, "*.tftest.hcl")]
        if any(_PARALLEL_RE.search(text) for text in tests_texts):
            return []
        texts += tests_texts
    if any(_ALIAS_RE.search(text) for text in texts):
        return []
    configured: dict[str, int] = {}
    for text in texts:
        for match in _PROVIDER_BLOCK_RE.finditer(text):
            configured[match[1]] = configured.get(match[1], 0) + 1
    types = types_in_module(module_dir)
    return [
        name for name in providers if uses_provider(name, types) and configured.get(name, 0) <= 1
    ]


def reattach_env(shared: list[Shared], providers: dict[str, str], pid: int) -> str:
    """TF_REATTACH_PROVIDERS for the providers in `shared` (see the module docstring);
    `providers` maps local names to registry addresses, `pid` is the fork server's."""
    return json.dumps(
        {
            providers[entry.name]: {
                "Protocol": "grpc",
                "ProtocolVersion": PROTOCOL_VERSION,
                "Pid": pid,
                "Test": True,
                "Addr": {"Network": "unix", "String": str(entry.socket)},
            }
            for entry in shared
        }
    )
