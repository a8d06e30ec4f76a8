"""tagbot/editor/kinds/configmap.py: values files carried by ConfigMaps (Flux `valuesFrom`)."""

from __future__ import annotations

from tests.editor.summary import found

MAP = """\
apiVersion: v1
kind: ConfigMap
data:
  IMAGE: ghcr.io/acme/api:1.0
  values.yaml: |
    worker:
      image:
        repository: ghcr.io/acme/worker
        tag: 2.0.0
  script.sh: |
    image: not/yaml:here
"""


def test_data_strings_and_values_files() -> None:
    assert found(MAP) == [
        ("manifest", "data.IMAGE", 4, "ghcr.io/acme/api:1.0", None),
        ("manifest", 'data."values.yaml"|worker.image', 8, "ghcr.io/acme/worker:2.0.0", None),
    ]
