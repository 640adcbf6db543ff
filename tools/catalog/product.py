"""The product record every feed format is turned into."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["Product", "Review", "Variant"]

MAX_TEXT = 20_000  # characters; longer free text is a broken row, not a product


class Review(BaseModel):
    model_config = ConfigDict(extra="ignore")

    rating: float = Field(ge=0, le=5)
    text: str = ""
    date: str | None = None
    author: str | None = None


class Variant(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    options: dict[str, str] = Field(default_factory=dict)  # e.g. {"color": "red", "size": "M"}
    price: float | None = None
    sale_price: float | None = None
    stock: int | None = None
    available: bool | None = None
    sku: str | None = None
    image_url: str | None = None


class Product(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=1000)
    description: str = Field(default="", max_length=MAX_TEXT)
    brand: str | None = None
    category: list[str] = Field(default_factory=list)  # a path, most general first
    price: float = Field(ge=0)
    currency: str = "USD"
    sale_price: float | None = Field(default=None, ge=0)
    stock: int | None = None  # None: unknown
    available: bool = True
    rating: float | None = Field(default=None, ge=0, le=5)
    review_count: int = Field(default=0, ge=0)
    reviews: list[Review] = Field(default_factory=list)
    attributes: dict[str, str] = Field(default_factory=dict)
    variants: list[Variant] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    url: str | None = None
    image_url: str | None = None

    @field_validator("id", "title")
    @classmethod
    def _strip(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("must not be blank")
        return v

    @property
    def effective_price(self) -> float:
        return self.sale_price if self.sale_price is not None and self.sale_price < self.price else self.price

    @property
    def in_stock(self) -> bool:
        return self.available and (self.stock is None or self.stock > 0)

    @property
    def category_path(self) -> str:
        return " > ".join(self.category)

    def search_text(self) -> str:
        """The text that is embedded and indexed: what a shopper would describe it by."""
        parts = [self.title, self.brand or "", " ".join(self.category), self.description,
                 " ".join(self.tags), " ".join(f"{k} {v}" for k, v in self.attributes.items())]
        return "\n".join(p for p in parts if p)

    def content_hash(self) -> str:
        """Stable fingerprint: re-ingesting an unchanged row is a no-op."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def summary(self) -> dict[str, Any]:
        """The compact view tools return in lists."""
        return {
            "id": self.id, "title": self.title, "brand": self.brand, "category": self.category_path,
            "price": self.effective_price, "currency": self.currency, "rating": self.rating,
            "review_count": self.review_count, "in_stock": self.in_stock,
        }
