"""Kept only while tests/registration/test_private_page.py imports release_visa_letter from here;
it lives in documents.lists.services (see the documents branch's report).
"""
from events_app.documents.lists.services import release_visa_letter  # noqa: F401
