"""`python -m tagbot` runs the CLI."""

from __future__ import annotations

from tagbot.cli import main

if __name__ == "__main__":
    main()
