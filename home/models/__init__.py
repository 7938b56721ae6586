"""The home app's models, as Django loads them.

Site settings and the counters table belong to the ground floor and live there
(``home.site_settings``, ``home.caching.cache_counter``), so content apps can
import them without the home page, which gathers every content app.
"""

from home.caching.cache_counter import CacheCounter
from home.site_settings import SiteSettings

from .pages import HomePage

__all__ = ["CacheCounter", "HomePage", "SiteSettings"]
