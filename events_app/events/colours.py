"""Badge colours: the default palette per participant role and stakeholder group, and the #rrggbb rule."""
import re

# Default badge colours, each dark enough for the badge's white text (WCAG AA, 4.5:1);
# an event's `badge_colours` overrides them per key.
ROLE_COLOURS = {
    "participant": "#1f5fa8",
    "speaker": "#c0392b",
    "moderator": "#7d3c98",
    "rapporteur": "#ba4a00",
    "observer": "#5d6d7e",
    "organiser": "#117a65",
    "staff": "#1c2833",
    "press": "#8a6d0b",
    "interpreter": "#1d7a43",
}
GROUP_COLOURS = {
    "government": "#1f5fa8",
    "ngo": "#1d7a43",
    "migrant_group": "#ba4a00",
    "trade_union": "#c0392b",
    "international_org": "#117a65",
    "un_agency": "#2471a3",
    "academic": "#7d3c98",
    "media": "#8a6d0b",
    "donor": "#5d6d7e",
    "private_sector": "#6e2c00",
    "other": "#566573",
}
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")  # use fullmatch


def default_colour(key: str) -> str:
    """The colour a role or stakeholder group has when the event does not choose one."""
    return ROLE_COLOURS.get(key) or GROUP_COLOURS.get(key) or "#566573"
