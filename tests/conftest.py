"""One hypothesis profile for the whole suite: no deadlines (the CPU is shared), modest sizes."""

from hypothesis import settings

settings.register_profile("catauto", max_examples=50, deadline=None)
settings.load_profile("catauto")
