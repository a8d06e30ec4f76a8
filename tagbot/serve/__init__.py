"""`tagbot serve`: registry and CI events turned into the same plans and publishes as `tagbot run`,
restricted to the images they name. Needs the `server` extra (Starlette, uvicorn, prometheus-client,
apprise); nothing here is imported unless `serve` runs.

    sources.py   payloads -> hints (images said to have changed), per documented shape
    auth.py      each source's authentication, constant-time
    batches.py   bounded, coalescing, debounced queue of images
    worker.py    the one worker of the config repository: pipeline.run(..., images=batch)
    app.py       routes, limits, health, readiness, metrics, graceful shutdown
"""
