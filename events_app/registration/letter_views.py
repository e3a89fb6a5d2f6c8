"""Nothing here: the delegate's visa-letter download lives in documents/private_views.py.

Kept only because create_app imports this path; delete it with that import (see the documents branch).
"""
