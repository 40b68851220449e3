"""Start a stand-in provider: `python -m generator.check.provider NAME MODULE_DIR`.

Terraform runs this through the `terraform-provider-NAME` launcher that install.py writes,
when no fork server (forkserver.py) is there to start it faster. Only the types
MODULE_DIR mentions are served.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.check.provider.catalog import types_in_module
from generator.check.provider.schema import load_schema
from generator.check.provider.serve import serve


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit("usage: python -m generator.check.provider NAME MODULE_DIR")
    name, module_dir = argv
    serve(name, load_schema(name, only=types_in_module(Path(module_dir))))


if __name__ == "__main__":
    main(sys.argv[1:])
