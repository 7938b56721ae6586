"""Readers answering the Question of the Week: form, storage, limits, notification."""
