"""A cheap text screen: files that cannot hold an image reference need no YAML parse."""

from __future__ import annotations

import re

# A key, then a value on the same line: `image: x`, `natsImage: x`, `"image":"x"`, `{image: x}`.
# A CRD's schema (`image:` with `type: string` below) has no value on the key's line.
_VALUE = r"""[\w.-]*["']?[ \t]*:[ \t]*[^\s#]"""
# Each pattern starts with a literal, which CPython's `re` finds with a fast scan; one pattern
# with alternatives is tried at every position and ran ~17x slower (bench/README.md).
_PATTERNS = (
    re.compile("mage" + _VALUE),  # image, Image, initImage, inline_image, imagePullPolicy
    re.compile("epository" + _VALUE),  # repository, Repository
    re.compile(r"""images["']?[ \t]*:"""),  # Kustomize and Argo CD lists, even with names only
    re.compile(r"\$imagepolicy"),  # Flux setter markers
    re.compile("MAGE" + _VALUE),
    re.compile(
        r"""name["']?[ \t]*:[ \t]*["']?[\w.-]*(?:[iI]mage|[rR]epository)"""
    ),  # `name: image.tag`
    re.compile("DockerImage"),  # an OpenShift ImageStream tag's `from.kind`
)
_TAG = re.compile("ag" + _VALUE)


def may_hold_reference(text: str) -> bool:
    """False only when no image reference can be in `text`; True means parse and look."""
    return any(p.search(text) for p in _PATTERNS) or _tag_key(text)


def _tag_key(text: str) -> bool:
    """`tag: x`, `newTag: x`, `imageTag: x`, but not `heritage: Helm` or `stage: build`."""
    for match in _TAG.finditer(text):
        start = match.start()
        first, before = text[start - 1 : start], text[start - 2 : start - 1]
        if first == "t" and not before.isalpha():
            return True
        if first == "T" and not before.isupper():
            return True
    return False
