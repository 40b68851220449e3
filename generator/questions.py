"""The questions, read from copier.yml: the one definition both front ends use.

`copier copy` reads copier.yml itself; the `cw-scaffold` commands read it here, so an answer
name, default, condition or validator exists in exactly one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import EnvironmentProblem, UserError

__all__ = [
    "QuestionSpec",
    "template_root",
    "load_questions",
    "parse_data_items",
    "load_data_file",
    "check_known_answers",
]


@dataclass(frozen=True)
class QuestionSpec:
    """One question of copier.yml, as written there (templated fields unrendered)."""

    name: str
    type: str = "str"
    help: str = ""
    default: Any = None
    choices: Mapping[str, Any] | list[Any] = field(default_factory=list)
    when: str | bool = True
    validator: str = ""


def template_root() -> Path:
    """The directory holding copier.yml and template/ (the repository root)."""
    root = Path(__file__).resolve().parent.parent
    if not (root / "copier.yml").is_file():
        raise EnvironmentProblem(
            f"the cw-scaffold template (copier.yml) is not at {root}: "
            "install cw-scaffold from its repository with `pip install -e .`"
        )
    return root


def load_questions(root: Path | None = None) -> dict[str, QuestionSpec]:
    """The questions of copier.yml in the order copier asks them (settings `_*` left out)."""
    path = (root or template_root()) / "copier.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions: dict[str, QuestionSpec] = {}
    for name, spec in config.items():
        if name.startswith("_"):
            continue
        questions[name] = QuestionSpec(
            name=name,
            type=spec.get("type", "str"),
            help=spec.get("help", ""),
            default=spec.get("default"),
            choices=spec.get("choices", []),
            when=spec.get("when", True),
            validator=spec.get("validator", ""),
        )
    return questions


def parse_data_items(items: Iterable[str]) -> dict[str, str]:
    """`KEY=VALUE` pairs from the command line; values stay strings, as `copier --data` has them."""
    data: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--data takes KEY=VALUE, got '{item}'")
        data[key.strip()] = value
    return data


def load_data_file(path: Path) -> dict[str, Any]:
    """Answers from a YAML file, like `copier copy --data-file`."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UserError(f"cannot read the data file {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise UserError(f"the data file {path} is not valid YAML: {error}") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UserError(f"the data file {path} must hold a mapping of answer names to values")
    return data


def check_known_answers(answers: Mapping[str, Any], questions: Mapping[str, QuestionSpec]) -> None:
    """copier ignores answers it does not know; a typo should not pass silently."""
    unknown = sorted(set(answers) - set(questions))
    if unknown:
        raise UserError(
            f"unknown answer{'s' if len(unknown) > 1 else ''} {', '.join(repr(u) for u in unknown)};"
            f" the answers are: {', '.join(questions)}"
        )
