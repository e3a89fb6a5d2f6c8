"""The base of every form with text fields: stray spaces and NUL characters are removed on input."""
from flask_wtf import FlaskForm
from wtforms import EmailField, SearchField, StringField, TextAreaField

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
