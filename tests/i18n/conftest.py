"""The i18n tests read the compiled catalogues (compiled here when stale) and reuse the documents' fixtures."""
from tests.documents.conftest import event  # noqa: F401 - the sample event of the badge tests
from tests.i18n.catalogues import compile_stale

compile_stale()
