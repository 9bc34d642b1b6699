"""FakeKling's new standard (API 2.0: ``POST /<product>/<model>``, ``/tasks``, API keys only):
its routes, its model table, the checks a create passes, and its task records.

Internal: the public names are re-exported by :mod:`kling.testing`; import nothing from here.
"""
