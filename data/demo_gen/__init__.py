"""Pieces of the demo data generator (data/generate_demo.py): text bank, product makers, reviews, catalog, shoppers."""

from .catalog import build_catalog
from .shoppers import build_shoppers

__all__ = ["build_catalog", "build_shoppers"]
