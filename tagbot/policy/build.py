"""The policy factory: an explicit map of kinds, each validating its settings up front."""

from __future__ import annotations

from collections.abc import Callable

from tagbot.errors import ConfigError
from tagbot.models import PolicySpec
from tagbot.policy.base import Policy
from tagbot.policy.digest import DigestPolicy, PinPolicy
from tagbot.policy.newest import NewestBuildPolicy
from tagbot.policy.ordered import ORDERS
from tagbot.policy.ranges import Range
from tagbot.policy.ranked import RankedPolicy
from tagbot.policy.regex import Filter
from tagbot.policy.screen import Screen


def _refuse(spec: PolicySpec, *names: str) -> None:
    """Fail for settings this kind would silently ignore: a user should not trust them."""
    for name in names:
        if getattr(spec, name):
            raise ConfigError(f"{name!r} does not apply to the {spec.kind} policy")


def _screen(spec: PolicySpec) -> Screen:
    """Ignore rules and filter/extract, compiled (ConfigError when one is bad)."""
    if spec.extract and not spec.filter:
        raise ConfigError("'extract' needs a 'filter' pattern with the named group it uses")
    filter_ = Filter(spec.filter, spec.extract) if spec.filter else None
    return Screen(spec.ignore, filter_)


def _ranked(spec: PolicySpec) -> Policy:
    """semver, calver, numerical or alphabetical; `order` (when set) says how values compare."""
    name = spec.order or spec.kind
    order = ORDERS.get(name)
    if order is None:
        raise ConfigError(f"unknown order {name!r}; expected one of {', '.join(ORDERS)}")
    range_ = None
    if spec.range is not None:
        if not order.ranges:
            raise ConfigError(f"'range' applies to semver and calver order, not {name}")
        range_ = Range(spec.range)
    return RankedPolicy(order, _screen(spec), range_, spec.prerelease)


def _digest(spec: PolicySpec) -> Policy:
    """Follow the current tag's digest."""
    _refuse(spec, "range", "filter", "extract", "order", "ignore", "prerelease")
    return DigestPolicy()


def _newest(spec: PolicySpec) -> Policy:
    """The most recently built tag (needs `created` for every tag)."""
    _refuse(spec, "range", "order", "prerelease")
    return NewestBuildPolicy(_screen(spec))


def _pin(spec: PolicySpec) -> Policy:
    """Never change the tag."""
    _refuse(spec, "range", "filter", "extract", "order", "prerelease")
    return PinPolicy()


POLICIES: dict[str, Callable[[PolicySpec], Policy]] = {
    "semver": _ranked,
    "calver": _ranked,
    "numerical": _ranked,
    "alphabetical": _ranked,
    "digest": _digest,
    "newest-build": _newest,
    "pin": _pin,
}


def build(spec: PolicySpec) -> Policy:
    """Build the policy a spec names; raises ConfigError for an unknown kind or a bad setting."""
    factory = POLICIES.get(spec.kind)
    if factory is None:
        raise ConfigError(f"unknown policy {spec.kind!r}; expected one of {', '.join(POLICIES)}")
    return factory(spec)
