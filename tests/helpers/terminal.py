"""The wizard's drivers: `cw-scaffold new` in a real pseudo-terminal (pexpect) with the keys it
understands, and a scripted Prompter for the wizard's engine."""

from __future__ import annotations

import os
import sys
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import pexpect

DOWN, ENTER, CTRL_C, CTRL_D = "\x1b[B", "\r", "\x03", "\x04"
CLEAR = "\x15"  # Ctrl-U: empties a text prompt
# The prompts of the default path, in order: the questions whose `when` holds, then the confirm.
DEFAULT_PROMPTS = [
    "project_name",
    "environment_suffix",
    "aws_region",
    "cluster_mode",
    "cluster_name",
    "container_insights",
    "vpc_mode",
    "new_vpc_egress",
    "services",
    "service_endpoint_pattern",
    "canary_runtime",
    "canary_runtime_version",
    "backend",
    "cross_account_mode",
    "alarm_email",
    "warning_email",
    "additional_tags",
]
CONFIRM = "Write the module to"


def offline_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a wizard that cannot reach AWS: no credentials anywhere, no
    instance metadata look-up; prompt_toolkit told not to wait for cursor-position replies."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.update(
        TERM="xterm",
        PROMPT_TOOLKIT_NO_CPR="1",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=str(tmp_path / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-aws-credentials"),
    )
    env.update(extra)
    return env


class Terminal:
    """`cw-scaffold new` in a pseudo-terminal, answered prompt by prompt."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str], cwd: Path | None = None):
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "generator", "new", *args],
            env=dict(env),
            cwd=str(cwd) if cwd else None,
            encoding="utf-8",
            dimensions=(60, 250),
            timeout=30,
        )
        self.output: list[str] = []

    @classmethod
    def offline(cls, dest: Path, template: Path, tmp_path: Path) -> Terminal:
        """`cw-scaffold new DEST --template TEMPLATE` where AWS cannot be reached."""
        return cls([str(dest), "--template", str(template)], offline_env(tmp_path))

    def expect(self, text: str) -> None:
        self.child.expect_exact(text)
        self.output.append(self.child.before + text)

    def answer(self, prompt: str, keys: str = ENTER, shown: Sequence[str] = ()) -> None:
        """Wait for the prompt (a question's name, or other text), and for each text `shown`
        with it (choices: the keys must not come before the list is drawn); type `keys`."""
        self.expect(f"{prompt}:" if prompt.isidentifier() else prompt)
        for text in shown:
            self.expect(text)
        self.child.send(keys)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.output.append(self.child.before)
        self.child.close()
        assert self.child.exitstatus is not None, "the wizard died of a signal"
        return self.child.exitstatus

    @property
    def text(self) -> str:
        return "".join(self.output)


class Scripted:
    """A Prompter that answers from a script (prompt name -> answers in turn), else takes the
    default, and records every prompt with the choices it offered."""

    def __init__(self, script: Mapping[str, list[Any]] | None = None) -> None:
        self.script = {name: list(answers) for name, answers in (script or {}).items()}
        self.asked: list[str] = []
        self.offered: dict[str, list[tuple[str, Any]]] = {}

    def _next(self, message: str, default: Any) -> Any:
        name = message.split(":")[0]
        self.asked.append(name)
        # A wizard re-asks what it refuses: a default it refuses would be asked forever.
        assert self.asked.count(name) <= 20, f"{name} asked {self.asked.count(name)} times"
        queue = self.script.get(name)
        return queue.pop(0) if queue else default

    def text(self, message: str, default: str, instruction: str | None = None) -> str:
        return str(self._next(message, default))

    def select(self, message: str, choices: Sequence[tuple[str, Any]], default: Any) -> Any:
        self.offered[message.split(":")[0]] = list(choices)
        values = [value for _, value in choices]
        return self._next(message, default if default in values else values[0])

    def checkbox(
        self, message: str, choices: Sequence[tuple[str, Any]], checked: Collection[Any]
    ) -> list[Any]:
        self.offered[message.split(":")[0]] = list(choices)
        return list(self._next(message, list(checked)))

    def confirm(self, message: str, default: bool) -> bool:
        return bool(self._next(message, default))
