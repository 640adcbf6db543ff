"""The τ²-bench retail order desk as a tool pack: its database, its 16 tools, policy enforced in code, and
the harnesses that replay its gold actions (`replay`) and run it against simulated customers (`bench`)."""

from __future__ import annotations

from tools.retail.model import RetailDB, canonical_hash
from tools.retail.policy import RetailContext, RetailDeps, RetailError, retail_context
from tools.retail.registry import RETAIL_TOOLS, build_retail_registry

__all__ = ["RETAIL_TOOLS", "RetailContext", "RetailDB", "RetailDeps", "RetailError", "build_retail_registry",
           "canonical_hash", "retail_context"]
