"""Every requirement is pinned to one version (so `make audit-deps` checks what is installed), dev tools too."""
from pathlib import Path

from scripts.audit_dependencies import pins

ROOT = Path(__file__).resolve().parent.parent.parent


def test_every_requirement_line_is_pinned_with_double_equals():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-r "):
                assert "==" in line, f"{name}: {line} is not pinned"


def test_the_audit_reads_both_files_and_what_they_include():
    found = pins([ROOT / "requirements-dev.txt"])
    assert found["Flask"] and found["pytest"] and found["sqlmap"] and found["defusedxml"]
    assert pins([ROOT / "requirements.txt"]).items() <= found.items()  # -r requirements.txt is followed
