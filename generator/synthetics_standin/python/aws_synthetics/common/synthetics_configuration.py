"""Stand-in for aws_synthetics.common.synthetics_configuration."""

from typing import Any

# AWS's defaults: screenshots on, and a failed step stops the script.
_options = {
    "screenshot_on_step_start": True,
    "screenshot_on_step_success": True,
    "screenshot_on_step_failure": True,
    "continue_on_step_failure": False,
}


def set_config(options: dict[str, Any]) -> None:
    unknown = set(options) - set(_options)
    if unknown:
        raise ValueError(f"set_config: options this stand-in does not know: {sorted(unknown)}")
    _options.update(options)
