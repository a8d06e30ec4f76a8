"""Tests for tagbot.provider: real git remotes and fake forges on loopback."""
