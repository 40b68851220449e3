"""Stand-in for aws_synthetics.common.synthetics_logger: info and error, to stderr."""

import logging
from typing import Any

_logger = logging.getLogger("synthetics")
_logger.addHandler(logging.StreamHandler())
_logger.setLevel(logging.INFO)


def info(message: str, *args: Any, **kwargs: Any) -> None:
    _logger.info(message, *args, **kwargs)


def error(message: str, *args: Any, **kwargs: Any) -> None:
    _logger.error(message, *args, **kwargs)
