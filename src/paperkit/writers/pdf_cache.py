"""The PDF writer's cache on disk: :mod:`paperkit.disk_cache`, under its old name."""

from __future__ import annotations

from ..disk_cache import cache_root, write_atomic

__all__ = ["cache_root", "write_atomic"]
