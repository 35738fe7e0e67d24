"""Previous and next article in date order, like dateline's prev/next links (one pass, O(n))."""

from pelican import signals


def _link(generator):
    ordered = sorted(generator.articles, key=lambda a: (a.date, a.slug))
    for i, article in enumerate(ordered):
        article.prev_article = ordered[i - 1] if i else None
        article.next_article = ordered[i + 1] if i + 1 < len(ordered) else None


def register():
    signals.article_generator_finalized.connect(_link)
