"""What every form shares: text cleaned of stray spaces and NUL characters, record ids, a list of checkboxes."""
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SearchField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.validators import ValidationError

from events_app.routing import record_id

TEXT_FIELDS = (StringField, TextAreaField, EmailField, SearchField)


def clean_text(value):
    """Text without NUL characters (PostgreSQL refuses them) or surrounding spaces (phone keyboards add them)."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


class CleanForm(FlaskForm):
    """A FlaskForm whose text fields pass through clean_text before validation."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, TEXT_FIELDS):
                filters = [clean_text, *unbound_field.kwargs.get("filters", [])]
                return unbound_field.bind(form=form, filters=filters, **options)
            return unbound_field.bind(form=form, **options)

        def render_field(self, field, render_kw):
            # WTForms writes a keyword given as None as the text "None" (aria-invalid="None" tells a
            # screen reader the field is invalid): a None keyword is left out instead.
            return super().render_field(field, {key: value for key, value in render_kw.items() if value is not None})


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (works without JavaScript)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class IdField(IntegerField):
    """A record's id in a form or query string: out of the database's range it is a field error, never a query."""

    def pre_validate(self, form):
        if self.data is not None:
            try:
                record_id(self.data)
            except ValueError:
                raise ValidationError("No such record.") from None
