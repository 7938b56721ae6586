"""Large realistic sites for benchmarks (``manage.py generate_bulk_content``)."""
