"""Reads a YAML config keeping line numbers, and turns validation errors into located issues."""

from __future__ import annotations

import datetime
import difflib
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from tagbot import redact
from tagbot.config.fields import SECRETS_RULE

Loc = tuple[int | str, ...]
MAX_CHARS = 1024 * 1024  # a config file; far above any real one
MAX_VALUES = 100_000  # values after alias expansion
MAX_DEPTH = 64  # the deepest key path tagbot.yaml has is 5
_SECRET_KEY = re.compile(r"password|passwd|secret|token|api_?key|private_?key", re.IGNORECASE)


@dataclass(frozen=True)
class ConfigIssue:
    """One error in a config file: the key path (`images[0].range`), its 1-based line, why."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: `{"line", "key", "message"}`."""
        return {"line": self.line, "key": self.key, "message": self.message}


def secret_key(key: str) -> bool:
    """True when a key looks like it would hold a secret value rather than a variable name."""
    return not key.endswith("_env") and _SECRET_KEY.search(key) is not None


def read(path: Path) -> tuple[Any, Any, tuple[ConfigIssue, ...]]:
    """The round-trip YAML tree, its plain-Python data, and any issue reading or parsing it."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, None, (ConfigIssue(name, None, "", "no such file"),)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        return None, None, (ConfigIssue(name, None, "", f"cannot read: {reason}"),)
    if len(text) > MAX_CHARS:
        return None, None, (ConfigIssue(name, None, "", f"larger than {MAX_CHARS:,} characters"),)
    if _flow_depth(text) > MAX_DEPTH:  # before parsing: the parser recurses per level
        return None, None, (ConfigIssue(name, None, "(yaml)", "nested too deeply"),)
    try:
        tree = YAML(typ="rt").load(text)
    except YAMLError as exc:
        return None, None, (_yaml_issue(name, exc),)
    except RecursionError:
        return None, None, (ConfigIssue(name, None, "(yaml)", "nested too deeply"),)
    if tree is None:
        tree = CommentedMap()  # an empty file means every default
    if not isinstance(tree, CommentedMap):
        return None, None, (ConfigIssue(name, 1, "(root)", "the file must hold a mapping"),)
    try:
        return tree, _plain(tree, [MAX_VALUES]), ()
    except _TooBig as exc:
        return None, None, (ConfigIssue(name, None, "(yaml)", str(exc)),)


def _yaml_issue(name: str, exc: YAMLError) -> ConfigIssue:
    # Only the problem and its line: the snippet ruamel quotes could hold a secret.
    if isinstance(exc, MarkedYAMLError) and exc.problem_mark is not None:
        # A duplicate key's message quotes both values; keep only the key.
        problem = str(exc.problem).split(" with value ", 1)[0]
        return ConfigIssue(name, exc.problem_mark.line + 1, "(yaml)", problem)
    return ConfigIssue(name, None, "(yaml)", "not valid YAML")


def _flow_depth(text: str) -> int:
    """The deepest nesting of flow brackets (`[`, `{`) in `text`; quotes are not told apart,
    which only over-counts brackets inside strings (a config has few)."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return deepest


class _TooBig(Exception):
    """The config expands (through aliases) or nests beyond what a config file needs."""


def _plain(node: Any, budget: list[int], depth: int = 0) -> Any:
    """ruamel's node types as plain dict/list/str/int/float/bool, so strict types apply.
    `budget` counts the values left to produce: aliases of aliases (a "billion laughs") would
    otherwise expand exponentially."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBig(f"expands to more than {MAX_VALUES:,} values (aliases of aliases?)")
    if depth > MAX_DEPTH:
        raise _TooBig(f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if isinstance(value, str) and secret_key(str(key)):
                redact.register(value)
            result[str(key)] = _plain(value, budget, depth + 1)
        return result
    if isinstance(node, list):
        return [_plain(item, budget, depth + 1) for item in node]
    for kind in (bool, int, float, str):
        if isinstance(node, kind):
            return kind(node)
    return node


def locate(tree: Any, loc: Loc) -> int:
    """The 1-based line of the deepest node of `loc` that exists in the tree."""
    node, line = tree, 1
    for part in loc:
        try:
            if isinstance(node, CommentedMap):
                key = next((k for k in node if str(k) == part), None)
                if key is None:
                    break
                line, node = node.lc.key(key)[0] + 1, node[key]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                line, node = node.lc.item(part)[0] + 1, node[part]
            else:
                break
        except (TypeError, KeyError, IndexError, AttributeError):  # a tagged node has no marks
            break
    return line


def key_path(loc: Loc) -> str:
    """`('images', 0, 'range')` as `images[0].range`; the empty path as `(root)`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "(root)"


def issues_from(
    exc: ValidationError, tree: Any, file: str, root: type[BaseModel]
) -> tuple[ConfigIssue, ...]:
    """Every pydantic error as an issue with its key path and line, in line order."""
    issues = []
    for error in exc.errors():
        loc: Loc = tuple(error["loc"])
        ctx = error.get("ctx") or {}
        if error["type"] == "config" and ctx.get("path"):
            loc = tuple(ctx["path"])  # a check across items names the item it is about
        if error["type"] == "config" and ctx.get("field"):
            loc += (str(ctx["field"]),)
        issues.append(ConfigIssue(file, locate(tree, loc), key_path(loc), _message(error, root)))
    return tuple(sorted(issues, key=lambda i: i.line or 0))


_KINDS: list[tuple[type, str]] = [
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (dict, "mapping"),
    (list, "list"),
    (datetime.date, "date"),
    (type(None), "null"),
]
_WANTS = {"string_type": "a string", "bool_type": "true or false", "int_type": "an integer"}
_WANTS |= {"float_type": "a number", "list_type": "a list", "model_type": "a mapping"}


def _message(error: ErrorDetails, root: type[BaseModel]) -> str:
    kind, loc, ctx = error["type"], error["loc"], error.get("ctx") or {}
    if kind == "extra_forbidden":
        key = str(loc[-1])
        if secret_key(key):
            return f"{SECRETS_RULE}: use {key}_env"
        return _unknown(key, _model_at(root, loc[:-1]))
    if kind == "missing":
        return "required key is missing"
    if kind in ("value_error", "config"):
        return str(ctx.get("error") or ctx.get("message"))
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "must not be empty"
    if kind == "literal_error":
        return f"must be {ctx['expected']}"
    if kind in _WANTS:
        value = error["input"]
        got = next((name for t, name in _KINDS if isinstance(value, t)), type(value).__name__)
        hint = " (quote it)" if kind == "string_type" and got != "null" else ""
        return f"must be {_WANTS[kind]}, not {_article(got)}{hint}"
    return error["msg"].replace("Input should be", "must be")


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _unknown(key: str, model: type[BaseModel] | None) -> str:
    if model is None:
        return "unknown key"
    known = [f.alias or name for name, f in model.model_fields.items()]
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"unknown key; did you mean {close[0]!r}?"
    return f"unknown key; expected one of: {', '.join(known)}"


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that holds the mapping at `loc` (list indexes skipped)."""
    model: type[BaseModel] | None = root
    for part in loc:
        if isinstance(part, int):
            continue
        if model is None or part not in model.model_fields:
            return None
        model = _model_in(model.model_fields[part].annotation)
    return model


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
