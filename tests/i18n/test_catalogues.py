"""Every participant-facing message is translated in every language, with the English placeholders.

A developer who adds or changes a string runs `make messages`, which re-extracts translations/messages.pot
and merges it into the catalogues; these tests then fail until each new message is translated.
"""
import subprocess
import sys

import pytest

from tests.i18n.catalogues import POT, ROOT, TRANSLATED, placeholders, po_path, read


def _msgids(catalog) -> set:
    return {message.id for message in catalog if message.id}


def test_the_template_holds_every_participant_facing_string(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "N_", "-o", str(fresh), "."], cwd=ROOT, check=True)
    missing, gone = _msgids(read(fresh)) - _msgids(read(POT)), _msgids(read(POT)) - _msgids(read(fresh))
    assert not missing and not gone, (
        f"translations/messages.pot is stale: run `make messages` and translate the new strings. "
        f"Not in it: {sorted(missing, key=str)}; no longer in the code: {sorted(gone, key=str)}")


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated(code):
    catalog = read(po_path(code))
    untranslated = [message.id for message in read(POT) if message.id and not _translated(catalog.get(
        message.id, message.context))]
    assert untranslated == [], f"{code}: {len(untranslated)} messages without a translation: {untranslated[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_translation_is_fuzzy(code):
    fuzzy = [message.id for message in read(po_path(code)) if message.id and message.fuzzy]
    assert fuzzy == [], f"{code}: fuzzy translations need a translator's review: {fuzzy[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_the_placeholders(code):
    wrong = []
    for message in read(po_path(code)):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        english = placeholders(ids[-1])
        wrong += [(ids[0], text) for text in strings if text and placeholders(text) != english
                  and placeholders(text) != placeholders(ids[0])]
    assert wrong == [], f"{code}: placeholders differ from the English: {wrong[:3]}"


def _translated(message) -> bool:
    if message is None:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(text and text.strip() for text in strings)
