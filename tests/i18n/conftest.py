"""The i18n tests read the compiled catalogues: compile any that are stale before they run."""
from tests.i18n.catalogues import compile_stale

compile_stale()
