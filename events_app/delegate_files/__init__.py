"""Delegate files: an event's delegates imported from and exported to CSV or XLSX (`flask delegates`).

Above registration and attendance, as the export's attended_YYYY-MM-DD columns read check-ins.
"""
