from .pages import HomePage
from .site_settings import SiteSettings

__all__ = ["HomePage", "SiteSettings"]
