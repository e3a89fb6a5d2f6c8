"""click's progress bar for a long command (an import, a badge run), drawn on stderr when it is a terminal."""
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click


@contextmanager
def progress_bar(length: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """Yield `advance(done)` that moves the bar to `done` of `length` units (shown as "done/length").

    Only a terminal's stderr gets the bar: piped or redirected, the command's output stays exactly what
    it was (stdout is never touched), and None is yielded so the caller reports nothing.
    """
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr, show_pos=True,
                           show_percent=True) as bar:
        yield lambda done: bar.update(done - bar.pos)
