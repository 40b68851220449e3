"""LOG-GROUP-UNUSED: a module that monitors an existing ECS cluster (a looked-up
`aws_ecs_cluster`) and creates log groups no task definition of the module writes to: the
existing services keep logging where their task definitions say, so these stay empty while
the real ones are ignored. Use the services' own log groups (their awslogs-group). A log
group an EventBridge rule writes to (an `aws_cloudwatch_event_target`, such as the module's
stopped-task events) is written to, and not reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.findings import Finding, Severity
from generator.check.rules.base import RuleContext, finding


class UnusedLogGroup:
    id = "LOG-GROUP-UNUSED"
    description = "an existing cluster's services are watched through their own log groups"
    severity = Severity.WARNING

    def run(self, ctx: RuleContext) -> Iterator[Finding]:
        if not ctx.monitors_existing_cluster():
            return
        writers = [
            *ctx.hcl.resources("aws_ecs_task_definition"),
            *ctx.hcl.resources("aws_cloudwatch_event_target"),
        ]
        for group in ctx.hcl.resources("aws_cloudwatch_log_group"):
            # alike F2's loop (lookups.py) on purpose: skip what is referred to, report the rest
            if any(w.refers_to(group.address) for w in writers):
                continue
            yield finding(
                self,
                f"{group.address} is created for services of an existing cluster, but no task "
                "definition here logs to it: the services keep their own log groups, so it "
                "stays empty; use their awslogs-group (a setting per service) instead",
                group,
            )
