"""The badge benchmark's workload: N unique mixed-script delegates built from the sample CSV, lazily.

Names are made unique (real runs never repeat a name, so caches must not flatter the app), while
organisations repeat as they do at a real symposium.
"""
from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

from events_app.documents.data import badge_from_fields
from events_app.documents.records import BadgeData
from tests.documents.conftest import SAMPLE_EVENT

SAMPLE = Path(__file__).resolve().parents[1] / "tests/documents/delegates_sample.csv"
ROLES = ["participant"] * 6 + ["speaker", "moderator", "rapporteur", "organiser", "press", "observer"]

EVENT = SAMPLE_EVENT  # the same symposium as the badge tests


def _rows() -> list[dict]:
    with SAMPLE.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def badges(n: int, seed: int = 2026) -> Iterator[BadgeData]:
    """n unique delegates cycling through the sample's scripts (Khmer, Lao, Burmese, Thai, ...)."""
    rows = _rows()
    rng = random.Random(seed)
    by_script: dict[str, list[dict]] = {}
    for row in rows:
        by_script.setdefault(row["country"], []).append(row)
    for i in range(n):
        row = rows[i % len(rows)]
        peers = by_script[row["country"]]
        # Given name of one delegate, family name of another of the same country, and a number.
        given = row["full_name"].split(" ")[0]
        family = rng.choice(peers)["full_name"].split(" ")[-1]
        latin_given = (row["name_latin"] or row["full_name"]).split(" ")[0]
        fields = dict(
            row,
            full_name=f"{given} {family} {i}" if given != family else f"{given} {i}",
            name_latin=f"{latin_given} {i}" if row["name_latin"] else "",
            participant_role=rng.choice(ROLES),
            checkin_code="".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                                             k=22)),
        )
        yield badge_from_fields(fields)
