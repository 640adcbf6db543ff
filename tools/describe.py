"""`write_description`: grounded product copy from the LLM, checked fact by fact, with a template fallback."""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable

from agent.models.base import Model, ModelError, TextDelta
from agent.prompts import load_yaml, render
from agent.tools import ToolContext, tool
from tools.catalog.ingest import ProgressFactory, progress_steps
from tools.catalog.product import Product
from tools.catalog_tools import resolve_product
from tools.copy_style import TEMPLATES, Length, Tone, template_style, tone_instruction

__all__ = ["Vocabulary", "catalog_vocabulary", "check_grounding", "describe_missing", "describe_product",
           "missing_descriptions", "template_description", "write_description"]

CHARS_PER_SENTENCE = 220  # a cap on what is read from the model: a small model can ramble until max_tokens

# Attribute keys whose values are words a description could get wrong (a colour, a material). Keys like "use",
# "form" or "type" hold everyday words or other product kinds ("travel", "ground", "for French press") that
# honest prose names too (measured on the 556 demo descriptions).
CHECKED_KEYS = ("color", "material", "fill", "sleeve", "gender", "roast")
# Values that are also everyday words ("down from $128"); checking them would reject honest prose.
AMBIGUOUS_VALUES = frozenset({"down"})

# Capitalised words that are not brands, for the mid-sentence check (the catalog's own lowercase prose
# extends this list at run time).
COMMON_CAPITALISED = frozenset("""
i i'm i've i'd i'll you we it this that these those the a an and or but with for from in on at of to by
bluetooth wi-fi wifi usb usb-c hdmi led lcd oled hd uhd ai gps nfc ios android windows mac pc usd eur gbp
french italian english german japanese swiss british american european scandinavian nordic
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december christmas spring summer autumn fall winter
""".split())

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNITS = {
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h", "mah": "mah", "mp": "mp",
    "gb": "gb", "tb": "tb", "mb": "mb", "ghz": "ghz", "hz": "hz", "kg": "kg", "g": "g", "gram": "g",
    "grams": "g", "lb": "lb", "lbs": "lb", "oz": "oz", "ml": "ml", "l": "l", "litre": "l", "liter": "l",
    "litres": "l", "liters": "l", "cm": "cm", "mm": "mm", "m": "m", "in": "in", "inch": "in", "inches": "in",
    '"': "in", "ft": "ft", "w": "w", "watt": "w", "watts": "w", "lm": "lm", "lumen": "lm", "lumens": "lm",
    "k": "k", "kelvin": "k", "v": "v", "°c": "°c", "°f": "°f", "%": "%", "percent": "%",
}
_UNIT_RE = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?<![\w.])(?P<cur>[$€£])?\s?(?P<a>{_NUM})(?:\s?(?:-|–|to)\s?(?P<b>{_NUM}))?"
    # a money amount takes no unit ("$99 in red"); "2-person", "30-hour": a hyphenated word is a unit too
    rf"(?(cur)|(?:\s?(?P<unit>°\s?[cf]|(?:{_UNIT_RE})(?![\w]))|-(?P<compound>[a-z]+))?)"
    rf"(?P<money>\s?(?:dollars|usd|eur|euros))?",
    re.IGNORECASE)
_SCALE = re.compile(r"\b(?:out of|/)\s?5(?:\.0)?\b", re.IGNORECASE)  # "4.5 out of 5": the 5 is the scale
_WORD = re.compile(r"[A-Za-z][A-Za-z'’&-]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass
class Vocabulary:
    """What the catalog knows beyond one record: attribute values per key, brands, everyday words."""

    values: dict[str, set[str]] = field(default_factory=dict)
    brands: set[str] = field(default_factory=set)
    common_words: set[str] = field(default_factory=set)  # seen in lowercase in descriptions and reviews

    @classmethod
    def build(cls, products: Iterable[Product]) -> "Vocabulary":
        vocab = cls()
        for p in products:
            for key, value in p.attributes.items():
                value = value.strip().lower()
                # Numbers are checked on their own.
                if key in CHECKED_KEYS and value not in AMBIGUOUS_VALUES and not re.search(r"\d", value):
                    vocab.values.setdefault(key, set()).add(value)
            if p.brand:
                vocab.brands.add(p.brand.strip())
            prose = " ".join([p.description] + [r.text for r in p.reviews])
            vocab.common_words.update(w for w in _WORD.findall(prose) if w.islower())
        return vocab


_VOCABULARIES: "weakref.WeakKeyDictionary[Any, tuple[str, Vocabulary]]" = weakref.WeakKeyDictionary()


def catalog_vocabulary(catalog: Any) -> Vocabulary:
    """The catalog's vocabulary, rebuilt only when the catalog's revision changes."""
    revision = catalog.revision
    cached = _VOCABULARIES.get(catalog)
    if cached is None or cached[0] != revision:
        cached = (revision, Vocabulary.build(catalog.get_many(catalog.ids())))
        _VOCABULARIES[catalog] = cached
    return cached[1]


# --- the grounding check ------------------------------------------------------------------------

def check_grounding(text: str, product: Product, vocabulary: Vocabulary | None = None) -> list[str]:
    """The spans of `text` the record does not support: numbers, units, prices, brands, attribute values."""
    facts = _record_text(product)
    return _dedupe(_unsupported_numbers(text, product, facts) + _unsupported_names(text, product, facts, vocabulary)
                   + _unsupported_values(text, product, facts, vocabulary))


def _record_text(product: Product) -> str:
    """Every field a description may draw on, as one text (stock included: "only 4 left" is a fact)."""
    parts = [product.title, product.brand or "", " ".join(product.category), product.currency,
             " ".join(f"{k.replace('_', ' ')} {v}" for k, v in product.attributes.items()), " ".join(product.tags)]
    for v in product.variants:
        parts += [f"{k} {o}" for k, o in v.options.items()]
    return "\n".join(p for p in parts if p)


def _norm(number: str) -> str:
    """'1,299.00' → '1299'; '30.0' → '30'."""
    try:
        return format(Decimal(number.replace(",", "")).normalize(), "f")
    except InvalidOperation:
        return number


def _quantities(text: str) -> Iterable[tuple[re.Match[str], list[str], str | None, bool]]:
    """(match, normalised numbers, canonical unit, is money) for each quantity in `text`."""
    for m in _QUANTITY.finditer(text):
        numbers = [_norm(m.group("a"))] + ([_norm(m.group("b"))] if m.group("b") else [])
        unit = m.group("unit")
        unit = _UNITS.get(re.sub(r"\s", "", unit.lower())) if unit else None
        if m.group("compound"):
            word = m.group("compound").lower()
            unit = _UNITS.get(word, "-" + word.removesuffix("s"))
        yield m, numbers, unit, bool(m.group("cur") or m.group("money"))


def _record_numbers(product: Product, facts: str) -> tuple[set[str], set[tuple[str, str]], set[str]]:
    """(numbers, (number, unit) pairs, prices) the record supports."""
    numbers: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for _, found, unit, _money in _quantities(facts):
        numbers.update(found)
        if unit:
            pairs.update((n, unit) for n in found)
    for key, value in product.attributes.items():  # "pages": "352" supports "352-page"
        for _, found, unit, _money in _quantities(value):
            if unit is None:
                pairs.update((n, "-" + key.removesuffix("s")) for n in found)
    prices = {product.price, product.effective_price}
    if product.sale_price is not None:
        prices.add(product.sale_price)
        if product.sale_price < product.price:
            prices.add(round(product.price - product.sale_price, 2))  # "save $62"
            off = (product.price - product.sale_price) / product.price * 100
            pairs.update((_norm(str(n)), "%") for n in {int(off), round(off)})  # "20% off"
    for v in product.variants:
        prices.update(x for x in (v.price, v.sale_price) if x is not None)
    money = {_norm(f"{p:.2f}") for p in prices}
    counts = [product.rating, product.review_count, product.stock]
    numbers.update(money, (_norm(str(c)) for c in counts if c is not None))
    return numbers, pairs, money


def _unsupported_numbers(text: str, product: Product, facts: str) -> list[str]:
    numbers, pairs, money = _record_numbers(product, facts)
    bad = []
    for m, found, unit, is_money in _quantities(_SCALE.sub(lambda s: " " * len(s.group()), text)):
        if is_money:
            ok = all(n in money for n in found)
        elif unit == "in":  # "sleeps 2 in comfort": the word is too common to insist on it as inches
            ok = all((n, unit) in pairs or n in numbers for n in found)
        elif unit:
            ok = all((n, unit) in pairs for n in found)
        else:
            ok = all(n in numbers for n in found)
        if not ok:
            bad.append(m.group().strip())
    return bad


def _unsupported_names(text: str, product: Product, facts: str, vocabulary: Vocabulary | None) -> list[str]:
    """Capitalised words mid-sentence that the record does not hold, and other catalog brands named."""
    known = {w.lower() for w in _WORD.findall(facts)}
    allowed = known | COMMON_CAPITALISED | (vocabulary.common_words if vocabulary else set())
    bad: list[str] = []
    run: list[re.Match[str]] = []  # consecutive suspicious words form one span ("Sony WH")

    def close_run() -> None:
        if run:
            bad.append(text[run[0].start():run[-1].end()])
            run.clear()

    for m in _WORD.finditer(text):
        word = m.group()
        bare = re.sub(r"['’]s$", "", word).strip("-'’&").lower()
        before = text[:m.start()].rstrip()
        initial = not before or before[-1] in ".!?:;\"“(\n-•*"
        suspicious = (word[0].isupper() and not initial and not {bare, word.lower()} & allowed)
        if suspicious:
            if run and text[run[-1].end():m.start()].strip():
                close_run()
            run.append(m)
        else:
            close_run()
    close_run()
    if vocabulary:
        own = (product.brand or "").lower()
        for brand in vocabulary.brands:
            if brand.lower() != own and brand.lower() not in facts.lower() and \
                    re.search(rf"(?<!\w){re.escape(brand)}(?!\w)", text):
                bad.append(brand)
    return bad


def _unsupported_values(text: str, product: Product, facts: str, vocabulary: Vocabulary | None) -> list[str]:
    """Attribute values of other products (a colour, a material) named for this one."""
    if vocabulary is None:
        return []
    lowered, record = text.lower(), facts.lower()
    bad = []
    for key in product.attributes:
        for value in sorted(vocabulary.values.get(key, ()), key=len, reverse=True):
            pattern = rf"(?<![\w-]){re.escape(value)}(?![\w-])"
            # "green" is fine when the record says "sage green": only values absent from the record count.
            if re.search(pattern, lowered) and not re.search(pattern, record):
                bad.append(value)
    return bad


def _dedupe(spans: list[str]) -> list[str]:
    return list(dict.fromkeys(s for s in spans if s))


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
        fields["rating"] = _norm(str(product.rating))
        fields["review_count"] = str(product.review_count)
    return {k: v for k, v in fields.items() if v}


def template_description(product: Product, tone: Tone = "neutral", length: Length = "medium") -> str:
    """A description assembled from template sentences filled only from the record: grounded by construction."""
    config = load_yaml(TEMPLATES)
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
    config = load_yaml(TEMPLATES)
    sentences = config["lengths"][length]["sentences"]
    system = render("describe.j2", facts=_prompt_facts(product), tone_instruction=tone_instruction(tone),
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
    names = {w.lower() for w in _WORD.findall(f"{product.title} {product.brand or ''}") if len(w) > 3}
    if not names & {w.lower() for w in _WORD.findall(text)}:
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


@tool
def write_description(ctx: ToolContext, product_id: str, tone: Tone = "neutral",
                      length: Length = "medium") -> dict[str, Any]:
    """Write a description of a product from its catalog data only; every fact in it is checked against the record."""
    product = resolve_product(ctx, product_id)
    vocabulary = catalog_vocabulary(ctx.store("catalog"))
    # The model driving the agent, when the deployment put it in the stores; re-entrant use is fine for
    # sequential backends (the agent waits on this tool call).
    return describe_product(product, ctx.stores.get("llm"), tone, length, vocabulary)


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
