"""A process that increments one counter, for the concurrent counters test.

Run with the test's environment (``python -m tests.home.counter_worker``):
``create`` makes the counters table in the scratch database and sets the
counter to 0; ``incr N`` sets Django up, prints ``ready``, waits for a line
on stdin (so every process starts counting at once), increments the counter
N times through the counters cache and prints the values it got back as JSON.
"""

from __future__ import annotations

import json
import sys

KEY = "crowd"


def main() -> None:
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection

    counters = caches["counters"]
    if sys.argv[1] == "create":
        from home.models import CacheCounter

        with connection.schema_editor() as editor:
            editor.create_model(CacheCounter)
        counters.set(KEY, 0, None)
        return
    count = int(sys.argv[2])
    counters.get(KEY)  # connect before the start line
    print("ready", flush=True)
    sys.stdin.readline()
    values = [counters.incr(KEY) for _ in range(count)]
    print(json.dumps(values), flush=True)


if __name__ == "__main__":
    main()
