"""Tone and length of product copy: the words shoppers use for them, and what write_description does with them.

Tone is open: the five styles in prompts/description_templates.yaml (`tones:`) have their own prompt line and
template sentences, and their aliases ("luxury" → premium) borrow them; any other tone word ("snarky") is passed
to the model as asked, with the neutral templates as the fallback. Length is one of short, medium, long.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import Field

from tools.resources import load_prompt_yaml

__all__ = ["LENGTHS", "TONES", "Length", "Tone", "find_length", "find_tone", "template_style",
           "tone_instruction"]

TEMPLATES = "description_templates.yaml"

Tone = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z -]{0,29}$",
                            description="neutral, casual, playful, premium, technical, or another tone word")]
Length = Literal["short", "medium", "long"]
LENGTHS: tuple[str, ...] = ("short", "medium", "long")

_LENGTH_WORDS = {
    "short": "short shortish brief concise quick snappy succinct compact tiny",
    "medium": "medium moderate standard normal mid-length regular",
    "long": "long longer lengthy detailed in-depth thorough extended comprehensive elaborate full",
}
LENGTH_OF = {w: length for length, words in _LENGTH_WORDS.items() for w in words.split()}
_COPY = r"(?:product\s+)?(?:description|desc|copy|blurb|write-?up|text|version|paragraph|one|listing|length)"
_SKIP = r"(?:\s*,?\s*(?:and\s+)?[a-z-]+){0,2}\s*,?\s*"  # "short, technical description": two words between
_WORD = r"([a-z][a-z-]*)"
_LENGTH_RE = "|".join(sorted(map(re.escape, LENGTH_OF), key=len, reverse=True))
_LENGTH_PATTERNS = [
    re.compile(rf"(?i)\b({_LENGTH_RE})\b{_SKIP}\b{_COPY}\b"),
    re.compile(rf"(?i)\b(?:keep|make)\s+(?:it|this|them)\s+(?:nice\s+and\s+|really\s+|very\s+|fairly\s+|quite\s+|"
               rf"super\s+|pretty\s+|a\s+bit\s+)?({_LENGTH_RE})\b"),
    re.compile(rf"(?i)(?:,|\band)\s*({_LENGTH_RE})\s*(?:please|pls)?\s*[.!]?\s*$"),
]
_ONE_LINER = re.compile(r"(?i)\bone[- ]liner\b|\bone\s+(?:line|sentence)\b|\b(?:a\s+)?(?:sentence|line)\s+or\s+two\b|"
                        r"\b(?:a\s+)?couple\s+(?:of\s+)?(?:sentences|lines)\b|\bshort\s+and\s+sweet\b")
# "casual tone", "in a luxury style", "with a fun vibe": the word before one of these is the tone.
_TONE_NOUN = re.compile(rf"(?i)\b{_WORD}\s+(?:tone|style|voice|vibe|register)\b")
_NOT_TONE = frozenset("a an the same this that my your our its their brand house usual different other new "
                      "any some writing it its i you he she they we what which".split())


@lru_cache(maxsize=1)
def _tones() -> dict[str, list[str]]:
    return {name: [name, *spec.get("aliases", [])] for name, spec in load_prompt_yaml(TEMPLATES)["tones"].items()}


@lru_cache(maxsize=1)
def _style_of() -> dict[str, str]:
    return {alias: name for name, aliases in _tones().items() for alias in aliases}


@lru_cache(maxsize=1)
def _tone_patterns() -> list[re.Pattern[str]]:
    """"make it fun", "a luxury description", "in a friendly way": a known tone word in a request's shapes."""
    words = "|".join(sorted(map(re.escape, _style_of()), key=len, reverse=True))
    return [re.compile(rf"(?i)\b(?:make|keep)\s+(?:it|this|them)\s+(?:more\s+|really\s+|very\s+|a\s+bit\s+)?"
                       rf"({words})\b"),
            re.compile(rf"(?i)\b({words})\b{_SKIP}\b{_COPY}\b"),
            re.compile(rf"(?i)\bin\s+an?\s+({words})\s+(?:way|manner)\b")]


TONES: tuple[str, ...] = tuple(_tones())


def template_style(tone: str) -> str:
    """The template set and prompt line a tone uses: itself, the style it is an alias of, or neutral."""
    return _style_of().get(tone.strip().lower(), "neutral")


def tone_instruction(tone: str) -> str:
    """The writing prompt's tone line: the style's own for the five styles, the shopper's word otherwise."""
    word = tone.strip().lower()
    prompts: dict[str, Any] = load_prompt_yaml(TEMPLATES)["prompts"]
    if word in _style_of():
        return prompts[template_style(word)]
    return f"Write in a {word} tone, but stay factual."


def find_tone(text: str) -> str | None:
    """The tone a request names ("casual tone", "make it playful", "a luxury description"), as written."""
    for m in _TONE_NOUN.finditer(text):
        word = m.group(1).lower()
        if word not in _NOT_TONE and word not in LENGTH_OF:
            return word
    m = next((m for m in (p.search(text) for p in _tone_patterns()) if m), None)
    return m.group(1).lower() if m else None


def find_length(text: str) -> Length | None:
    """short / medium / long when a request asks for it ("keep it brief", "a detailed description")."""
    if _ONE_LINER.search(text):
        return "short"
    for pattern in _LENGTH_PATTERNS:
        m = pattern.search(text)
        if m:
            return LENGTH_OF[m.group(1).lower()]  # type: ignore[return-value]
    return None
