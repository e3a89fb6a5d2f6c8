"""Forms of the recommendations pages: drafting, adoption, the settings, and a participant's endorsement."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional

from events_app.choices import LANGUAGE_LABELS
from events_app.forms import CleanForm, MultiCheckboxField
from events_app.recommendations.models import OPEN_STATUSES
from events_app.recommendations.services import TRANSLATION_LANGUAGES, addressees, themes

TEXT_LIMIT = 5000


class RecommendationForm(CleanForm):
    """Write or edit a recommendation: theme, addressees, where it came from, its text and translations."""

    theme_id = SelectField(_l("Theme"), coerce=int, validators=[InputRequired()])
    addressee_ids = MultiCheckboxField(_l("Addressed to"), coerce=int)
    source = StringField(_l("Working group or session"), validators=[Optional(), Length(max=200)],
                         description=_l("Where the recommendation came from, e.g. “Working group 2: health”."))
    text = TextAreaField(_l("Recommendation (in English)"), validators=[DataRequired(), Length(max=TEXT_LIMIT)],
                         render_kw={"rows": 6})

    @classmethod
    def for_event(cls, event, recommendation=None):
        """The form with the event's themes and addressees to choose from, filled from a recommendation."""
        form = cls(obj=recommendation) if recommendation is not None else cls()
        form.theme_id.choices = [(t.id, t.name) for t in themes(event)]
        form.addressee_ids.choices = [(a.id, a.name) for a in addressees(event)]
        if recommendation is not None and not form.is_submitted():
            form.addressee_ids.data = [a.id for a in recommendation.addressees]
            for code in TRANSLATION_LANGUAGES:
                form[f"text_{code}"].data = recommendation.translations.get(code, "")
        return form

    @property
    def translation_fields(self):
        """The optional translations' fields, one per language."""
        return [self[f"text_{code}"] for code in TRANSLATION_LANGUAGES]

    def values(self) -> dict:
        """The service's keyword arguments."""
        return {"theme_id": self.theme_id.data, "addressee_ids": self.addressee_ids.data or [],
                "source": self.source.data or "", "text": self.text.data or "",
                "translations": {code: self[f"text_{code}"].data or "" for code in TRANSLATION_LANGUAGES}}


for _code in TRANSLATION_LANGUAGES:
    setattr(RecommendationForm, f"text_{_code}",
            TextAreaField(LANGUAGE_LABELS[_code], validators=[Optional(), Length(max=TEXT_LIMIT)],
                          render_kw={"rows": 4, "lang": _code}))


class SettingsForm(CleanForm):
    """The event's themes and addressees, the document's preamble, and whether endorsement is open."""

    themes = TextAreaField(_l("Themes"), validators=[DataRequired()], render_kw={"rows": 5},
                           description=_l("One a line, in the document's order."))
    addressees = TextAreaField(_l("Addressees"), validators=[DataRequired()], render_kw={"rows": 6},
                               description=_l("One a line, in the document's order."))
    preamble = TextAreaField(_l("Preamble of the document"), validators=[Optional(), Length(max=20000)],
                             render_kw={"rows": 8},
                             description=_l("Printed before the recommendations. "
                                            "An empty line starts a new paragraph."))
    endorsement_open = BooleanField(_l("Participants may endorse the adopted recommendations now"),
                                    description=_l("Approved delegates see the adopted recommendations on their "
                                                   "private page and endorse or comment on each one."))


class StatusForm(FlaskForm):
    """Adopt, reject, or take back to draft."""

    status = SelectField(choices=[(s.value, s.label) for s in OPEN_STATUSES], validators=[DataRequired()])


class MoveForm(FlaskForm):
    """Move a recommendation up or down within its theme."""

    direction = StringField(validators=[AnyOf(["up", "down"])])


class MergeForm(FlaskForm):
    """The recommendations to merge into one."""

    ids = MultiCheckboxField(_l("Merge these"), coerce=int)


class SplitForm(CleanForm):
    """The parts a recommendation is split into, separated by empty lines."""

    parts = TextAreaField(_l("The parts"), validators=[DataRequired()], render_kw={"rows": 12},
                          description=_l("Separate the parts with an empty line; each becomes a draft."))

    def texts(self) -> list[str]:
        """The parts as written."""
        return self.parts.data.replace("\r\n", "\n").split("\n\n")
