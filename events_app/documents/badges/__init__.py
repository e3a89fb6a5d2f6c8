"""Name badges and tickets: layouts, QR codes, the renderers, the badges page and `flask documents badges`."""
