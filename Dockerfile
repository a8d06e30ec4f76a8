# syntax=docker/dockerfile:1
# tagbot's container image. Two stages: the first builds a virtualenv, the second carries only that
# venv, git and CA certificates, runs as uid 10001 and works on a read-only root filesystem
# (HOME and TMPDIR point at /tmp, which the Kubernetes CronJob mounts as an emptyDir).
#
#   docker build -t tagbot .
#   docker run --rm tagbot --version

# Both stages must share this base: the venv's python is a symlink to the base image's interpreter.
ARG PYTHON_IMAGE=python:3.12-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY tagbot ./tagbot
# Every dependency ships wheels for CPython 3.12 on amd64 and arm64, so no compiler is needed here
# either; pip compiles the .pyc files now, because the final image's root filesystem is read-only.
RUN python -m venv /opt/tagbot \
    && /opt/tagbot/bin/pip install . \
    && /opt/tagbot/bin/tagbot --version

FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.title="tagbot" \
      org.opencontainers.image.description="Bumps container image tags in GitOps config repos" \
      org.opencontainers.image.licenses="Apache-2.0"
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
