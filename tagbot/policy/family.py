"""Tag families: the shape a current tag shares with the tags that may replace it."""

from __future__ import annotations

from typing import Literal, NamedTuple

Scheme = Literal["semver", "calendar", "number", "text"]
_PLACEHOLDERS = "XYZWVU"


class Family(NamedTuple):
    """Prefix (`v`), variant (`alpine`, `debian-12`), scheme, revision style, date separators.

    Precision (how many numeric parts) is kept on the version itself, because a tag with
    fewer parts than the current one is a floating alias rather than a stranger.
    """

    prefix: str = ""
    variant: str = ""
    scheme: Scheme = "semver"
    revision: bool = False  # bitnami's `-r4`: present on every tag of the family or on none
    separators: str = ""  # calver: `.` for 2024.01.15, `-` for 2024-01-15, `-T` with a time

    def describe(self, precision: int) -> str:
        """A pattern such as `vX.Y.Z-alpine` or `X.Y.Z-debian-12-rN` for messages."""
        if self.scheme == "text":
            return "*"
        if self.scheme == "number":
            core = "N"
        elif self.scheme == "calendar":
            seps = self.separators
            if len(seps) != precision - 1:
                seps = (seps[:1] or ".") * (precision - 1)
            core = "YYYY" + "".join(f"{sep}N" for sep in seps)
        else:
            core = ".".join(_PLACEHOLDERS[min(i, len(_PLACEHOLDERS) - 1)] for i in range(precision))
        text = f"{self.prefix}{core}"
        if self.variant:
            # A semver variant is stored without its separator; other suffixes as written.
            text += f"-{self.variant}" if self.scheme == "semver" else self.variant
        if self.revision:
            text += "-rN"
        return text


# With no current tag, a version policy considers plain tags: `1.2.3` or `v1.2.3`, no variant.
PLAIN_PREFIXES = ("", "v")


def plain(family: Family, scheme: Scheme) -> bool:
    """True when a tag of `family` is eligible with no current tag to infer one from."""
    return (
        family.prefix in PLAIN_PREFIXES
        and not family.variant
        and not family.revision
        and family.scheme == scheme
    )


Shape = tuple[str, str, Scheme, bool, str]
_SHARED: dict[Shape, Family] = {}


def shared(shape: Shape) -> Family:
    """One Family object per shape: a registry has few, and 10,000 tags need not build 10,000."""
    family = _SHARED.get(shape)
    if family is None:
        if len(_SHARED) > 4096:  # bounded against registries with endless variants
            _SHARED.clear()
        family = _SHARED[shape] = Family(*shape)
    return family


def forget_shared() -> None:
    """Drop every shared Family (benchmarks start cold)."""
    _SHARED.clear()
