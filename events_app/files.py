"""Output files written whole or not at all (commands' PDFs and exports)."""
import os
import tempfile
from pathlib import Path

import click


def write_atomically(path, write, *, encoding: str | None = None):
    """Call write(stream) on a temporary file beside `path`, then move it into place; returns write's result.

    A failure leaves no half-written file. The temporary file is readable by its owner only
    (exports hold personal data). With `encoding`, the stream is text (newline="" for csv).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise click.ClickException(f"cannot write to {folder}: {error.strerror or error}") from error
    try:
        if encoding:
            with os.fdopen(handle, "w", encoding=encoding, newline="") as stream:
                result = write(stream)
        else:
            with os.fdopen(handle, "wb") as stream:
                result = write(stream)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise click.ClickException(f"cannot write {target}: {error.strerror or error}") from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return result
