"""The wizard of `cw-scaffold new`: the questions asked one by one, and the summary with its
cost estimate. generator.project drives a whole `cw-scaffold new` around it.

The wizard asks the questions of copier.yml in order, as copier would: `when`, defaults,
choices and help come from there, and each answer is checked by the same validator copier
runs (generator.questions), re-asked with the rule's message until it passes. Lists and maps
are typed as comma-separated items, never as YAML. Answers given with --data are checked and
not asked again. The answers then go to render(), that is to copier, which records them so
that the project updates with plain `copier update`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from generator.cost import (
    SERVICE_DOMAIN,
    estimate,
    format_estimate,
    logged_services,
    resource_counts,
)
from generator.discovery import CANARY_ENDPOINT_SERVICES, Discovery, DiscoveryOff
from generator.errors import InvalidAnswer, UserError
from generator.questions import (
    NO_DEFAULT,
    QuestionSpec,
    applies,
    check_answer,
    check_known_answers,
    default_of,
    render_field,
)

__all__ = [
    "CHOICES_FROM_AWS",
    "DEFAULTS_FROM_AWS",
    "Prompter",
    "TerminalPrompter",
    "ask_answers",
    "summary",
]

MANUAL = "\0manual"  # the value of the "enter it by hand" choice next to discovered items
Choices = Sequence[tuple[str, Any]]  # (title shown, value answered)


class Prompter(Protocol):
    """The four kinds of prompt the wizard needs; Ctrl-C raises KeyboardInterrupt."""

    def text(self, message: str, default: str, instruction: str | None = None) -> str: ...

    def select(self, message: str, choices: Choices, default: Any) -> Any: ...

    def checkbox(self, message: str, choices: Choices, checked: Collection[Any]) -> list[Any]: ...

    def confirm(self, message: str, default: bool) -> bool: ...


class TerminalPrompter:
    """questionary prompts. `unsafe_ask` lets Ctrl-C raise KeyboardInterrupt (exit 130) where
    `ask` would return None; a closed stdin becomes a UserError saying what to do instead."""

    @staticmethod
    def _ask(question: Any) -> Any:
        try:
            return question.unsafe_ask()
        except EOFError as error:
            raise UserError(
                "input ended before the questions were answered: to run without a terminal,"
                " pass --defaults or --no-input with --data/--data-file"
            ) from error

    def text(self, message: str, default: str, instruction: str | None = None) -> str:
        import questionary

        return str(self._ask(questionary.text(message, default=default, instruction=instruction)))

    def select(self, message: str, choices: Choices, default: Any) -> Any:
        import questionary

        options = [questionary.Choice(title, value) for title, value in choices]
        chosen = next((c for c in options if c.value == default), options[0])
        return self._ask(questionary.select(message, options, default=chosen))

    def checkbox(self, message: str, choices: Choices, checked: Collection[Any]) -> list[Any]:
        import questionary

        options = [questionary.Choice(t, v, checked=v in checked) for t, v in choices]
        return list(self._ask(questionary.checkbox(message, options)))

    def confirm(self, message: str, default: bool) -> bool:
        import questionary

        return bool(self._ask(questionary.confirm(message, default=default)))


def _is_map(question: QuestionSpec) -> bool:
    # A yaml question whose default is a map is typed as key=value pairs; any other as a list.
    return isinstance(question.default, Mapping)


def _as_text(value: Any) -> str:
    """An answer as the user types it: items comma-separated, maps as key=value."""
    if value is NO_DEFAULT or value is None:
        return ""
    if isinstance(value, Mapping):
        return ", ".join(f"{key}={item}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _from_text(question: QuestionSpec, text: str) -> Any:
    """What the user typed, as the value copier expects: a list or a map for yaml questions
    (every item a string: an account id keeps its leading zero), the text otherwise. In a map,
    an item without '=' goes on the value before it: a value may hold commas (200,204)."""
    if question.type != "yaml":
        return text.strip()
    body = text.strip()
    if body[:1] in "[{" and body[-1:] in "]}":
        body = body[1:-1]  # tolerate the brackets of the YAML form
    items = [item.strip().strip("'\"") for item in body.split(",") if item.strip()]
    if not _is_map(question):
        return items
    pairs: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep and not pairs:
            raise InvalidAnswer(
                question.name, f"'{item}' is not key=value: type pairs such as team=platform"
            )
        if not sep:
            last = list(pairs)[-1]
            pairs[last] = f"{pairs[last]},{item}"
            continue
        pairs[key.strip().strip("'\"")] = value.strip().strip("'\"")
    return pairs


class _Wizard:
    """One run of the questions; holds the discovery, made once the region is answered."""

    def __init__(
        self,
        questions: Mapping[str, QuestionSpec],
        prompter: Prompter,
        discover: Callable[[str], Discovery] | None,
    ) -> None:
        self.questions = questions
        self.prompter = prompter
        self.discover = discover
        self.discovery: Discovery | None = None

    def ask_all(self, preset: Mapping[str, Any]) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for name, question in self.questions.items():
            context = {**preset, **answers}
            if not applies(question, context):
                continue
            if name in preset:
                answers[name] = check_answer(question, preset[name], context)
            else:
                answers[name] = self.ask(question, context)
        return answers

    def ask(self, question: QuestionSpec, context: Mapping[str, Any]) -> Any:
        message = f"{question.name}: {str(render_field(question.help, context)).strip()}"
        default = default_of(question, context)
        from_aws = DEFAULTS_FROM_AWS.get(question.name)
        if from_aws is not None:
            default = from_aws(self, context, default)
        if question.choices:
            return self._until_valid(
                question,
                context,
                lambda: self.prompter.select(message, _choices(question), default),
            )
        if question.type == "bool":
            return self._until_valid(
                question, context, lambda: self.prompter.confirm(message, default is True)
            )
        found = self._discovered(question.name, context)
        if found:
            picked = self._pick(question, context, message, found, default)
            if picked is not MANUAL:
                return picked
        return self._type(question, context, message, _as_text(default))

    def _until_valid(
        self, question: QuestionSpec, context: Mapping[str, Any], prompt: Callable[[], Any]
    ) -> Any:
        while True:
            try:
                return check_answer(question, prompt(), context)
            except InvalidAnswer as error:
                _refused(error)

    def _type(
        self, question: QuestionSpec, context: Mapping[str, Any], message: str, text: str
    ) -> Any:
        """A typed answer, re-asked with the rule's message (and the text to fix) until valid."""
        instruction = None
        if question.type == "yaml":
            instruction = (
                "(comma-separated key=value pairs)" if _is_map(question) else "(comma-separated)"
            )
        while True:
            text = self.prompter.text(message, text, instruction)
            try:
                return check_answer(question, _from_text(question, text), context)
            except InvalidAnswer as error:
                _refused(error)

    def _pick(
        self,
        question: QuestionSpec,
        context: Mapping[str, Any],
        message: str,
        found: Choices,
        default: Any,
    ) -> Any:
        """An answer chosen among what AWS listed, or MANUAL to type it."""
        if question.type == "yaml":
            values = [value for _, value in found]
            checked = values if len(values) <= 16 else []
            choices = [*found, ("Enter them by hand instead", MANUAL)]
            while True:
                chosen = self.prompter.checkbox(message, choices, checked)
                if MANUAL in chosen:
                    return MANUAL
                try:
                    return check_answer(question, chosen, context)
                except InvalidAnswer as error:
                    _refused(error)
                    checked = chosen
        chosen = self.prompter.select(message, [*found, ("Enter it by hand", MANUAL)], default)
        if chosen == MANUAL:
            return MANUAL
        try:
            return check_answer(question, chosen, context)
        except InvalidAnswer as error:
            _refused(error)
            return MANUAL

    def _endpoints_default(self, context: Mapping[str, Any], default: Any) -> Any:
        """No when the VPC has the canaries' endpoints already: a second one fails to create."""
        discovery = self._discovery(context)
        if discovery is None:
            return default
        vpc_id = context.get("vpc_id") or discovery.default_vpc_id()
        if not isinstance(vpc_id, str):
            return default
        found = discovery.canary_endpoints(vpc_id)
        if isinstance(found, DiscoveryOff) or not found:
            return default
        missing = [s for s in CANARY_ENDPOINT_SERVICES if s not in found]
        print(
            f"{vpc_id} has VPC endpoints for {', '.join(found)} already: the module reuses them"
            " (a second one fails to create)."
            + (
                f" It has none for {', '.join(missing)}: the canaries need a NAT route then."
                if missing
                else ""
            )
        )
        return False

    def _log_groups_default(self, context: Mapping[str, Any], default: Any) -> Any:
        """The services' log groups, read from their task definitions, when AWS answers."""
        discovery = self._discovery(context)
        if discovery is None or not context.get("services"):
            return default
        found = discovery.log_groups(str(context["cluster_name"]), list(context["services"]))
        return default if isinstance(found, DiscoveryOff) or not found else found

    def _load_balancers_default(self, context: Mapping[str, Any], default: Any) -> Any:
        """The services' load balancers, read from the services, when AWS answers."""
        discovery = self._discovery(context)
        if discovery is None or not context.get("services"):
            return default
        found = discovery.load_balancers(str(context["cluster_name"]), list(context["services"]))
        if isinstance(found, DiscoveryOff) or not found:
            return default
        return {name: f"{lb['load_balancer']} {lb['target_group']}" for name, lb in found.items()}

    def _health_checks_default(self, context: Mapping[str, Any], default: Any) -> Any:
        """The health step of each service behind a load balancer: its target group's health
        check path and matcher, when AWS answers. One the question refuses is left out."""
        discovery = self._discovery(context)
        if discovery is None or not context.get("services"):
            return default
        found = discovery.health_checks(str(context["cluster_name"]), list(context["services"]))
        if isinstance(found, DiscoveryOff):
            return default
        offered: dict[str, str] = {}
        for name, check in found.items():
            value = f"{check.path} {check.matcher}"
            try:
                check_answer(self.questions["service_health_checks"], {name: value}, context)
            except InvalidAnswer as error:
                print(f"The health check of {name} ({value}) is left out: {error.rule_message}")
                continue
            offered[name] = value
        return offered or default

    def _discovery(self, context: Mapping[str, Any]) -> Discovery | None:
        """The discovery, made on first use; None when it is not wanted or is off."""
        if self.discover is None:
            return None
        if self.discovery is None:
            self.discovery = self.discover(str(context.get("aws_region", "us-east-1")))
        return None if self.discovery.off is not None else self.discovery

    def _discovered(self, name: str, context: Mapping[str, Any]) -> Choices:
        """What AWS lists for the answer, as choices; nothing when discovery is off."""
        listing = CHOICES_FROM_AWS.get(name)
        if listing is None or not listing.wanted(context):
            return []
        discovery = self._discovery(context)
        if discovery is None:
            return []
        found = listing.find(discovery, context)
        if isinstance(found, DiscoveryOff):
            print(f"AWS discovery is off: {found.reason}. Enter the answers by hand.")
            return []
        if not found:
            kind = listing.kind.format_map(context)
            print(f"No {kind} found in {discovery.region}: enter it by hand.")
        return [listing.choice(item) for item in found]


@dataclass(frozen=True)
class _Listing:
    """What AWS lists for one answer, offered as its choices."""

    kind: str  # what is listed, for "No ... found"; {answer} placeholders take the answers
    wanted: Callable[[Mapping[str, Any]], bool]  # whether to list it, given the answers so far
    find: Callable[[Discovery, Mapping[str, Any]], Sequence[Any] | DiscoveryOff]
    choice: Callable[[Any], tuple[str, Any]]  # an item as (title shown, value answered)


def _existing_cluster(context: Mapping[str, Any]) -> bool:
    return context.get("cluster_mode") == "existing"


# Which answers AWS discovery fills, by copier.yml name (tests/test_discovery.py checks each is
# a question there): these get what AWS lists as choices...
CHOICES_FROM_AWS: Mapping[str, _Listing] = {
    "cluster_name": _Listing(
        "ECS clusters", _existing_cluster, lambda aws, _: aws.clusters(), lambda c: (c, c)
    ),
    "services": _Listing(
        "services in cluster {cluster_name}",
        _existing_cluster,
        lambda aws, answers: aws.services(str(answers["cluster_name"])),
        lambda s: (s, s),
    ),
    "vpc_id": _Listing(
        "VPCs", lambda _: True, lambda aws, _: aws.vpcs(), lambda v: (v.label(), v.id)
    ),
    "subnet_ids": _Listing(
        "subnets in {vpc_id}",
        lambda answers: bool(answers.get("vpc_id")),
        lambda aws, answers: aws.subnets(str(answers["vpc_id"])),
        lambda s: (s.label(), s.id),
    ),
}
# ... and these their default.
DEFAULTS_FROM_AWS: Mapping[str, Callable[[_Wizard, Mapping[str, Any], Any], Any]] = {
    "create_vpc_endpoints": _Wizard._endpoints_default,
    "service_log_groups": _Wizard._log_groups_default,
    "service_load_balancers": _Wizard._load_balancers_default,
    "service_health_checks": _Wizard._health_checks_default,
}


def _choices(question: QuestionSpec) -> Choices:
    if isinstance(question.choices, Mapping):
        return list(question.choices.items())
    return [(str(value), value) for value in question.choices]


def _refused(error: InvalidAnswer) -> None:
    print(f"  x {error.answer} {error.rule_message}")


def ask_answers(
    questions: Mapping[str, QuestionSpec],
    prompter: Prompter,
    *,
    preset: Mapping[str, Any] | None = None,
    discover: Callable[[str], Discovery] | None = None,
) -> dict[str, Any]:
    """Ask every question that applies, in copier.yml's order, and return the answers.

    `preset` answers (from --data) are checked and not asked; `discover`, given a region,
    makes the look-ups that offer clusters, VPCs and subnets as choices.
    """
    preset = preset or {}
    check_known_answers(preset, questions)
    return _Wizard(questions, prompter, discover).ask_all(preset)


def _tiers_line(answers: Mapping[str, Any]) -> str:
    """Who is paged and who is notified (template/sns.tf: two topics, one per severity tier)."""
    pager = answers.get("alarm_email") or "nobody subscribed yet"
    notified = answers.get("warning_email", answers.get("alarm_email")) or "nobody subscribed yet"
    return (
        f"Critical alarms page through the alarm topic ({pager}); warnings (CPU or memory"
        f" above 80%, a slow canary, 5xx above 1%, p99 above 1 s, an unhealthy target)"
        f" notify the warning topic ({notified}) and never page: per service one composite"
        " alarm per tier (thresholds per service in services.auto.tfvars)."
    )


def _insights_summary(answers: Mapping[str, Any]) -> str:
    """When a service's alarms notify, by the new cluster's Container Insights answer."""
    insights = answers.get("container_insights") if answers.get("cluster_mode") == "new" else None
    if insights == "disabled":
        return (
            "Container Insights disabled: no tasks-below-desired alarms; a service's alarms"
            " notify only while a task of it runs (AWS/ECS reports its CPU), so a service none"
            " of whose tasks runs stays silent but for its ECS events, and deployments are not"
            " recognised (its alarms may notify during one)."
        )
    text = (
        "Alarms notify per service once it is deployed (ECS reports desired tasks for it),"
        " 10 minutes after it appears; until then, and during its deployments (a failed one"
        " pages through its ECS event), its composite alarm stays silent."
    )
    if insights == "enhanced":
        text += (
            " Container Insights enhanced: task and container metrics, and a per-task CPU and"
            " memory widget per service."
        )
    return text


def _log_signals(answers: Mapping[str, Any]) -> str:
    """Which services' error lines are counted (their log group is known), and the queries."""
    logged = logged_services(answers)
    unknown = sorted(set(answers.get("services") or []) - set(logged))
    prefix = f"{answers.get('project_name')}-{answers.get('environment_suffix')}"
    return (
        f"Error lines counted (log-errors alarm): {', '.join(logged) or 'none'}"
        + (f"; no log group known: {', '.join(unknown)} (set log_group)" if unknown else "")
        + f". Saved Logs Insights queries in the folder {prefix}: recent errors, slowest"
        " requests, stopped tasks."
    )


# What the services get from each new_vpc_egress answer (template/task_endpoints.tf, nat.tf).
NEW_VPC_EGRESS = {
    "endpoints": "pull images from ECR and send logs to CloudWatch Logs through interface"
    " endpoints, with no route to the internet (other registries and Secrets Manager/SSM need"
    " endpoints or a route of your own)",
    "nat": "reach ECR, CloudWatch Logs and the internet through one NAT gateway",
    "none": "have no route out until you add one to the route table in output"
    " private_route_table_id: image pulls fail without it",
}


def summary(answers: Mapping[str, Any]) -> str:
    """The answers, the resources they create by kind, and the monthly cost estimate."""
    width = max(len(name) for name in answers)
    rows = ["Answers:"]
    for name, value in answers.items():
        shown = "yes" if value is True else "no" if value is False else _as_text(value)
        rows.append(f"  {name:<{width}}  {shown or '(none)'}")
    counts = resource_counts(answers)
    rows.append(f"It creates {sum(counts.values())} resources, by Terraform type (aws_...):")
    items = [f"{count:>3} {kind.removeprefix('aws_')}" for kind, count in counts.items()]
    column = max(len(item) for item in items) + 2
    for start in range(0, len(items), 2):
        rows.append(
            " " + "".join(f"{item:<{column}}" for item in items[start : start + 2]).rstrip()
        )
    behind = sorted(answers.get("service_load_balancers") or {})
    if behind:
        rows.append(
            f"Behind a load balancer: {', '.join(behind)} (5xx rate, p99 response time,"
            " unhealthy and healthy targets; missing data, no traffic, is no breach)."
            " Anomaly-detection bands on requests and p99 response time are opt-in per service"
            " (anomaly_bands in services.auto.tfvars)."
        )
    health = answers.get("service_health_checks") or {}
    if health:
        steps = [
            f"{name} GET {check.replace(' ', ' expecting ', 1)}" for name, check in health.items()
        ]
        rows.append(
            f"Canary health steps: {'; '.join(steps)}"
            + (
                "."
                if len(health) == len(answers["services"])
                else "; the others GET /health expecting 200."
            )
        )
    rows.append(_tiers_line(answers))
    rows.append(_log_signals(answers))
    rows.append(
        "ECS events arrive as readable messages: failed deployments (circuit breaker) and"
        " services whose tasks ECS cannot place or start page (the alarm topic); tasks stopped"
        " unexpectedly (crash, OutOfMemoryError, failed start) notify (the warning topic)."
    )
    rows.append(_insights_summary(answers))
    egress = NEW_VPC_EGRESS.get(str(answers.get("new_vpc_egress")))
    if answers.get("vpc_mode") == "new" and egress:
        rows.append(f"ECS tasks in the new VPC's private subnets {egress}.")
    pattern = str(answers.get("service_endpoint_pattern") or "")
    if pattern and answers.get("cluster_mode") == "new" and SERVICE_DOMAIN.match(pattern):
        rows.append(
            f"Canaries call {pattern}: deploy each ECS service in the canaries' VPC with"
            " service_registries set to its Cloud Map service (output service_registry_arns)."
        )
    elif pattern:
        rows.append(f"Canaries call {pattern}: make sure it resolves in the canaries' VPC.")
    rows.append(format_estimate(estimate(answers)))
    return "\n".join(rows)
