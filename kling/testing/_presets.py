"""The preset voices and elements every account has: listed by the legacy preset endpoints, and
usable by id in creates of both standards.
"""

from __future__ import annotations

PRESET_VOICES = (
    ("genshin_vindi2", "Sunny Boy"),
    ("zhinen_xuesheng", "Sensible Brother"),
    ("ai_shatang", "Youthful Girl"),
    ("oversea_male1", "Calm Man"),
)
"""``(voice_id, voice_name)`` of each preset voice."""
PRESET_ELEMENTS = (("Corgi", "A cheerful corgi"), ("Robot", "A small silver robot"))
"""``(element_name, element_description)`` of each preset element."""
PRESET_ELEMENT_BASE = 700_000_000_000_000_100
"""The first preset's ``element_id``; the others follow it."""
PRESET_VOICE_IDS = tuple(voice_id for voice_id, _ in PRESET_VOICES)
"""``voice_id`` of the preset voices every account can use."""
PRESET_ELEMENT_IDS = tuple(str(PRESET_ELEMENT_BASE + i) for i in range(len(PRESET_ELEMENTS)))
"""``element_id`` of the preset (multi-image) elements every account can use."""
