"""The hand-written async client. ``kling/_sync`` is generated from this package."""
