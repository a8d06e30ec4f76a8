"""`tagbot serve`: a long-running HTTP service that plans and publishes on registry and CI events."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from tagbot.commands.common import ConfigOpt
from tagbot.errors import ConfigError

INSTALL = "tagbot serve needs the server extra: pip install 'tagbot[server]'"
HostOpt = Annotated[
    str,
    typer.Option("--host", metavar="ADDRESS", envvar="TAGBOT_HOST", help="Address to listen on."),
]
PortOpt = Annotated[
    int, typer.Option("--port", metavar="PORT", envvar="TAGBOT_PORT", help="Port to listen on.")
]
GraceOpt = Annotated[
    float,
    typer.Option(
        "--grace",
        metavar="SECONDS",
        envvar="TAGBOT_GRACE",
        help="Seconds to let the publish in flight finish.",
    ),
]


def command(
    config: ConfigOpt = "tagbot.yaml",
    host: HostOpt = "0.0.0.0",  # a service in a container listens on every address
    port: PortOpt = 8080,
    grace: GraceOpt = 120.0,
) -> None:
    """Receive registry webhooks and CI calls, and publish the updates they allow."""
    try:
        import uvicorn

        from tagbot.serve.app import create_app
    except ImportError:
        raise ConfigError(INSTALL) from None
    from tagbot.config import load_config

    path = Path(config)
    loaded = load_config(path)
    app = create_app(loaded, path.parent.absolute(), grace=grace)
    root = logging.getLogger("tagbot")
    root.setLevel(min(root.level or logging.INFO, logging.INFO))  # a service logs what it does
    uvicorn.run(app, host=host, port=port, log_config=None, access_log=False, lifespan="on")
