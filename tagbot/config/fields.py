"""Checked string types for tagbot.yaml: env var names, globs, templates, durations, URLs."""

from __future__ import annotations

import re
import string
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, WithJsonSchema

from tagbot import durations, globs

PLACEHOLDERS = ("image", "from", "to", "count", "images")
MAX_TEMPLATE = 1000  # characters of a title template; rendered titles are cut at 256 (changes.py)
SECRETS_RULE = "secrets never live in the file"
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Token formats GitHub and GitLab publish; a value like this is a secret, not a variable name.
_TOKEN_PREFIXES = ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-")


def _env_name(value: str) -> str:
    if value.startswith(_TOKEN_PREFIXES):
        raise ValueError(f"{SECRETS_RULE}: this looks like a token; give the NAME of a variable")
    if not _ENV_NAME.match(value):
        raise ValueError("must be an environment variable name, such as GITHUB_TOKEN")
    return value


def _glob(value: str) -> str:
    globs.translate(value)  # raises ValueError naming the problem
    return value


def _duration(value: str) -> str:
    durations.parse(value)  # raises ValueError naming the accepted form
    return value


def _template(value: str) -> str:
    try:
        list(string.Formatter().parse(value))
    except ValueError as exc:
        raise ValueError(f"not a valid template: {exc}") from None
    for _, name, spec, conversion in string.Formatter().parse(value):
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            allowed = " ".join(f"{{{p}}}" for p in PLACEHOLDERS)
            raise ValueError(f"unknown placeholder {{{name}}}; use {allowed}")
        if spec or conversion:  # `{image:>50000000}` would render 50 MB
            raise ValueError(f"placeholders take no format spec or conversion: {{{name}}} only")
    if len(value) > MAX_TEMPLATE:
        raise ValueError(f"longer than {MAX_TEMPLATE} characters")
    return value


def _no_credentials(value: str) -> str:
    parts = urlsplit(value)
    if "://" not in value:
        return value  # `.`, a path, or scp-like `git@host:owner/name.git`
    # ssh://git@host is a user name; in an http(s) URL any user info may be a token.
    if parts.password is not None or (parts.username and parts.scheme in ("http", "https")):
        raise ValueError(f"{SECRETS_RULE}: remove the credentials from the URL; set token_env")
    return value


def _url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an http:// or https:// URL")
    return _no_credentials(value)


EnvName = Annotated[
    str,
    AfterValidator(_env_name),
    WithJsonSchema({"type": "string", "pattern": _ENV_NAME.pattern}),
]
NonEmpty = Annotated[str, Field(min_length=1)]
Glob = Annotated[str, Field(min_length=1), AfterValidator(_glob)]
Template = Annotated[str, Field(min_length=1), AfterValidator(_template)]
Duration = Annotated[
    str,
    AfterValidator(_duration),
    WithJsonSchema({"type": "string", "pattern": "^([0-9]+[smhdw])+$"}),
]
Repository = Annotated[str, Field(min_length=1), AfterValidator(_no_credentials)]
URL = Annotated[
    str,
    AfterValidator(_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]
