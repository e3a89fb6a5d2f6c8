"""Long jobs (a large import, a badge run of thousands) run outside the request, with their progress."""
