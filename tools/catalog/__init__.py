"""The catalog engine: feeds in, offline embeddings, hybrid search over Chroma (embedded or server)."""

from tools.catalog.product import Product, Review, Variant
from tools.catalog.store import CatalogStore, EmbedderMismatch, build_where

__all__ = ["CatalogStore", "EmbedderMismatch", "Product", "Review", "Variant", "build_where"]
