"""Composition root: the one module-level Faust app, built on first use.

``faust -A streams.app worker`` and ``wirewatch worker`` both end up here. Nothing
happens at import time (no settings read, no model loaded): the app is built when
``streams.app.app`` is first accessed, or by calling ``build_app``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from streams.settings import Settings, get_settings

if TYPE_CHECKING:
    import faust

log = logging.getLogger(__name__)

_app: faust.App | None = None


def build_app(settings: Settings | None = None, **options: Any) -> faust.App:
    """A worker app with the real coder and every agent group (pipeline, tables, alerts).

    ``options`` go to ``create_app`` (e.g. ``standby_replicas``).
    """
    from streams.adapters.alerting import attach_alerting
    from streams.adapters.coder_identity import load_checked_coder
    from streams.adapters.faust_app import create_app

    settings = settings or get_settings()
    coder = load_checked_coder(settings)  # refuses a coder changed without a version bump
    return create_app(settings, coder=coder, attach=[attach_alerting], **options)


def __getattr__(name: str) -> Any:
    # PEP 562: `faust -A streams.app` reads `streams.app.app`; build it only then.
    global _app
    if name == "app":
        if _app is None:
            _app = build_app()
        return _app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
