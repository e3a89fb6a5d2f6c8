"""Attendance: the check-in desk and attendance records."""
