"""The {placeholders} of an organisers' message, filled per delegate when the message is written."""
import re

from flask_babel import force_locale

from events_app.formatting import event_dates
from events_app.mail.compose import bulk_locale, event_venue, private_link

PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_]+)\}")
PLACEHOLDERS = ("full_name", "badge_name", "name_latin", "honorific", "organisation", "event", "dates",
                "venue", "link", "status")


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders in the text that we cannot fill (typos such as {fullname})."""
    return sorted({name for name in PLACEHOLDER_RE.findall(text or "") if name not in PLACEHOLDERS})


def fill(template: str, registration, *, single_line: bool = False, locale: str | None = None) -> str:
    """Replace the known {placeholders} with this delegate's values (in the language of the email around them:
    `locale`, or the one an organisers' message to this delegate is written in).

    Only the names in PLACEHOLDERS are replaced; nothing else in the organiser's text is
    interpreted (no str.format, so no attribute access through braces).
    """
    event = registration.event
    with force_locale(locale or bulk_locale(registration)):
        values = {
            "full_name": registration.full_name,
            "badge_name": registration.display_badge_name,
            "name_latin": registration.name_latin or registration.full_name,
            "honorific": registration.honorific,
            "organisation": registration.organisation,
            "event": event.title,
            "dates": event_dates(event),
            "venue": event_venue(event),
            "link": private_link(registration),
            "status": str(registration.status.label),
        }
    if single_line:
        values = {key: " ".join(str(value).split()) for key, value in values.items()}

    # An empty value takes one space beside it along: "Dear {honorific} {full_name}," for a delegate
    # without a title reads "Dear Sok Dara,", not "Dear  Sok Dara,".
    pieces, position = [], 0
    for match in PLACEHOLDER_RE.finditer(template):
        text, position = template[position:match.start()], match.end()
        if match.group(1) not in values:
            pieces.append(text + match.group(0))
            continue
        value = str(values[match.group(1)])
        if not value and text.endswith(" "):
            text = text[:-1]
        elif not value and template.startswith(" ", position):
            position += 1
        pieces.append(text + value)
    pieces.append(template[position:])
    return "".join(pieces)
