"""One module per CLI command; each defines `command` and calls into run.py or a part."""
