"""Site feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 for every section, topic and author.

The package sits on top of the apps it gathers (issues, insights, videos):

- ``scopes``: what a feed holds (everything, a section, a topic, an author);
- ``entries``: one page as a feed entry, its content from the page's feed rendering;
- ``formats``: the three document formats;
- ``caching``: the content version that keys cached feeds, bumped by publishing;
- ``views``/``urls``: ``/feeds/`` and the feed documents;
- ``discovery``: which feeds an HTML page advertises.
"""
