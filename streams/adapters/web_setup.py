"""The worker's web server: faust's own views off by default, and every error as JSON.

faust serves, besides wirewatch's views, ``/router/`` (cluster topology), ``/table/``
(table contents by key), a statistics index at ``/`` or a ``{"status": "OK"}`` index,
``/graph`` and ``/assignment/``. They expose internals, and the index takes ``/`` from
the live page, so they are off unless ``web.internal_views`` (``WIREWATCH_WEB__INTERNAL_VIEWS=1``)
turns them on. wirewatch's own forwarding between workers does not use them.

aiohttp answers unknown paths and methods in plain text and an unexpected exception
with an HTML page; the middleware makes each of them a JSON body
``{"error": ..., "status": ...}`` with the same status.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import faust
from aiohttp import web

from streams.adapters import faust_patches
from streams.settings import WebSettings

log = logging.getLogger(__name__)

_FAUST_INDEX = "faust.web.apps.production_index:blueprint"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def faust_web_options(settings: WebSettings) -> dict[str, Any]:
    """``faust.App`` keyword arguments for faust's built-in views."""
    on = settings.internal_views
    return {
        "web_router_enabled": on,
        "web_tables_enabled": on,
        "web_stats_enabled": on,
        "web_graph_enabled": on,
    }


def _body(status: int, message: str) -> web.Response:
    return web.json_response({"error": message, "status": status}, status=status)


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        if exc.status == 404:
            return _body(404, f"no such view: {request.method} {request.path} (the views: docs/streaming.md)")
        if exc.status == 405:
            return _body(405, f"method {request.method} not allowed on {request.path}")
        return _body(exc.status, exc.reason)
    except Exception as exc:  # noqa: BLE001 - one JSON line for the client, the traceback in the log
        log.exception("view %s %s failed", request.method, request.path)
        return _body(500, f"internal error: {type(exc).__name__}: {exc}")


def install(app: faust.App, settings: WebSettings) -> None:
    """Add the JSON error middleware; without internal views, drop faust's index at ``/`` too."""
    web_app = app.web.web_app  # type: ignore[attr-defined]  # faust's aiohttp driver
    web_app.middlewares.append(json_errors)
    if not settings.internal_views:
        # The index has no setting of its own (faust-streaming 0.15.3 mounts it whenever statistics are off).
        faust_patches.drop_blueprint(app, _FAUST_INDEX)
