"""The questions, read from copier.yml: the one definition both front ends use.

`copier copy` reads copier.yml itself; the `cw-scaffold` commands read it here, so an answer
name, default, condition or validator exists in exactly one place. The templated fields
(`when`, `default`, `help`, `validator`) are rendered here as copier renders them: the same
sandboxed Jinja with the same filters, and each answer cast by its type the way copier casts
it, so the wizard accepts and refuses exactly what `copier copy` does, with the same message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2.sandbox import SandboxedEnvironment

from generator.errors import CONTROL_CHARACTERS, EnvironmentProblem, InvalidAnswer, UserError

__all__ = [
    "ANSWERS_FILE",
    "NO_DEFAULT",
    "QuestionSpec",
    "applies",
    "check_answer",
    "check_known_answers",
    "default_of",
    "load_data_file",
    "load_questions",
    "parse_answer",
    "parse_data_items",
    "read_answers_file",
    "render_field",
    "resolve_answers",
    "template_root",
    "template_subdirectory",
    "validation_error",
]


# copier.yml's `_answers_file`: the file where a project records its answers and the template
# version (tests/test_questions.py checks that the two agree).
ANSWERS_FILE = ".copier-answers.yml"


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
    has_default: bool = False  # copier.yml gives a default (`default` may be a falsy value)


def template_root() -> Path:
    """The directory holding the installed template's copier.yml (see generator.source)."""
    from generator.source import installed_template, questions_root

    root = questions_root(installed_template())
    if root is None:
        raise EnvironmentProblem("the installed cw-scaffold template has no copier.yml beside it")
    return root


def template_subdirectory(root: Path) -> str:
    """copier.yml's `_subdirectory`: the part of the template copier renders ('.' for all)."""
    config = yaml.safe_load((root / "copier.yml").read_text(encoding="utf-8")) or {}
    return str(config.get("_subdirectory", "."))


def load_questions(root: Path | None = None) -> dict[str, QuestionSpec]:
    """The questions of copier.yml in the order copier asks them (settings `_*` left out)."""
    path = ((root or template_root()) / "copier.yml").resolve()
    stat = path.stat()
    return dict(_read_questions(path, stat.st_mtime_ns, stat.st_size))


@cache
def _read_questions(path: Path, _mtime_ns: int, _size: int) -> dict[str, QuestionSpec]:
    # Read once per process and version of the file: `new` needs the questions twice, and
    # startup counts (README, Performance). libyaml's loader when PyYAML has it: 10x faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
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
            has_default="default" in spec,
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


# The largest data or answers file read: real ones are a few kilobytes, and a larger one
# is a mistake or an attack (docs/input-rules.md).
MAX_ANSWERS_FILE_BYTES = 256 * 1024


# The most values (map keys and values, list items) one file or answer may hold, counted with
# YAML aliases expanded: a few hundred bytes of nested aliases otherwise expand to billions.
MAX_YAML_VALUES = 100_000


def _yaml_values_exceed(value: Any, limit: int = MAX_YAML_VALUES) -> bool:
    """Whether `value` holds more than `limit` values, each alias counted where it is used
    (a recursive structure counts without end, so it exceeds any limit)."""
    pending, count = [value], 0
    while pending:
        item = pending.pop()
        count += 1
        if count > limit:
            return True
        if isinstance(item, Mapping):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _read_yaml_mapping(path: Path, what: str) -> dict[str, Any]:
    """The mapping a YAML file holds ({} when empty), or a one-line UserError naming the file
    and the problem: unreadable, too large, not UTF-8, YAML error (line:column), not a map."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_ANSWERS_FILE_BYTES + 1)
    except OSError as error:
        raise UserError(f"cannot read {what} {path}: {error.strerror}") from error
    if len(raw) > MAX_ANSWERS_FILE_BYTES:
        raise UserError(
            f"{what} {path} is larger than {MAX_ANSWERS_FILE_BYTES // 1024} KiB:"
            " answers fit in a few kilobytes"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserError(
            f"{what} {path} is not UTF-8 text (byte {error.start} is 0x{raw[error.start]:02x})"
        ) from error
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise UserError(f"{what} {path}:{_yaml_problem(error, text)} (not valid YAML)") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UserError(f"{what} {path} must hold a mapping of answer names to values")
    if _yaml_values_exceed(data):
        raise UserError(
            f"{what} {path} holds more than {MAX_YAML_VALUES} values once its YAML aliases"
            " are expanded"
        )
    return data


def _yaml_problem(error: yaml.YAMLError, text: str) -> str:
    """Where `text` breaks YAML and why, on one line: '3:12: expected ...'."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif isinstance(error, yaml.reader.ReaderError):  # a character YAML does not allow
        before = text[: error.position]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
    else:
        return str(getattr(error, "problem", None) or error).replace("\n", " ")
    problem = getattr(error, "problem", None) or getattr(error, "reason", None) or "invalid"
    return f"{line}:{column}: {problem}"


def load_data_file(path: Path) -> dict[str, Any]:
    """Answers from a YAML file, like `copier copy --data-file`."""
    return _read_yaml_mapping(path, "the data file")


def read_answers_file(path: Path) -> dict[str, Any]:
    """A project's answers file (ANSWERS_FILE)."""
    return _read_yaml_mapping(path, "the answers file")


def check_known_answers(answers: Mapping[str, Any], questions: Mapping[str, QuestionSpec]) -> None:
    """copier ignores answers it does not know; a typo should not pass silently."""
    unknown = sorted(map(str, set(answers) - set(questions)))
    if unknown:
        raise UserError(
            f"unknown answer{'s' if len(unknown) > 1 else ''} {', '.join(repr(u) for u in unknown)};"
            f" the answers are: {', '.join(questions)}"
        )


@cache
def _jinja() -> SandboxedEnvironment:
    # As copier's Worker.jinja_env: a sandbox with the Ansible core filters (regex_search...),
    # keep_trailing_newline copier's default envops; copier.yml sets no envops of its own.
    return SandboxedEnvironment(
        extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
        keep_trailing_newline=True,
    )


def render_field(value: Any, context: Mapping[str, Any]) -> Any:
    """A field of copier.yml rendered as copier renders it: a string through Jinja with the
    answers as context, a list item by item, anything else as it is."""
    if isinstance(value, str):
        return _jinja().from_string(value).render(**context)
    if isinstance(value, list):
        return [render_field(item, context) for item in value]
    return value


def _cast_to_bool(value: Any) -> bool:
    # copier's cast_to_bool: a number, then the YAML spellings of true and false.
    try:
        return bool(float(value))
    except (TypeError, ValueError):
        pass
    if isinstance(value, str):
        lower = value.strip().lower()
        if lower in {"y", "yes", "t", "true", "on"}:
            return True
        if lower in {"", "n", "no", "f", "false", "off", "~", "null", "none"}:
            return False
    return bool(value)


_TRUE = {"y", "yes", "t", "true", "on", "1"}
_FALSE = {"n", "no", "f", "false", "off", "0"}


def _strict_bool(question: QuestionSpec, value: Any) -> bool:
    """A yes/no answer. copier casts anything (`maybe` becomes true); we refuse what is not
    one of the YAML spellings of a boolean, or 0 or 1."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if isinstance(value, (str, int, float)) else None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidAnswer(
        question.name, f"must be true or false (yes/no, on/off, 1/0), got {value!r}"
    )


def applies(question: QuestionSpec, answers: Mapping[str, Any]) -> bool:
    """Whether the question's `when` holds for the answers given so far."""
    return _cast_to_bool(render_field(question.when, answers))


def _choice_values(question: QuestionSpec) -> list[Any]:
    choices = question.choices
    return list(choices.values()) if isinstance(choices, Mapping) else list(choices)


def parse_answer(question: QuestionSpec, value: Any) -> Any:
    """An answer cast to the question's type as copier casts it (a `--data` string becomes a
    bool, a list or a map); raise InvalidAnswer when it cannot be, is not one of the choices,
    or holds a control character."""
    if question.type == "bool":
        parsed: Any = _strict_bool(question, value)
    elif question.type == "yaml":
        try:
            parsed = yaml.safe_load(value) if isinstance(value, str) else value
        except yaml.YAMLError as error:
            raise InvalidAnswer(
                question.name, f"is not valid YAML at {_yaml_problem(error, value)}"
            ) from error
        if _yaml_values_exceed(parsed):
            raise InvalidAnswer(
                question.name, f"holds more than {MAX_YAML_VALUES} values (YAML aliases expanded)"
            )
    elif isinstance(value, str):
        parsed = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        parsed = str(value)
    else:
        raise InvalidAnswer(question.name, f"must be a single value, got {value!r}")
    _refuse_control_characters(question, parsed)
    values = _choice_values(question)
    if values and parsed not in values:
        raise InvalidAnswer(
            question.name, f"must be one of {', '.join(map(str, values))}, got {parsed!r}"
        )
    return parsed


def _refuse_control_characters(question: QuestionSpec, value: Any) -> None:
    """No answer carries a control character or a bidi override (in a list item or a map key
    or value either): they break the rendered HCL or hide what the text says."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            _refuse_control_characters(question, key)
            _refuse_control_characters(question, item)
    elif isinstance(value, list):
        for item in value:
            _refuse_control_characters(question, item)
    elif isinstance(value, str):
        found = CONTROL_CHARACTERS.search(value)
        if found:
            raise InvalidAnswer(
                question.name,
                f"must not contain control characters, found {found[0]!a} in {value!r}",
            )


class _NoDefault:
    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()


def default_of(question: QuestionSpec, answers: Mapping[str, Any]) -> Any:
    """The question's default for the answers so far, rendered and cast; NO_DEFAULT if none."""
    if not question.has_default:
        return NO_DEFAULT
    return parse_answer(question, render_field(question.default, answers))


def validation_error(question: QuestionSpec, value: Any, answers: Mapping[str, Any]) -> str:
    """The validator's message for `value` ("" when it is valid), as copier renders it: with the
    answers so far and the value under the question's name; a validator that fails to render
    reports its exception, as in copier."""
    if not question.validator:
        return ""
    try:
        return str(render_field(question.validator, {**answers, question.name: value})).strip()
    except Exception as error:  # noqa: BLE001 - copier shows any failure as the message
        return str(error)


def check_answer(question: QuestionSpec, value: Any, answers: Mapping[str, Any]) -> Any:
    """`value` parsed and validated; raise InvalidAnswer with the rule's message otherwise."""
    parsed = parse_answer(question, value)
    message = validation_error(question, parsed, answers)
    if message:
        raise InvalidAnswer(question.name, message)
    return parsed


def _condition(question: QuestionSpec) -> str:
    text = str(question.when).strip()
    return text[2:-2].strip() if text.startswith("{{") and text.endswith("}}") else text


def resolve_answers(
    data: Mapping[str, Any], questions: Mapping[str, QuestionSpec]
) -> dict[str, Any]:
    """Every answer that applies, settled as `copier copy --defaults --data ...` settles it:
    given answers parsed and validated, the others from their defaults, in copier.yml's order.

    Raises InvalidAnswer for a bad answer, and UserError naming the answer for a required one
    (no default, its `when` holds) that is missing, rather than copier's bare "is required".
    """
    check_known_answers(data, questions)
    answers: dict[str, Any] = {}
    for name, question in questions.items():
        context = {**data, **answers}
        if not applies(question, context):
            continue
        if name in data:
            answers[name] = check_answer(question, data[name], context)
            continue
        default = default_of(question, context)
        if default is NO_DEFAULT:
            condition = "" if question.when is True else f" when {_condition(question)}"
            raise UserError(
                f"answer '{name}' is required{condition} and has no default ({question.help}):"
                f" give it with --data {name}=VALUE or in --data-file"
            )
        answers[name] = check_answer(question, default, context)
    return answers
