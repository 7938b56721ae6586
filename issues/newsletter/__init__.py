"""The email edition of Focus This Week: rendering, subscribers and sending."""
