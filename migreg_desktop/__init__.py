"""migreg-desktop: migration cases of Almaty oblast career centres (core has no Qt)."""

__version__ = "0.1.0"
APP_NAME = "migreg-desktop"
