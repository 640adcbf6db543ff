"""The product record every feed format is turned into."""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["Offer", "Product", "Review", "Variant", "VISIBILITIES"]

MAX_TEXT = 20_000  # characters; longer free text is a broken row, not a product
# Where a product may be shown. "catalog" (browse only) and "search" (search only) both reach a shopping
# agent, which browses and searches; only "hidden" ones (and unpublished drafts) are never shown.
VISIBILITIES = ("visible", "catalog", "search", "hidden")


class Review(BaseModel):
    model_config = ConfigDict(extra="ignore")

    rating: float = Field(ge=0, le=5)
    text: str = ""
    date: str | None = None
    author: str | None = None


class Variant(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    title: str | None = None
    options: dict[str, str] = Field(default_factory=dict)  # e.g. {"color": "red", "size": "M"}
    price: float | None = None  # None: the product's price
    sale_price: float | None = None
    stock: int | None = None
    available: bool | None = None  # None: as the product
    backorder: bool = False  # may be ordered with none in stock (Shopify policy "continue")
    sku: str | None = None
    gtin: str | None = None
    mpn: str | None = None
    image_url: str | None = None
    url: str | None = None


class Offer(NamedTuple):
    """One way to buy a product: a variant (None for a product without variants), its price, its stock."""

    variant: Variant | None
    price: float
    in_stock: bool


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
    images: list[str] = Field(default_factory=list)  # every image, the main one first
    gtin: str | None = None
    mpn: str | None = None
    condition: str | None = None  # "new", "refurbished", "used"
    sale_dates: str | None = None  # Merchant sale_price_effective_date, as written ("start/end")
    shipping: list[dict[str, str]] = Field(default_factory=list)  # [{"country": "US", "price": "4.99 USD"}]
    tax: list[dict[str, str]] = Field(default_factory=list)
    backorder: bool = False
    published: bool = True  # False: a draft, archived or disabled product
    visibility: str = "visible"

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
        """For sale now: some offer has stock (or unknown stock), or may be ordered on backorder."""
        return any(offer.in_stock for offer in self.offers())

    @property
    def listed(self) -> bool:
        """Whether shoppers may find it: published and not hidden."""
        return self.published and self.visibility != "hidden"

    def offers(self) -> list[Offer]:
        """One Offer per variant (or one for the product itself), each with its own price and stock."""
        own_stock = self.available and (self.stock is None or self.stock > 0 or self.backorder)
        if not self.variants:
            return [Offer(None, self.effective_price, own_stock)]
        offers = []
        for v in self.variants:
            price, sale = (v.price, v.sale_price) if v.price is not None else (self.price, self.sale_price)
            effective = sale if sale is not None and sale < price else price
            available = self.available if v.available is None else v.available
            stocked = own_stock if v.stock is None else v.stock > 0 or v.backorder
            offers.append(Offer(v, effective, available and stocked))
        return offers

    def best_offer(self, max_price: float | None = None, min_price: float | None = None,
                   in_stock: bool | None = None) -> Offer | None:
        """The cheapest offer meeting every price and stock filter at once, or None."""
        offers = self.offers()
        if in_stock is False and any(o.in_stock for o in offers):
            return None  # "out of stock" means none can be bought
        fits = [o for o in offers
                if (max_price is None or o.price <= max_price) and (min_price is None or o.price >= min_price)
                and (in_stock is not True or o.in_stock)]
        return min(fits, key=lambda o: o.price, default=None)

    @property
    def category_path(self) -> str:
        return " > ".join(self.category)

    def search_text(self) -> str:
        """The text that is embedded and indexed: what a shopper would describe it by."""
        parts = [self.title, self.brand or "", " ".join(self.category), self.description,
                 " ".join(self.tags), " ".join(f"{k} {v}" for k, v in self.attributes.items())]
        return "\n".join(p for p in parts if p)

    def content_hash(self, record: str | None = None) -> str:
        """Stable fingerprint: re-ingesting an unchanged row is a no-op. `record`: this product's
        model_dump_json(), when the caller has it already (fields serialise in declaration order)."""
        blob = record if record is not None else self.model_dump_json()
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def summary(self) -> dict[str, Any]:
        """The compact view tools return in lists."""
        return {
            "id": self.id, "title": self.title, "brand": self.brand, "category": self.category_path,
            "price": self.effective_price, "currency": self.currency, "rating": self.rating,
            "review_count": self.review_count, "in_stock": self.in_stock,
        }
