"""Start a stand-in provider: `python -m generator.check.provider NAME MODULE_DIR`.

Terraform runs this through the `terraform-provider-NAME` script that install.py writes.
Only the types MODULE_DIR mentions are served. pyvider refuses to serve unless argv[0]
names a `terraform-provider-*` binary, so argv is rewritten before handing over.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.check.provider.components import register
from generator.check.provider.schema import load_schema, types_in_module


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit("usage: python -m generator.check.provider NAME MODULE_DIR")
    name, module_dir = argv
    register(load_schema(name, only=types_in_module(Path(module_dir))))

    from pyvider.cli.__main__ import main as pyvider_main

    sys.argv = [f"terraform-provider-{name}", "provide"]
    pyvider_main()


if __name__ == "__main__":
    main(sys.argv[1:])
