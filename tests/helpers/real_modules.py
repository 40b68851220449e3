"""Small modules of the kinds people write beside this project's own, for the real-module
tests: a root module using random and time, a reusable module with toggles, and a
repository tree (root, modules/, examples/) that holds them."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.modules import write_module


def alarm(label: str, metric: str, name: str, count: str) -> str:
    """An ECS metric alarm toggled by `count`."""
    return (
        f'resource "aws_cloudwatch_metric_alarm" "{label}" {{\n'
        f"  count = {count}\n\n"
        f"  alarm_name          = {name}\n"
        '  comparison_operator = "GreaterThanThreshold"\n'
        "  evaluation_periods  = 2\n"
        f'  metric_name         = "{metric}"\n'
        '  namespace           = "AWS/ECS"\n'
        "  period              = 60\n"
        '  statistic           = "Average"\n'
        "  threshold           = 80\n"
        "}\n"
    )


VERSIONS = """\
terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
    time = {
      source  = "hashicorp/time"
      version = "~> 0.12"
    }
  }

  # as terraform-aws-modules do: the module's name in the AWS User-Agent
  provider_meta "aws" {
    user_agent = ["github.com/example/terraform-aws-alarms"]
  }
}
"""

# A root module: a provider configuration and a backend.
ROOT = {
    "versions.tf": VERSIONS,
    "providers.tf": """\
provider "aws" {
  region = "eu-west-1"
}
""",
    "backend.tf": """\
terraform {
  backend "local" {
    path = "terraform.tfstate"
  }
}
""",
    "main.tf": """\
resource "random_id" "suffix" {
  byte_length = 4
}

resource "random_pet" "alarm" {
  prefix = "cpu"
}

resource "random_string" "token" {
  length  = 12
  special = false
}

resource "time_sleep" "iam" {
  create_duration = "15s"
}

resource "time_static" "created" {}

resource "aws_cloudwatch_metric_alarm" "cpu" {
  alarm_name          = "${random_pet.alarm.id}-${random_id.suffix.hex}"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 2
  metric_name         = "CPUUtilization"
  namespace           = "AWS/ECS"
  period              = 60
  statistic           = "Average"
  threshold           = 80
  alarm_description   = "token ${random_string.token.result}, created ${time_static.created.rfc3339}"

  depends_on = [time_sleep.iam]
}

module "alarms" {
  source = "./modules/alarms"

  name = random_pet.alarm.id
}

variable "enable_memory_alarm" {
  description = "Whether to alarm on memory too"
  type        = bool
  default     = false
}

# cw-scaffold:ignore F8 switched on per environment in its tfvars, planned by CI there
"""
    + alarm(
        "memory",
        "MemoryUtilization",
        '"memory-${random_id.suffix.hex}"',
        count="var.enable_memory_alarm ? 1 : 0",
    )
    + """""",
    "outputs.tf": """\
output "alarm_name" {
  description = "The alarm's name, random suffix included"
  value       = aws_cloudwatch_metric_alarm.cpu.alarm_name
}
""",
}

# A reusable module: no provider configuration, no backend; two toggle variables, one of
# which toggles two resources.
REUSABLE = {
    "versions.tf": VERSIONS,
    "variables.tf": """\
variable "name" {
  description = "Alarm name prefix"
  type        = string
  default     = "svc"
}

variable "create" {
  description = "Whether to create anything"
  type        = bool
  default     = true
}

variable "create_memory_alarm" {
  description = "Whether to add a memory alarm"
  type        = bool
  default     = false
}
""",
    "main.tf": """\
"""
    + alarm("cpu", "CPUUtilization", '"${var.name}-cpu"', count="var.create ? 1 : 0")
    + """
"""
    + alarm(
        "memory",
        "MemoryUtilization",
        '"${var.name}-memory"',
        count="var.create && var.create_memory_alarm ? 1 : 0",
    )
    + """""",
}

# An example of its own, as examples/ in public modules are.
EXAMPLE = {
    "versions.tf": VERSIONS,
    "main.tf": """\
provider "aws" {
  region = "us-east-1"
}

resource "random_uuid" "run" {}

resource "aws_cloudwatch_log_metric_filter" "errors" {
  name           = "errors-${random_uuid.run.result}"
  log_group_name = "/ecs/orders"
  pattern        = "ERROR"

  metric_transformation {
    name      = "Errors"
    namespace = "Orders"
    value     = "1"
  }
}
""",
}

# One of each other utility provider's common types, and awscc.
UTILITIES = {
    "main.tf": """\
terraform {
  required_providers {
    null      = { source = "hashicorp/null" }
    tls       = { source = "hashicorp/tls" }
    local     = { source = "hashicorp/local" }
    cloudinit = { source = "hashicorp/cloudinit" }
    awscc     = { source = "hashicorp/awscc" }
    random    = { source = "hashicorp/random" }
    time      = { source = "hashicorp/time" }
  }
}

provider "awscc" {
  region = "eu-west-1"
}

resource "null_resource" "this" {
  triggers = { always = "x" }
}

resource "tls_private_key" "this" {
  algorithm = "ED25519"
}

data "tls_public_key" "this" {
  private_key_pem = tls_private_key.this.private_key_pem
}

resource "local_file" "out" {
  filename = "${path.module}/out.txt"
  content  = "hello"
}

data "local_file" "in" {
  filename = "${path.module}/main.tf"
}

data "cloudinit_config" "this" {
  part {
    content_type = "text/x-shellscript"
    content      = "#!/bin/sh\\necho hi"
  }
}

resource "awscc_logs_log_group" "this" {
  log_group_name    = "/ecs/x"
  retention_in_days = 7
}

resource "random_integer" "port" {
  min = 8000
  max = 8999
}

resource "random_shuffle" "az" {
  input        = ["a", "b", "c"]
  result_count = 2
}

resource "time_offset" "later" {
  offset_days = 7
}

output "rendered" {
  value = data.cloudinit_config.this.rendered
}

output "port" {
  value = random_integer.port.result
}

output "file" {
  value = data.local_file.in.content
}
""",
}


def write_tree(root: Path) -> Path:
    """A repository: the root module (which calls modules/alarms), modules/alarms,
    examples/complete, and a .terraform directory that `--recursive` skips."""
    write_module(root, ROOT)
    write_module(root / "modules" / "alarms", REUSABLE)
    write_module(root / "examples" / "complete", EXAMPLE)
    write_module(root / ".terraform" / "modules" / "x", {"main.tf": "this is not HCL {"})
    return root
