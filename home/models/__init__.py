from .cache_counter import CacheCounter
from .pages import HomePage
from .site_settings import SiteSettings

__all__ = ["CacheCounter", "HomePage", "SiteSettings"]
