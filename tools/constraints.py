"""The one reader of budgets and constraints in a shopper's line: price caps, floors and ranges, ratings, stock.

    from tools.constraints import parse_constraints
    c = parse_constraints("I won't pay more than forty dollars for 4-star headphones")
    c.max_price, c.currency, c.min_rating   # Decimal("40"), "USD", 4.0
    c.rest                                  # "I for headphones": the line without what was read
    c.filters()                             # {"max_price": 40.0, "min_rating": 4.0}, search's keyword arguments
    c.found_money_but_no_bound              # True for "headphones, about $50": an amount, but no cap or floor

`parse_constraints(text) -> Constraints` is pure and the whole API. Amounts are exact (`Decimal`, read by
tools/catalog/money.py) with the currency the line names (`None`: it names none, so the shop's own). It reads
English, Spanish, French, German and Chinese: budget nouns ("budget of $50", "mi presupuesto es 50 €"), caps
before or after the amount ("under $60", "$80 max", "50元以下"), negated comparatives ("I won't pay more than
$40" is a cap: a negation never turns a cap into a floor), amounts the shopper has ("I've got 20 dollars"),
word numbers ("a hundred bucks", "cincuenta euros", "五十块"), "sub-$50", "≤ $30", ranges, floors ("at least
$80"), ratings ("4 stars and up") and stock ("in stock", "auf Lager", "有货").

A bare number is money only with a currency mark or a bound word before it ("under 50"); a number followed by
a unit ("16gb", "2 person") never is. When the line holds money but no bound could be read,
`found_money_but_no_bound` is set and `amounts` lists the amounts written: callers then leave the price
arguments open to those amounts (a soft guard) rather than dropping them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from tools.catalog.money import MoneyError, parse_money

__all__ = ["Constraints", "parse_constraints"]


@dataclass(frozen=True)
class Constraints:
    """What a line states about price, rating and stock, and the line without those phrases."""

    rest: str
    max_price: Decimal | None = None
    min_price: Decimal | None = None
    currency: str | None = None  # ISO code the bound was written in; None: the line names no currency
    min_rating: float | None = None
    in_stock: bool | None = None
    amounts: tuple[Decimal, ...] = ()  # every amount of money written, bound or not, in order
    said: dict[str, str] = field(default_factory=dict)  # "max_price" -> the words that stated it

    @property
    def found_money_but_no_bound(self) -> bool:
        """The line names an amount of money, but no cap or floor could be read from it (the soft guard)."""
        return bool(self.amounts) and self.max_price is None and self.min_price is None

    def filters(self) -> dict[str, float | bool]:
        """The constraints found, as search's keyword arguments (floats at that boundary)."""
        out: dict[str, float | bool] = {}
        for key in ("max_price", "min_price", "min_rating"):
            value = getattr(self, key)
            if value is not None:
                out[key] = float(value)
        if self.in_stock is not None:
            out["in_stock"] = self.in_stock
        return out


# ------------------------------------------------------------------ word numbers
_UNITS_EN = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS_EN = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
            if w != "_"}
# Round amounts in the other languages (accents already folded): budgets are mostly round.
_WORDS_OTHER = {
    "diez": 10, "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
    "ochenta": 80, "noventa": 90, "cien": 100, "doscientos": 200, "trescientos": 300, "quinientos": 500, "mil": 1000,
    "dix": 10, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100,
    "deux cents": 200, "trois cents": 300, "cinq cents": 500,
    "zehn": 10, "zwanzig": 20, "dreissig": 30, "vierzig": 40, "funfzig": 50, "sechzig": 60, "siebzig": 70,
    "achtzig": 80, "neunzig": 90, "hundert": 100, "einhundert": 100, "zweihundert": 200, "tausend": 1000,
}
_EN_WORD = "|".join(sorted([*_UNITS_EN, *_TENS_EN, "hundred", "thousand", "grand"], key=len, reverse=True))
_EN_NUMBER = re.compile(rf"\b(?:an?\s+)?(?:(?:{_EN_WORD})(?:[\s-]+(?:and\s+)?(?=(?:{_EN_WORD})\b))?)+\b",
                        re.IGNORECASE)
_OTHER_NUMBER = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, _WORDS_OTHER), key=len, reverse=True)) + r")\b",
                           re.IGNORECASE)
_CJK_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CJK_NUMBER = re.compile(r"[零一二两三四五六七八九十百千万]+")


def _english_number(words: str) -> int | None:
    total, current = 0, 0
    for w in re.findall(r"[a-z]+", words.lower()):
        if w in ("a", "an", "and"):
            current = current or (1 if w != "and" else 0)
        elif w in _UNITS_EN:
            current += _UNITS_EN[w]
        elif w in _TENS_EN:
            current += _TENS_EN[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in ("thousand", "grand"):
            total, current = total + (current or 1) * 1000, 0
    value = total + current
    return value or None


def _cjk_number(run: str) -> int | None:
    total, section, digit = 0, 0, 0
    for ch in run:
        if ch in _CJK_DIGITS:
            digit = _CJK_DIGITS[ch]
        elif ch in "十百千":
            section += (digit or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            digit = 0
        elif ch == "万":
            total, section, digit = (total + section + digit) * 10000, 0, 0
    value = total + section + digit
    return value or None


# ------------------------------------------------------------------ money
# Currency words and marks (accents folded, lowercase) -> ISO code. "pounds" is left out: it is a weight too.
_CURRENCY_WORDS = {
    "dollars": "USD", "dollar": "USD", "bucks": "USD", "buck": "USD", "usd": "USD", "dolares": "USD",
    "dolar": "USD", "dollari": "USD", "euros": "EUR", "euro": "EUR", "eur": "EUR", "quid": "GBP", "gbp": "GBP",
    "pesos": "MXN", "yuan": "CNY", "rmb": "CNY", "kuai": "CNY",
    "美元": "USD", "美金": "USD", "刀": "USD", "欧元": "EUR", "英镑": "GBP", "块钱": "CNY", "块": "CNY",
    "元": "CNY", "人民币": "CNY",
}
_SYMBOL = r"(?:US\$|C\$|A\$|\$|€|£|¥|￥)"
_CUR_WORD = "|".join(sorted(map(re.escape, _CURRENCY_WORDS), key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:[.,]\d{1,2})?"
# Words after a number that make it a quantity, not a price ("16gb", "2 person", "6 ft", "4 stars").
_UNITS = (r"gb|tb|mb|kb|(?:giga|tera|mega)bytes?|ounces?|fl|by|p|k?wh|dpi|fps|rpm|ghz|mhz|cores?|bits?|inch(?:es)?|\"|ft|feet|foot|cm|mm|m|person|people|pack|pcs|pieces?|oz|lbs?|pounds?|kg|"
          r"g|grams?|ml|l|liters?|litres?|w|watts?|mah|hz|hours?|hrs?|mp|megapixels?|stars?|years?|months?|days?|"
          r"bar|v|volts?|seats?|doors?|x|%|percent|cups?|slices?|qt|quarts?|gallons?|speeds?|ports?|channels?|"
          r"sizes?|points?|estrellas?|etoiles?|sterne?|personas?|personnes?|zoll|pulgadas?|pouces?|星|颗星|寸|个|件")
# One amount: a symbol and/or a currency word around digits, with an optional "k" (thousands).
_MONEY = re.compile(
    rf"(?:(?P<pre>{_SYMBOL})\s?)?(?P<num>{_DIGITS})(?P<k>\s?k\b)?(?!\d|[.,]\d)"
    rf"(?:\s?(?P<sym>{_SYMBOL})|\s?(?P<word>{_CUR_WORD})(?![a-z]))?"
    rf"(?!\s?(?:{_UNITS})(?![a-z]))", re.IGNORECASE)

# ------------------------------------------------------------------ cues
# What the shopper has ("I've got", "tengo", "我只有"): a cap, but only for an amount that is clearly money.
_HAVE = (r"(?:i\s*(?:'ve|\s+have|\s+only\s+have|\s+just\s+have)?\s*(?:only\s+|just\s+)?(?:got|have|had)|"
         r"(?:only|just)\s+have|(?:solo\s+|solamente\s+)?tengo|j'ai|je\s+n'ai\s+que|ich\s+habe(?:\s+nur)?|"
         r"(?:我)?(?:只有|就有|有))")
# Right before an amount (the text between may only be filler: "pay", "spend", "the price of" …).
_FILL = (r"(?:\s*(?:to\s+)?(?:pay|spend|go|paying|spending|going|gastar|pagar|payer|depenser|ausgeben|zahlen|"
         r"cost(?:s|ing)?|be|a|an|the|of|de|des|du|les|los|las|die|der|den|von|price|prix|precio|preis|is|es|est|"
         r"ist|around|about|"
         r"per\s+\w+)\b|\s*[:=])*\s*")
_NEG = (r"(?:n[o']?t|never|no|nothing|none|without|cannot|can'?t|won'?t|wouldn'?t|shouldn'?t|don'?t|doesn'?t|"
        r"mustn'?t|ne|pas|nicht|kein\w*|nada|sin|jamais|不)")
_NEG_GAP = r"(?:\s+[\w']+){0,5}?\s+"  # "won't pay a penny more than", "shouldn't cost more than"
_MORE = (r"(?:more\s+than|over|above|beyond|past|exceed(?:ing)?|higher\s+than|(?:more\s+expensive|pricier|"
         r"costlier|dearer)\s+than|mas\s+de|plus\s+de|mehr\s+als|teurer\s+als|plus\s+cher\s+que|mas\s+car[oa]\s+que|"
         r"uber|depasser|superar|pasar\s+de)")
_LESS = (r"(?:less\s+than|under|below|cheaper\s+than|lower\s+than|menos\s+de|mas\s+barat[oa]s?\s+que|moins\s+de|"
         r"moins\s+cher\s+que|weniger\s+als|unter|billiger\s+als|gunstiger\s+als)")
_CAP_BEFORE = (
    r"(?:under|below|beneath|less\s+than|lower\s+than|cheaper\s+than|max(?:imum)?|at\s+most|up\s+to|"
    r"within|tops|(?:budget|limit|presupuesto|limite|plafond|obergrenze|limite)(?:'s)?(?:\s+[\w']+){0,3}?|"
    r"cap(?:\s+of)?|"
    rf"{_HAVE}|(?:i\s+)?can\s+"
    r"(?:only\s+)?(?:spend|afford|pay)|(?:only|just)\s+have|affordable\s+at|for\s+less\s+than|"
    r"sub-?|<=?|≤|=<|"
    r"por\s+menos\s+de|menos\s+de|hasta|como\s+maximo|maximo|inferior\s+a|"
    r"por\s+debajo\s+de|no\s+(?:supere|pase\s+de|exceda|cueste\s+mas\s+de)|sin\s+pasar\s+de|"
    r"pour\s+moins\s+de|moins\s+de|jusqu'?\s*a|(?:tout\s+)?au\s+(?:plus|maximum)|maximum|sous|"
    r"ne\s+depass\w*\s+pas|sans\s+depasser|"
    r"en\s+dessous\s+de|inferieur\s+a|unter|unterhalb\s+von|bis(?:\s+zu)?|hochstens|maximal|weniger\s+als|"
    r"billiger\s+als|gunstiger\s+als|"
    r"不超过|不超|不到|低于|少于|最多|预算(?:是|为|在)?|不高于|小于|以内|≤)")
_CAP_AFTER = (r"(?:or\s+(?:less|under|below|cheaper|lower)|and\s+(?:under|below|less)|max(?:imum)?\b|tops\b|"
              r"(?:is|es|est|ist|sera|will\s+be)?\s*(?:my|the|our|mi|el|mon|ma|le|notre|mein|meine|das|unser)?\s*"
              r"(?:limit|budget|max(?:imum)?|cap|ceiling|presupuesto|limite|maximo|plafond|obergrenze|grenze)\b|"
              r"is\s+(?:all|what)\s+i\s+(?:have|got|can\s+spend)|to\s+spend|para\s+gastar|a\s+depenser|zum\s+ausgeben|"
              r"como\s+maximo|au\s+(?:plus|maximum)|hochstens|maximal|"
              r"at\s+most|at\s+the\s+most|budget|limit|o\s+menos|ou\s+moins|oder\s+weniger|maximo|maximum|"
              r"hochstens|max\.|以下|以内|之内|内|左右以内|封顶)")
_MIN_BEFORE = (r"(?:over|above|more\s+than|(?:more\s+expensive|pricier)\s+than|at\s+least|min(?:imum)?|starting\s+(?:at|from)|upwards\s+of|"
               r"no\s+less\s+than|not\s+less\s+than|greater\s+than|>=?|≥|mas\s+de|al\s+menos|como\s+minimo|minimo|"
               r"a\s+partir\s+de|desde|por\s+encima\s+de|plus\s+de|au\s+moins|minimum|a\s+partir\s+de|"
               r"au-?dessus\s+de|superieur\s+a|uber|mehr\s+als|mindestens|ab|oberhalb\s+von|"
               r"至少|高于|超过|大于|不低于|最少)")
_MIN_AFTER = (r"(?:or\s+(?:more|over|above|higher)|and\s+(?:up|over|above|higher)|\+|plus\b|minimum|min\b|"
              r"o\s+mas|ou\s+plus|et\s+plus|oder\s+mehr|und\s+mehr|以上|起)")
_RANGE_JOIN = r"(?:-|–|—|~|to|and|y|a|et|und|bis|à|到|至)"
_RANGE_OPEN = r"(?:between|from|entre|zwischen|von|de|在)?"

_START = r"(?<![a-z0-9])"  # a cue starts a word ("tops" is not in "laptops"); CJK needs no boundary
_CAP_BEFORE_RE = re.compile(rf"{_START}(?:{_CAP_BEFORE}){_FILL}$", re.IGNORECASE)
_HAVE_RE = re.compile(rf"{_START}(?:{_HAVE}){_FILL}$", re.IGNORECASE)
_NEG_MORE_RE = re.compile(rf"\b{_NEG}{_NEG_GAP}(?:\w+\s+)?{_MORE}{_FILL}$|\b{_NEG}\s*{_MORE}{_FILL}$|"
                          r"(?:不|别|没)[要能想会得用]?(?:超过|超出|高于|多于)\s*$",
                          re.IGNORECASE)
_NEG_LESS_RE = re.compile(rf"\b{_NEG}{_NEG_GAP}?{_LESS}{_FILL}$", re.IGNORECASE)
_MIN_BEFORE_RE = re.compile(rf"{_START}(?:{_MIN_BEFORE}){_FILL}$", re.IGNORECASE)
_CAP_AFTER_RE = re.compile(rf"^\s*(?:{_CAP_AFTER})", re.IGNORECASE)
_MIN_AFTER_RE = re.compile(rf"^\s*(?:{_MIN_AFTER})", re.IGNORECASE)

# ------------------------------------------------------------------ ratings and stock
_STAR = r"(?:stars?|estrellas?|etoiles?|sterne?n?|星|颗星)"
_RATING_RES = [
    re.compile(rf"(?:with\s+)?(?:at\s+least|over|above|more\s+than|min(?:imum)?(?:\s+of)?|al\s+menos|au\s+moins|"
               rf"mindestens|至少)\s*(\d(?:[.,]\d)?)\s?\+?\s?-?\s?{_STAR}", re.IGNORECASE),
    re.compile(rf"(?<![\w.])(\d(?:[.,]\d)?)\s?\+?\s?-?\s?{_STAR}(?:\s+(?:or|and)\s+(?:more|better|higher|above|up)|"
               rf"\s+(?:and\s+)?up\b|\s+plus\b|\s+o\s+mas|\s+(?:et|ou)\s+plus|\s+(?:und|oder)\s+(?:mehr|besser)|"
               rf"\s*以上)?", re.IGNORECASE),
    re.compile(r"\b(?:rated|ratings?(?:\s+of)?|rating\s+of\s+at\s+least|valorad[oa]s?|note|bewertung|评分)\s*"
               r"(?:at\s+least\s+|over\s+|above\s+|more\s+than\s+)?(\d(?:[.,]\d)?)(?![\d.])\s?"
               r"(?:\+|\s*or\s+(?:more|better|higher|above)|\s*以上)?", re.IGNORECASE),
]
_STOCK_RE = re.compile(r"\b(?:in\s+stock|available\s+now|available\s+today|ready\s+to\s+ship|en\s+stock|"
                       r"auf\s+lager|lieferbar|sofort\s+verfugbar|disponible\s+ya|"
                       r"(?<!not )(?<!un)available(?!\s+(?:in|for|on|at|to|with)\b))|有货|现货", re.IGNORECASE)


def _fold(text: str) -> str:
    """Lowercase without accents ("más" -> "mas", "über" -> "uber", "ß" -> "ss"), keeping every position."""
    out = []
    for ch in text:
        if ch == "ß":
            out.append("s")  # one character for one: spans found in the folded text cut the original
            continue
        base = unicodedata.normalize("NFKD", ch)
        kept = "".join(c for c in base if not unicodedata.combining(c)) or ch
        out.append(kept[0].lower() if len(kept) == 1 else ch.lower())
    return "".join(out)


def _words_to_digits(text: str) -> str:
    """Spell-out amounts as digits where they are money ("forty dollars", "under fifty", "五十块")."""
    def english(m: re.Match[str]) -> str:
        value = _english_number(m.group(0))
        return str(value) if value is not None and _moneyish(text, m) else text[m.start():m.end()]

    def other(m: re.Match[str]) -> str:
        return str(_WORDS_OTHER[m.group(0).lower()]) if _moneyish(text, m) else text[m.start():m.end()]

    def cjk(m: re.Match[str]) -> str:
        value = _cjk_number(m.group(0))
        return str(value) if value is not None and _moneyish(text, m) else m.group(0)

    for rx, read in ((_EN_NUMBER, english), (_OTHER_NUMBER, other), (_CJK_NUMBER, cjk)):
        folded = _fold(text)  # matched without accents ("funfzig" finds "fünfzig"), replaced in the text
        for m in reversed(list(rx.finditer(folded))):
            text = text[:m.start()] + read(m) + text[m.end():]
    return text


def _moneyish(text: str, m: re.Match[str]) -> bool:
    """A spelt number reads as money when a currency follows or a bound word comes right before it."""
    after, before = _fold(text[m.end():]), _fold(text[:m.start()])
    return bool(re.match(rf"\s*(?:{_CUR_WORD})(?![a-z])", after) or re.search(rf"{_SYMBOL}\s*$", before)
                or (_CAP_BEFORE_RE.search(before) or _MIN_BEFORE_RE.search(before))
                and not re.match(rf"\s?(?:{_UNITS})(?![a-z])", after))


@dataclass
class _Amount:
    start: int
    end: int
    value: Decimal
    currency: str | None
    marked: bool  # a currency symbol or word came with it


def _amount(m: re.Match[str]) -> _Amount | None:
    code = None
    if m.group("word"):
        code = _CURRENCY_WORDS[m.group("word").lower()]
    symbol = m.group("pre") or m.group("sym")
    try:
        amount, parsed_code = parse_money(f"{symbol or ''}{m.group('num')}{' ' + code if code else ''}")
    except MoneyError:
        return None
    value = Decimal(str(amount)) * (1000 if m.group("k") and m.group("k").strip() else 1)
    currency = parsed_code if (symbol or code) else None
    if symbol in ("¥", "￥") and re.search(r"[\u4e00-\u9fff]", m.string):
        currency = "CNY"  # in a Chinese line "¥" is the yuan
    return _Amount(m.start(), m.end(), value, currency, bool(symbol or code))


def _find_amounts(folded: str, taken: list[tuple[int, int]]) -> list[_Amount]:
    found = []
    for m in _MONEY.finditer(folded):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if re.search(r"[\w.]$", folded[:m.start()]) and not m.group("pre") and not re.search(
                r"(?:sub-?|[\u4e00-\u9fff])$", folded[:m.start()]):
            continue  # "iphone15", "p0042": part of a word or id
        a = _amount(m)
        if a is not None:
            found.append(a)
    return found


def _clause_before(folded: str, start: int) -> str:
    """The text before `start` back to the last clause break, so a cue in another clause does not count."""
    head = folded[:start]
    cut = max(head.rfind(c) for c in ".;!?,，。；")
    return head[cut + 1:] if cut >= 0 and not re.search(r"\d$", head[:cut]) else head


def parse_constraints(text: str) -> Constraints:
    """Read price bounds (exact, with currency), a minimum rating and a stock wish out of `text`."""
    line = _words_to_digits(text)
    folded = _fold(line)
    spans: list[tuple[int, int]] = []
    said: dict[str, str] = {}
    min_rating = None
    for rx in _RATING_RES:
        m = rx.search(folded)
        if m and 0 < float(m.group(1).replace(",", ".")) <= 5:
            min_rating = float(m.group(1).replace(",", "."))
            spans.append(m.span())
            said["min_rating"] = line[m.start():m.end()].strip()
            break
    in_stock = None
    m = _STOCK_RE.search(folded)
    if m:
        in_stock = True
        spans.append(m.span())

    amounts = _find_amounts(folded, spans)
    bounds: dict[str, tuple[_Amount, int, int]] = {}
    # Ranges: two amounts joined by "-", "to", "and" …; one of them (or "between") must say it is money.
    for a, b in zip(amounts, amounts[1:]):
        gap = folded[a.end:b.start]
        before = _clause_before(folded, a.start)
        opener = re.search(rf"{_RANGE_OPEN}\s*$", before)
        if re.fullmatch(rf"\s*{_RANGE_JOIN}\s*", gap, re.IGNORECASE) and (
                a.marked or b.marked or re.search(r"(?:between|entre|zwischen)\s*$", before)
                and not re.search(r"\b(?:size|sizes|sized|ages?|aged|talla|taille|grosse|number)\b(?:\s+\w+)?\s+\w+\s*$",
                                  before)):
            low, high = sorted((a, b), key=lambda x: x.value)
            start = opener.start() if opener and opener.group(0).strip() else a.start
            after = _CAP_AFTER_RE.match(folded[b.end:]) or _MIN_AFTER_RE.match(folded[b.end:])
            end = b.end + (after.end() if after and re.match(r"\s*(?:以[下内]|之内|元)", folded[b.end:]) else 0)
            bounds["min_price"], bounds["max_price"] = (low, start, end), (high, start, end)
            break
    for a in amounts:
        if any(a is bound[0] for bound in bounds.values()):
            continue
        before = _clause_before(folded, a.start)
        after = folded[a.end:]
        kind, start, end = None, a.start, a.end
        neg_more = _NEG_MORE_RE.search(before)
        neg_less = _NEG_LESS_RE.search(before)
        cap_b, min_b = _CAP_BEFORE_RE.search(before), _MIN_BEFORE_RE.search(before)
        cap_a, min_a = _CAP_AFTER_RE.match(after), _MIN_AFTER_RE.match(after)
        if neg_more:  # "won't pay more than $40", "nothing over 80": a cap, never a floor
            kind, start = "max_price", a.start - len(before) + neg_more.start()
        elif neg_less and not cap_a:  # "not less than $80", "nothing under 20 dollars"
            kind, start = "min_price", a.start - len(before) + neg_less.start()
        elif cap_a and not min_b:
            kind, end = "max_price", a.end + cap_a.end()
            if cap_b:
                start = a.start - len(before) + cap_b.start()
        elif min_a and not cap_b:
            kind, end = "min_price", a.end + min_a.end()
            if min_b:
                start = a.start - len(before) + min_b.start()
        elif cap_b and (not min_b or cap_b.start() > min_b.start() or len(cap_b.group(0)) > len(min_b.group(0))):
            kind, start = "max_price", a.start - len(before) + cap_b.start()
        elif min_b:
            kind, start = "min_price", a.start - len(before) + min_b.start()
        if kind is None:
            continue
        if not a.marked and not (cap_b or min_b or neg_more or neg_less):
            continue  # "16 max" is not money unless something says it is
        have = _HAVE_RE.search(before)
        if not a.marked and kind == "max_price" and have and cap_b and have.start() <= cap_b.start():
            continue  # "can I have 10 of them": having is about money only when the amount says so
        if kind not in bounds:
            bounds[kind] = (a, start, end)
    money = [a for a in amounts if a.marked or any(a is b[0] for b in bounds.values())]
    for key, (a, s, e) in bounds.items():
        spans.append((s, e))
        said[key] = line[s:e].strip()
    low, high = bounds.get("min_price"), bounds.get("max_price")
    max_price = high[0].value if high else None
    min_price = low[0].value if low else None
    if max_price is not None and min_price is not None and min_price > max_price:
        min_price, max_price = max_price, min_price
    currency = next((b[0].currency for b in (high, low) if b and b[0].currency), None)
    rest = _cut(line, spans)
    return Constraints(rest=rest, max_price=max_price, min_price=min_price, currency=currency,
                       min_rating=min_rating, in_stock=in_stock, amounts=tuple(a.value for a in money), said=said)


def _cut(line: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for s, e in sorted(set(spans)):
        if s < last:
            s = last
        out.append(line[last:s])
        out.append(" ")
        last = max(last, e)
    out.append(line[last:])
    return re.sub(r"\s+", " ", "".join(out)).strip()
