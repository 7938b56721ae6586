"""What every page tells search engines and link previews.

Meta tags (canonical, description, Open Graph, Twitter card), JSON-LD
structured data, the sitemap and robots.txt. Like search, this gathers every
content type, so it sits above ``issues`` and ``insights``.
"""
