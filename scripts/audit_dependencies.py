"""Known advisories for every pinned requirement, from PyPI's JSON API (`make audit-deps`).

pip-audit's vulnerability service is out of reach here; PyPI itself serves the same OSV advisories in
its JSON API: https://pypi.org/pypi/NAME/VERSION/json has a "vulnerabilities" list. Where a mirror
serves only the project document (https://pypi.org/pypi/NAME/json), its list is the latest release's,
so it answers for a pin only when the pin is that release; otherwise the pin is reported unchecked.

Exit status: 0 nothing known, 1 an advisory applies to a pin, 2 some pins could not be checked
(network, unknown release), 3 PyPI could not be reached at all. Needs the network, so not in CI.
"""
import argparse
import json
import re
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = ("requirements.txt", "requirements-dev.txt")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;#]+)")
PYPI = "https://pypi.org/pypi"
TIMEOUT = 20


@dataclass
class Finding:
    """What PyPI says about one pin."""

    name: str
    version: str
    advisories: list = field(default_factory=list)
    unchecked: str = ""  # why it could not be checked
    latest: str = ""


def pins(paths) -> dict[str, str]:
    """{name: version} of every `name==version` line in the files (and the files they -r include)."""
    found: dict[str, str] = {}
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line.startswith("-r "):
                found.update(pins([Path(path).parent / line[3:].strip()]))
            elif (match := PIN.match(line)):
                found[match.group(1)] = match.group(3)
    return found


def _get(url: str) -> dict | None:
    headers = {"Accept": "application/json", "User-Agent": "events_app-audit"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - always PYPI's https URL
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - always PYPI's https URL
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


def check(name: str, version: str) -> Finding:
    """The advisories PyPI lists for this release (or why it could not say)."""
    finding = Finding(name, version)
    try:
        release = _get(f"{PYPI}/{name}/{version}/json")
        project = release or _get(f"{PYPI}/{name}/json")
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        finding.unchecked = f"PyPI did not answer ({getattr(error, 'reason', error)})"
        return finding
    if project is None:
        finding.unchecked = "PyPI does not know this project"
        return finding
    finding.latest = project["info"]["version"]
    if release is None and finding.latest != version:
        finding.unchecked = f"only the latest release ({finding.latest}) is served here"
        return finding
    finding.advisories = [
        {"id": v.get("id", "?"), "fixed_in": v.get("fixed_in") or [], "summary": (v.get("summary") or
                                                                                  v.get("details") or "")[:120]}
        for v in project.get("vulnerabilities") or [] if not v.get("withdrawn")
    ]
    return finding


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=[ROOT / name for name in FILES])
    args = parser.parse_args(argv)
    wanted = pins(args.files)
    with ThreadPoolExecutor(max_workers=8) as pool:
        findings = list(pool.map(lambda item: check(*item), sorted(wanted.items(), key=lambda i: i[0].lower())))
    print(f"Dependency audit {date.today().isoformat()}: {len(findings)} pinned packages, advisories from PyPI")
    for f in findings:
        if f.advisories:
            for a in f.advisories:
                fixed = ", ".join(a["fixed_in"]) or "no fix released"
                print(f"ADVISORY  {f.name}=={f.version}  {a['id']} (fixed in {fixed}): {a['summary']}")
        elif f.unchecked:
            print(f"UNCHECKED {f.name}=={f.version}: {f.unchecked}")
        else:
            newer = f" (latest {f.latest})" if f.latest and f.latest != f.version else ""
            print(f"ok        {f.name}=={f.version}{newer}")
    flagged = [f for f in findings if f.advisories]
    unchecked = [f for f in findings if f.unchecked]
    print(f"{len(flagged)} with known advisories, {len(unchecked)} unchecked, "
          f"{len(findings) - len(flagged) - len(unchecked)} with none known.")
    if flagged:
        return 1
    if unchecked and len(unchecked) == len(findings):
        return 3
    return 2 if unchecked else 0


if __name__ == "__main__":
    sys.exit(main())
