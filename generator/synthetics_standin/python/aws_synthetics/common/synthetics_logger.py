"""Stand-in for aws_synthetics.common.synthetics_logger: info and error, to stderr."""

import logging

_logger = logging.getLogger("synthetics")
_logger.addHandler(logging.StreamHandler())
_logger.setLevel(logging.INFO)


def info(message, *args, **kwargs):
    _logger.info(message, *args, **kwargs)


def error(message, *args, **kwargs):
    _logger.error(message, *args, **kwargs)
