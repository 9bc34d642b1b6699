"""FakeKling's new standard (API 2.0: ``POST /<product>/<model>`` and ``/tasks``; API keys only):
its routes, its model table, the checks a create passes, and its task records.

Internal: what users need is re-exported by :mod:`kling.testing`; the rest may change at any time.
"""
