"""Site search: one query over issues, Insights articles, videos and questions.

It sits above ``issues`` and ``insights`` (it gathers them), so nothing in
those apps imports it.
"""
