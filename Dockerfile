# syntax=docker/dockerfile:1
# tagbot's container image. Two stages: the first builds a virtualenv, the second carries only that
# venv, git and CA certificates, runs as uid 10001 and works on a read-only root filesystem
# (HOME and TMPDIR point at /tmp, which the Kubernetes CronJob mounts as an emptyDir).
#
#   docker build -t tagbot --build-arg VERSION="$(git describe --tags | sed 's/^v//')" .
#   docker run --rm tagbot --version
#
# Released images: ghcr.io/OWNER/tagbot:VERSION, built by .github/workflows/release.yml.

# Both stages must share this base: the venv's python is a symlink to the base image's interpreter.
ARG PYTHON_IMAGE=python:3.12-slim

FROM ${PYTHON_IMAGE} AS build
# The release workflow passes the tag's version. A plain `docker build` has no git data to read it
# from, so the version is setuptools-scm's fallback (pyproject.toml).
ARG VERSION=0.0.0
# uv installs exactly what uv.lock pins, hashes checked; this is the uv that uv.lock itself pins
# (tests/deploy/test_lock.py keeps the two equal).
ARG UV_VERSION=0.13.9
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_NO_CACHE=1 UV_PYTHON_DOWNLOADS=never UV_PYTHON_PREFERENCE=only-system \
    UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/opt/tagbot
RUN pip install "uv==${UV_VERSION}"
WORKDIR /src
COPY pyproject.toml uv.lock README.md ./
COPY tagbot ./tagbot
# Every dependency ships wheels for CPython 3.12 on amd64 and arm64, so no compiler is needed here
# either; uv compiles the .pyc files now, because the final image's root filesystem is read-only.
# --frozen: never re-resolve; --no-editable: the venv holds a real copy of tagbot, not a link to /src.
# The `server` extra (Starlette, uvicorn, prometheus-client, apprise) makes `tagbot serve` work.
RUN SETUPTOOLS_SCM_PRETEND_VERSION_FOR_TAGBOT="${VERSION}" uv sync --frozen --no-editable --extra server \
    && /opt/tagbot/bin/tagbot --version

FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.title="tagbot" \
      org.opencontainers.image.description="Bumps container image tags in GitOps config repos" \
      org.opencontainers.image.licenses="Apache-2.0"
# Not pinned to exact versions (DL3008): Debian's security archive replaces a package's version in
# place when it ships a fix, so an exact pin breaks the build on that day. The base image fixes the
# Debian release, and the SBOM the release workflow attaches records the versions installed.
# hadolint ignore=DL3008
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# A numeric USER lets Kubernetes check runAsNonRoot without reading /etc/passwd.
RUN groupadd --gid 10001 tagbot \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin tagbot \
    && mkdir /work \
    && chown 10001:10001 /work
COPY --from=build /opt/tagbot /opt/tagbot
ENV PATH=/opt/tagbot/bin:$PATH \
    HOME=/tmp \
    TMPDIR=/tmp \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
WORKDIR /work
USER 10001:10001
ENTRYPOINT ["tagbot"]
CMD ["--help"]
