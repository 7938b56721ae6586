"""The table behind the counters cache when there is no Redis (home/caching/counters.py)."""

from django.db import models

from home.caching.counters import TABLE


class CacheCounter(models.Model):
    """One number of the counters cache: a throttle count, a tag or feed version."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    # Whole nanosecond versions and fractional feed versions alike, exactly.
    value = models.DecimalField(max_digits=32, decimal_places=9)
    # A Unix time; none for numbers that never expire.
    expires = models.FloatField(null=True, blank=True, db_index=True)

    class Meta:
        db_table = TABLE
        verbose_name = "cache counter"

    def __str__(self) -> str:
        return self.cache_key
