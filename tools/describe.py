"""`write_description`: grounded product copy from the LLM, checked fact by fact, with a template fallback."""

from __future__ import annotations

import re
from typing import Any

from agent.models.base import Model, ModelError, TextDelta
from tools.resources import load_prompt_yaml, render_prompt
from agent.models.prepare import AID, ToolAid
from agent.tools import tool
from tools.digest import description_line
from tools.deps import ShopContext
from tools.catalog.ingest import ProgressFactory, progress_steps
from tools.catalog.product import Product
from tools.catalog_tools import ProductId, resolve_product
from tools.copy_style import TEMPLATES, Length, Tone, template_style, tone_instruction
from tools.grounding import WORDS, Vocabulary, catalog_vocabulary, check_grounding, norm_number

__all__ = ["Vocabulary", "catalog_vocabulary", "check_grounding", "describe_missing", "describe_product",
           "missing_descriptions", "template_description", "write_description"]

CHARS_PER_SENTENCE = 220  # a cap on what is read from the model: a small model can ramble until max_tokens

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


# --- the template fallback ----------------------------------------------------------------------

_CURRENCY = {"USD": "$", "EUR": "€", "GBP": "£"}
_FIELD = re.compile(r"\{(\w+)\}")


def _money(amount: float, currency: str) -> str:
    symbol = _CURRENCY.get(currency.upper())
    return f"{symbol}{amount:.2f}" if symbol else f"{amount:.2f} {currency}"


def _fields(product: Product) -> dict[str, str]:
    """The template placeholders this record can fill; a missing one means its sentence is skipped."""
    attrs = {k: v.strip() for k, v in product.attributes.items() if v.strip()}
    fields = {"title": product.title, "category": product.category[-1].lower() if product.category else "",
              "brand": product.brand or "", "color": attrs.get("color", ""), "material": attrs.get("material", ""),
              "tags": ", ".join(t for t in product.tags if t != "on sale"),
              "features": ", ".join(k.replace("_", " ") for k, v in attrs.items() if v.lower() == "yes"),
              "specs": ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in attrs.items()
                                 if v.lower() not in ("yes", "no") and k not in ("color", "material"))}
    if product.sale_price is not None and product.sale_price < product.price:
        fields["sale_price"] = _money(product.sale_price, product.currency)
        fields["list_price"] = _money(product.price, product.currency)
    else:
        fields["price"] = _money(product.price, product.currency)
    if product.rating is not None and product.review_count:
        fields["rating"] = norm_number(str(product.rating))
        fields["review_count"] = str(product.review_count)
    return {k: v for k, v in fields.items() if v}


def template_description(product: Product, tone: Tone = "neutral", length: Length = "medium") -> str:
    """A description assembled from template sentences filled only from the record: grounded by construction."""
    config = load_prompt_yaml(TEMPLATES)
    fields = _fields(product)
    wanted = config["lengths"][length]["sentences"]
    sentences = []
    for sentence in config["templates"][template_style(tone)]:
        if all(name in fields for name in _FIELD.findall(sentence)):
            sentences.append(sentence.format(**fields))
        if len(sentences) == wanted:
            break
    return " ".join(sentences)


# --- the LLM flow -------------------------------------------------------------------------------

def _prompt_facts(product: Product) -> list[str]:
    """The record as a compact list of facts for the writing prompt (stock left out: it changes daily)."""
    facts = [f"title: {product.title}"]
    if product.brand:
        facts.append(f"brand: {product.brand}")
    if product.category:
        facts.append(f"category: {product.category_path}")
    fields = _fields(product)
    facts.append(f"price: {fields['sale_price']} (on sale, was {fields['list_price']})" if "sale_price" in fields
                 else f"price: {fields['price']}")
    if "rating" in fields:
        facts.append(f"rating: {fields['rating']} out of 5 from {fields['review_count']} reviews")
    facts += [f"{k.replace('_', ' ')}: {v}" for k, v in product.attributes.items()]
    options = sorted({f"{k} {o}" for v in product.variants for k, o in v.options.items()})
    if options:
        facts.append("options: " + ", ".join(options))
    if product.tags:
        facts.append("tags: " + ", ".join(product.tags))
    return facts


def _generate(model: Model, product: Product, tone: Tone, length: Length, avoid: list[str]) -> str:
    """One draft: the model's free text (no tools offered), cut to the length's sentence budget."""
    config = load_prompt_yaml(TEMPLATES)
    sentences = config["lengths"][length]["sentences"]
    system = render_prompt("describe.j2", facts=_prompt_facts(product), tone_instruction=tone_instruction(tone),
                    sentences=config["lengths"][length]["words"], avoid=avoid)
    messages = [{"role": "system", "content": system}, {"role": "user", "content": _request(product)}]
    cap = sentences * CHARS_PER_SENTENCE
    text = ""
    stream = model.stream(messages, [])
    try:
        for chunk in stream:
            if isinstance(chunk, TextDelta):
                text += chunk.text
                if len(text) > cap:
                    break  # enough to fill the budget; the rest would be cut anyway
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()
    text = " ".join(text.split()).strip("\"'“” ")
    kept = _SENTENCE_END.split(text)[:sentences]
    return " ".join(kept)[:cap].strip()


def _request(product: Product) -> str:
    return f"Write the description of the {product.title}."


_CHAT = re.compile(r"\b(?:i|i'm|i've|me|my|hi|hello)\b", re.IGNORECASE)


def _not_a_description(text: str, product: Product) -> str | None:
    """Why a grounded draft is still no description, or None. Small models repeat the request or chat."""
    lowered = text.lower()
    if not text:
        return "empty reply"
    if _request(product).lower().rstrip(".") in lowered or "use only these facts" in lowered:
        return "repeated the request"
    if _CHAT.search(text):
        return "a chat reply, not a description"
    names = {w.lower() for w in WORDS.findall(f"{product.title} {product.brand or ''}") if len(w) > 3}
    if not names & {w.lower() for w in WORDS.findall(text)}:
        return "does not name the product"
    return None


def describe_product(product: Product, model: Model | None, tone: Tone = "neutral", length: Length = "medium",
                     vocabulary: Vocabulary | None = None) -> dict[str, Any]:
    """Draft → check → one retry naming the unsupported spans → check → template; says which happened."""
    result: dict[str, Any] = {"product_id": product.id, "title": product.title, "tone": tone, "length": length,
                              "rejected": []}
    if model is None:
        return dict(result, description=template_description(product, tone, length), method="template",
                    reason="no model configured")
    avoid: list[str] = []
    reason = "both drafts were rejected"
    for attempt in (1, 2):
        try:
            text = _generate(model, product, tone, length, avoid)
        except ModelError as error:  # a down server is no reason to fail: the template still describes it
            reason = f"model error: {error}"
            break
        unsupported = check_grounding(text, product, vocabulary) if text else []
        problem = _not_a_description(text, product)
        if not (problem or unsupported):
            return dict(result, description=text, method="llm" if attempt == 1 else "llm-retry")
        rejection: dict[str, Any] = {"attempt": attempt, "unsupported": unsupported}
        if problem:
            rejection["reason"] = problem
        result["rejected"].append(rejection)
        avoid = unsupported
    return dict(result, description=template_description(product, tone, length), method="template", reason=reason)


@tool(metadata={AID: ToolAid(values={"product_id": "id", "tone": "tone", "length": "length"},
                             governed=frozenset({"tone", "length"}), summarize=description_line)})
def write_description(ctx: ShopContext, product_id: ProductId, tone: Tone = "neutral",
                      length: Length = "medium") -> dict[str, Any]:
    """Write a description of a product from its catalog data only; every fact in it is checked against the record."""
    product = resolve_product(ctx, product_id)
    vocabulary = catalog_vocabulary(ctx.deps.catalog)
    # The model driving the agent, when the deployment put it in the stores; re-entrant use is fine for
    # sequential backends (the agent waits on this tool call).
    return describe_product(product, ctx.deps.llm, tone, length, vocabulary)


# --- cold start: fill the catalog's missing descriptions ----------------------------------------

def missing_descriptions(catalog: Any) -> list[Product]:
    """Products with an empty description, by id."""
    return sorted((p for p in catalog.get_many(catalog.ids()) if not p.description.strip()), key=lambda p: p.id)


def describe_missing(catalog: Any, model: Model | None, limit: int | None = None,
                     progress: ProgressFactory | None = None, tone: Tone = "neutral",
                     length: Length = "medium") -> list[dict[str, Any]]:
    """Write descriptions for products that have none and store them in the catalog; one result per product."""
    todo = missing_descriptions(catalog)[:limit]
    vocabulary = catalog_vocabulary(catalog)  # once: each write below bumps the revision
    results = []
    with progress_steps(progress, len(todo), "writing descriptions") as advance:
        for product in todo:
            result = describe_product(product, model, tone, length, vocabulary)
            # One write per product: an interrupted run keeps what it already wrote.
            catalog.upsert([product.model_copy(update={"description": result["description"]})])
            results.append(result)
            advance(1)
    return results
