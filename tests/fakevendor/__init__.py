"""Fake registry-vendor REST APIs on loopback, one per vendor, answering the push-time
endpoints tagbot reads with payloads shaped like the real ones (Docker Hub, Quay, Harbor,
GitHub packages); see the docstrings of `tagbot/scanner/pushtimes/` for the shapes."""
