"""FakeKling's legacy API (``/v1/...`` and ``/account/costs``; JWT or API key): its routes, its
model table, and the checks a create passes, as Kling makes them.

Internal: what users need is re-exported by :mod:`kling.testing`; the rest may change at any time.
"""
