"""What the training scripts share at their command line."""
from __future__ import annotations

import sys
from typing import Callable


def exit_code(job: Callable[[], object]) -> int:
    """Run a training script's job: 0 when it ends, 2 with the message on stderr when an
    input file is missing (a wrong --data/--raw folder is the usual cause, not a bug)."""
    try:
        job()
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
