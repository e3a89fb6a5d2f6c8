"""What every form shares: text cleaned of stray spaces and NUL characters, and a list of checkboxes."""
from flask_wtf import FlaskForm
from wtforms import EmailField, SearchField, SelectMultipleField, StringField, TextAreaField, widgets

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
