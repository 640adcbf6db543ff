"""A shipping address and a shipping speed read from a shopper's line, for the small-model preparer.

"Check out please. Ship it standard to 1 Elm St, Springfield, IL 62704, US." gives street "1 Elm St", city
"Springfield", region "IL", postal code "62704", country "US" and the option "standard". A 270M model copying
five address parts into five arguments drops or swaps some; read here, they are pinned in the grammar.

Only what is written is read: no country is assumed from a ZIP-like number, and a line without a street that
starts with a house number, a city and a country gives no address at all (then the model, or the tool's own
error, asks for it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ShippingWords", "read_shipping"]

# Where the address starts: "ship (it) (standard) to", "deliver to", "send it to", "address is", "address:".
_CUE = re.compile(r"(?i)\b(?:ship(?:ped|ping)?|deliver(?:ed|y)?|send|mail|post)\b(?:\s+(?:it|them|this|that|"
                  r"everything|the\s+order|my\s+order|the\s+package|standard|express|overnight|priority|economy|"
                  r"next[- ]day|please|by|via|with|shipping|delivery))*\s+to\s+|"
                  r"\b(?:my\s+)?(?:shipping\s+|delivery\s+)?address\s*(?:is|:|=)\s*")
_SPEED = re.compile(r"(?i)\b(standard|express|overnight|priority|economy|next[- ]day)\b(?=\s+(?:shipping|delivery|"
                    r"post|mail|to\b))|\b(?:ship(?:ping)?|deliver(?:y)?|send)\s+(?:it\s+|them\s+)?(?:by\s+|via\s+)?"
                    r"(standard|express|overnight|priority|economy|next[- ]day)\b")
_STREET = re.compile(r"^\d+[A-Za-z]?(?:[-/]\d+)?\s+\S.*$|^\S.*\s\d+[A-Za-z]?$")  # "1 Elm St", "Hauptstr. 5"
# The last parts: "IL 62704", "62704", "SW1A 2AA", "75001 Paris" (a European postcode before the city).
_REGION_POSTAL = re.compile(r"^(?P<region>[A-Za-z]{2,3})\s+(?P<postal>\d{4,5}(?:-\d{4})?)$")
_POSTAL = re.compile(r"^(?P<postal>\d{4,6}(?:-\d{4})?|[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2})$")
_POSTAL_CITY = re.compile(r"^(?P<postal>\d{4,6})\s+(?P<city>[^\d,]{2,})$")
_CITY_REGION_POSTAL = re.compile(r"^(?P<city>[^\d,]{2,}?)\s+(?P<region>[A-Z]{2})\s+(?P<postal>\d{5}(?:-\d{4})?)$")
_COUNTRIES = {
    "us": "US", "usa": "US", "u.s": "US", "u.s.a": "US", "united states": "US", "united states of america": "US",
    "america": "US", "uk": "GB", "u.k": "GB", "gb": "GB", "united kingdom": "GB", "great britain": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "canada": "CA", "ca": "CA", "germany": "DE", "deutschland": "DE",
    "de": "DE", "france": "FR", "fr": "FR", "spain": "ES", "españa": "ES", "es": "ES", "italy": "IT", "it": "IT",
    "netherlands": "NL", "nl": "NL", "australia": "AU", "au": "AU", "ireland": "IE", "ie": "IE", "mexico": "MX",
    "mx": "MX", "japan": "JP", "jp": "JP", "china": "CN", "cn": "CN", "austria": "AT", "at": "AT",
    "switzerland": "CH", "ch": "CH", "belgium": "BE", "be": "BE", "portugal": "PT", "pt": "PT", "sweden": "SE",
    "se": "SE", "denmark": "DK", "dk": "DK", "norway": "NO", "no": "NO", "poland": "PL", "pl": "PL",
    "new zealand": "NZ", "nz": "NZ", "india": "IN", "in": "IN", "brazil": "BR", "br": "BR",
}
_TRAILING = re.compile(r"(?i)[\s.!?;]*(?:\b(?:please|pls|thanks|thank\s+you|and\s+.*|then\s+.*)\b.*)?$")


@dataclass(frozen=True)
class ShippingWords:
    """What a line says about shipping: the address parts found (a street and a city at least, else none) and a
    speed ("standard", "express", … as written, lower case)."""

    street_address: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    speed: str | None = None

    @property
    def has_address(self) -> bool:
        return bool(self.street_address and self.city and self.country)


def read_shipping(text: str) -> ShippingWords:
    """The address and speed a line states (see ShippingWords); empty when it states neither."""
    if len(text) > 2000:
        text = text[:2000]
    speed = _SPEED.search(text)
    said = (speed.group(1) or speed.group(2)).lower().replace(" ", "-") if speed else None
    cue = _CUE.search(text)
    if cue is None:
        return ShippingWords(speed=said)
    return _address(text[cue.end():], said)


_ABBREVIATION = frozenset("st str rd ave av dr blvd ln ct pl sq hwy apt no nr bldg ste".split())


def _sentence(text: str) -> str:
    """The text up to the end of its sentence; the period of "St." or "Hauptstr." does not end one."""
    for m in re.finditer(r"[.!?]+(?=\s|$)|\n", text):
        word = re.search(r"([A-Za-z]+)$", text[: m.start()])
        if m.group() == "." and word is not None and (word.group(1).lower() in _ABBREVIATION or
                                                      word.group(1).lower().endswith("str") or len(word.group(1)) == 1):
            continue
        return text[: m.start()]
    return text


def _address(rest: str, speed: str | None) -> ShippingWords:
    body = _sentence(rest)
    body = _TRAILING.sub("", body.strip()).strip(" ,.")
    parts = [p.strip(" .") for p in body.split(",") if p.strip(" .")]
    if len(parts) < 2 or not _STREET.match(parts[0]):
        return ShippingWords(speed=speed)
    street, rest_parts = parts[0], parts[1:]
    country = _COUNTRIES.get(rest_parts[-1].lower()) if len(rest_parts) > 1 else None
    if country is None and len(rest_parts) > 1 and re.fullmatch(r"[A-Z]{2}", rest_parts[-1]) and \
            not _REGION_POSTAL.match(rest_parts[-1]):
        country = rest_parts[-1]  # an ISO code written as one ("DE"), where no region is left to be confused
    if country is not None:
        rest_parts = rest_parts[:-1]
    city = region = postal = None
    for part in rest_parts:
        if m := _CITY_REGION_POSTAL.match(part):
            city, region, postal = m["city"], m["region"], m["postal"]
        elif m := _REGION_POSTAL.match(part):
            region, postal = m["region"], m["postal"]
        elif m := _POSTAL_CITY.match(part):
            postal, city = m["postal"], m["city"]
        elif m := _POSTAL.match(part):
            postal = m["postal"].upper()
        elif city is None and not any(ch.isdigit() for ch in part):
            city = part
        elif region is None and not any(ch.isdigit() for ch in part):
            region = part
        else:
            return ShippingWords(speed=speed)  # a part of no shape we know: not read rather than misread
    if city is None:  # without a country the parts are still kept: the tool then asks for the country
        return ShippingWords(speed=speed)
    return ShippingWords(street, city, region, postal, country, speed)
