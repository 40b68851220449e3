"""One checkov interpreter for many scans: run by checkov's own Python (never imported by
cw-scaffold, which cannot import checkov), as `python checkov_batch.py ARG...`.

Importing checkov is most of a scan of a small module (~2.5 of ~3 CPU-seconds), and
`check --recursive` scans every module of a tree. This imports checkov once, then for each
request forks a child that runs one scan with a fresh copy of that state: checkov keeps
module-level state between runs in one process (a second scan reported the first one's
findings), a forked child starts from the state right after the import, as a new process
would. Same arguments and results as `checkov ARG...` run in the directory.

Protocol, one JSON object per line: it prints {"ready": true} once checkov is imported; each
request {"directory": D, "stdout": F1, "stderr": F2} runs the scan in D, its output written to
the files F1 and F2, and is answered {"exit": CODE}. It ends when its standard input does.
Scans keep the interpreter's TMPDIR, where lark keeps its grammar cache (checkov.py).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def _scan(request: dict[str, str], arguments: list[str]) -> int:
    """Run one scan in a forked child; its exit status."""
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 70
        try:
            os.chdir(request["directory"])
            for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
                handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.dup2(handle, fd)
                os.close(handle)
            from checkov.main import Checkov

            try:
                code = Checkov(argv=arguments).run() or 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
        except BaseException:  # noqa: BLE001 - reported through the exit status and stderr
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def main(arguments: list[str]) -> None:
    import warnings

    # Python put this file's directory first on the path, where cw-scaffold's own checkov.py
    # would shadow the checkov package.
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]

    warnings.simplefilter("ignore", category=SyntaxWarning)  # as checkov's own entry point
    import checkov.main  # noqa: F401  (the import every scan then shares)

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if line.strip():
            print(json.dumps({"exit": _scan(json.loads(line), arguments)}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
