"""FakeKling's legacy API (``/v1/...``, JWT or API key): its routes, its model table, and the
checks a create passes, as Kling makes them.

Internal: the public names are re-exported by :mod:`kling.testing`; import nothing from here.
"""
