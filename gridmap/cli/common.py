"""What the command modules share: the exit codes, listing problems by kind, the encoding argument."""

from __future__ import annotations

import argparse

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2


def print_by_kind(problems, limit: int, show_all: bool) -> None:
    """List problems, at most ``limit`` of each kind unless ``show_all``, then what was left out."""
    from gridmap.store.validate import summarize  # noqa: PLC0415

    shown: dict[str, int] = {}
    for problem in problems:
        shown[problem.kind] = shown.get(problem.kind, 0) + 1
        if show_all or shown[problem.kind] <= limit:
            print(f"  {problem}")
    for kind, count in summarize(problems).items():
        if not show_all and count > limit:
            print(f"  ... {count - limit} more [{kind}] (use --all to list every one)")


def encoding_name(text: str) -> str:
    """An --encoding value (gbk, gb18030 or utf-8, spelled any of the common ways) for argparse."""
    from gridmap.io.encodings import normalise  # noqa: PLC0415

    if normalise(text) is None:
        raise argparse.ArgumentTypeError(f"{text!r}: use gbk, gb18030 or utf-8")
    return text
