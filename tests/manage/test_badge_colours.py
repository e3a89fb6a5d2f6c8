"""Badge colours: a new event's colour editor starts from the default palette, and every default is readable."""
import re

import pytest

from events_app.choices import ParticipantRole, StakeholderGroup
from events_app.events.colours import GROUP_COLOURS, ROLE_COLOURS, default_colour


def contrast_with_white(colour: str) -> float:
    """WCAG 2 contrast ratio between a #rrggbb colour and white."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


@pytest.mark.parametrize("key, colour", sorted({**ROLE_COLOURS, **GROUP_COLOURS}.items()))
def test_every_default_colour_is_readable_under_white_text(key, colour):
    assert contrast_with_white(colour) >= 4.5, f"{key} {colour}"


def test_every_role_and_group_has_a_default_colour():
    assert {m.value for m in ParticipantRole} <= set(ROLE_COLOURS)
    assert {m.value for m in StakeholderGroup} <= set(GROUP_COLOURS)


def test_a_new_events_colour_editor_shows_the_default_palette(client, auth):
    auth.login("organiser")
    html = client.get("/manage/events/new").get_data(as_text=True)
    inputs = dict(re.findall(r'<input[^>]*name="colour_(\w+)"[^>]*value="([^"]*)"', html))
    keys = [m.value for m in (*ParticipantRole, *StakeholderGroup)]
    assert set(inputs) == set(keys)
    assert all(inputs[key] == default_colour(key) for key in keys)
    assert "#000000" not in html
