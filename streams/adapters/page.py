"""The live page at ``/``: plain HTML, CSS and JavaScript bundled in ``streams/ui/``, served by the worker.

No CDN and no build step: the browser loads ``/``, ``/ui/app.css`` and ``/ui/app.js``
from the worker and then polls the JSON views (``/events/recent``, ``/dyads/…``,
``/stories``, ``/healthz``); charts are SVG drawn by ``app.js``.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

import faust
from faust.web import Request, Response, View

if TYPE_CHECKING:
    from streams.adapters.wiring import Wiring

ASSETS = {
    "app.js": "application/javascript",
    "app.css": "text/css",
}


def _read(name: str) -> str:
    return resources.files("streams.ui").joinpath(name).read_text(encoding="utf-8")


def register(app: faust.App, w: Wiring) -> None:
    index = _read("index.html")
    assets = {name: (_read(name), kind) for name, kind in ASSETS.items()}

    @app.page("/")
    class Page(View):
        """The live page."""

        async def get(self, request: Request) -> Response:
            return self.html(index, headers={"Cache-Control": "no-cache"})

    @app.page("/ui/{name}")
    class Asset(View):
        """The page's script and style sheet."""

        async def get(self, request: Request, name: str) -> Response:
            if name not in assets:
                return self.error(404, f"no such asset: {name}")
            text, kind = assets[name]
            return self.text(text, content_type=kind, headers={"Cache-Control": "no-cache"})
