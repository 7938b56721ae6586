"""Wagtail's database search backend, with Chinese segmented on the way in and out.

Settings name this module as the search backend. It picks the same backend
Wagtail's ``wagtail.search.backends.database`` would (PostgreSQL full-text
search, or SQLite FTS5) and changes two things, both through
``home.search.chinese``:

- the text of every indexed field is normalised and segmented before it is
  written to the index entry (title, body and autocomplete alike);
- every query string is rewritten the same way before it is compiled into
  ``tsquery`` or an FTS5 ``MATCH``.

Text without Han characters passes through unchanged, so English indexing,
stemming and ranking are exactly Wagtail's. After changing how text is
segmented, run ``manage.py update_index`` so stored entries follow.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connection
from wagtail.search.backends.database import SearchBackend as DatabaseSearchBackend
from wagtail.search.query import And, Boost, Fuzzy, Not, Or, Phrase, PlainText

from .chinese import index_text, query_text


def segmented_query(query):
    """The same query with every string in it normalised and segmented."""
    if isinstance(query, PlainText):
        return PlainText(query_text(query.query_string), operator=query.operator, boost=query.boost)
    if isinstance(query, Phrase):
        return Phrase(query_text(query.query_string))
    if isinstance(query, Fuzzy):
        return Fuzzy(
            query_text(query.query_string), operator=query.operator, unaccent=query.unaccent
        )
    if isinstance(query, And | Or):
        return type(query)([segmented_query(subquery) for subquery in query.subqueries])
    if isinstance(query, Not):
        return Not(segmented_query(query.subquery))
    if isinstance(query, Boost):
        return Boost(segmented_query(query.subquery), query.boost)
    return query  # MatchAll and anything else without text


class SegmentedQueryMixin:
    """For a query compiler: segment the query once, before the backend reads it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.query = segmented_query(self.query)


class SegmentingIndexerMixin:
    """For an ObjectIndexer: every field value goes into the index segmented."""

    def prepare_value(self, value):
        return index_text(super().prepare_value(value))


# Each database's classes are built on first use: Wagtail's SQLite module
# looks up a model that exists only on SQLite, and the PostgreSQL one needs
# psycopg, so neither may be imported on the other database.


@lru_cache(maxsize=1)
def sqlite_backend_class():
    from wagtail.search.backends.database.sqlite import sqlite

    class SQLiteIndexer(SegmentingIndexerMixin, sqlite.ObjectIndexer):
        pass

    class SQLiteIndex(sqlite.SQLiteIndex):
        def add_items(self, model, objs):
            # Wagtail's SQLiteIndex.add_items (modelsearch 1.3), with the indexer
            # class swapped: the upstream method names its indexer class directly.
            if not model.get_search_fields():
                return
            indexers = [SQLiteIndexer(obj, self.backend) for obj in objs]
            if not indexers:
                return
            content_type_pk = sqlite.get_content_type_pk(model)
            data = {
                indexer.id: (indexer.title, indexer.autocomplete, indexer.body)
                for indexer in indexers
            }
            entries = self.entries.filter(content_type_id=content_type_pk)
            indexed = frozenset(
                entries.filter(object_id__in=data.keys()).values_list("object_id", flat=True)
            )
            for object_id in indexed:
                title, autocomplete, body = data[object_id]
                entries.filter(object_id=object_id).update(
                    title=title, autocomplete=autocomplete, body=body
                )
            self.entries.bulk_create(
                [
                    sqlite.IndexEntry(
                        content_type_id=content_type_pk,
                        object_id=object_id,
                        title=title,
                        autocomplete=autocomplete,
                        body=body,
                    )
                    for object_id, (title, autocomplete, body) in data.items()
                    if object_id not in indexed
                ]
            )
            self._refresh_title_norms()

    class SQLiteSearchQueryCompiler(SegmentedQueryMixin, sqlite.SQLiteSearchQueryCompiler):
        pass

    class SQLiteAutocompleteQueryCompiler(
        SegmentedQueryMixin, sqlite.SQLiteAutocompleteQueryCompiler
    ):
        pass

    class SQLiteSearchBackend(sqlite.SQLiteSearchBackend):
        query_compiler_class = SQLiteSearchQueryCompiler
        autocomplete_query_compiler_class = SQLiteAutocompleteQueryCompiler
        index_class = SQLiteIndex

    return SQLiteSearchBackend


@lru_cache(maxsize=1)
def postgres_backend_class():
    from wagtail.search.backends.database.postgres import postgres

    class PostgresIndexer(SegmentingIndexerMixin, postgres.ObjectIndexer):
        pass

    class PostgresIndex(postgres.PostgresIndex):
        def add_items(self, model, objs):
            # Wagtail's PostgresIndex.add_items (modelsearch 1.3), with the
            # indexer class swapped: one INSERT … ON CONFLICT for the batch.
            if not model.get_search_fields():
                return
            indexers = [PostgresIndexer(obj, self.backend) for obj in objs]
            if not indexers:
                return
            entry = postgres.IndexEntry
            content_type_pk = postgres.get_content_type_pk(model)
            compiler = postgres.InsertQuery(entry).get_compiler(connection=self.write_connection)
            rows = []
            params = []
            for indexer in indexers:
                params.extend((content_type_pk, indexer.id))
                vectors = []
                for name in ("title", "autocomplete", "body"):
                    value = compiler.prepare_value(
                        entry._meta.get_field(name), getattr(indexer, name)
                    )
                    sql, value_params = value.as_sql(compiler, self.write_connection)
                    vectors.append(sql)
                    params.extend(value_params)
                params.extend((indexer.title_text, indexer.body_text))
                rows.append(f"(%s, %s, {vectors[0]}, {vectors[1]}, {vectors[2]}, 1.0, %s, %s)")
            with self.write_connection.cursor() as cursor:
                cursor.execute(
                    f"""
                    INSERT INTO {entry._meta.db_table} (content_type_id, object_id, title,
                        autocomplete, body, title_norm, title_text, body_text)
                    (VALUES {", ".join(rows)})
                    ON CONFLICT (content_type_id, object_id)
                    DO UPDATE SET title = EXCLUDED.title,
                                  title_norm = 1.0,
                                  autocomplete = EXCLUDED.autocomplete,
                                  body = EXCLUDED.body,
                                  title_text = EXCLUDED.title_text,
                                  body_text = EXCLUDED.body_text
                    """,
                    params,
                )
            self._refresh_title_norms()

    class PostgresSearchQueryCompiler(SegmentedQueryMixin, postgres.PostgresSearchQueryCompiler):
        pass

    class PostgresAutocompleteQueryCompiler(
        SegmentedQueryMixin, postgres.PostgresAutocompleteQueryCompiler
    ):
        pass

    class PostgresSearchBackend(postgres.PostgresSearchBackend):
        query_compiler_class = PostgresSearchQueryCompiler
        autocomplete_query_compiler_class = PostgresAutocompleteQueryCompiler
        index_class = PostgresIndex

    return PostgresSearchBackend


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks a backend module up by
    """The database backend for the default connection, segmenting Chinese."""
    if connection.vendor == "postgresql":
        return postgres_backend_class()(params)
    backend = DatabaseSearchBackend(params)
    if type(backend).__name__ == "SQLiteSearchBackend":
        return sqlite_backend_class()(params)
    # SQLite without FTS5 (or another database): Wagtail's fallback, which
    # matches substrings and so needs no segmenting.
    return backend
