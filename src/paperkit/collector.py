"""Pause Python's cyclic garbage collector while a paper's model is built.

Reading a paper and resolving it create hundreds of thousands of small objects that all
live on (tokens, model nodes, the engine's rendered text). Each collection the allocations
trigger walks every tracked object of the younger generations, and the older ones as they
fill: ~10% of read+resolve at 100,000 words, for almost nothing found. Reference counting
still frees everything that is not in a cycle; the cycles left meanwhile (a few megabytes)
are collected once the collector runs again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_collector"]


@contextmanager
def paused_collector() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off; restore it as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
