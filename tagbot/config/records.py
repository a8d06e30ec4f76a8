"""The one conversion from config sections to the records of `models.py`: same-named fields."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from pydantic import BaseModel

R = TypeVar("R")


def to_record(record: type[R], section: BaseModel, **overrides: Any) -> R:
    """A `record` (a dataclass) from the section's fields of the same names, lists as tuples;
    `overrides` win. A field the section lacks keeps the record's default."""
    values: dict[str, Any] = {}
    for item in dataclasses.fields(record):  # type: ignore[arg-type]
        if item.name in overrides or item.name not in type(section).model_fields:
            continue
        value = getattr(section, item.name)
        values[item.name] = tuple(value) if isinstance(value, list) else value
    return record(**values, **overrides)
