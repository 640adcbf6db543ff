"""Replies written by code for small models on the grammar protocol: the result told by its tool's presenter,
a decline that names what the assistant can do, a short answer to small talk.

A 270M model retelling a result gets ids, prices and even the speaker wrong; the presenter builds the reply
from the same data the summary line uses, so every title, price, rating and id in it is from a result.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Mapping

from agent.models.prepare import ToolAid
from tools.digest import _item

__all__ = ["CAN_DO", "compose_reply", "names_no_kind"]

CAN_DO = ("I can find products, show their details and reviews, compare them, recommend items and manage "
          "your cart.")
_GREETING = re.compile(r"(?i)^\W*(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)|howdy)\b")
_THANKS = re.compile(r"(?i)\b(?:thanks|thank\s+you|cheers|great|perfect|cool|awesome)\b")
_BYE = re.compile(r"(?i)\b(?:bye|goodbye|see\s+you|that'?s\s+all|forget\s+it|never\s*mind)\b")
# A need stated without what it is ("I need a gift"): ask, rather than decline.
_VAGUE_NEED = re.compile(r"(?i)\b(?:gift|present|something|anything|buy|need|want|looking\s+for|shopping|"
                         r"recommend|suggest|best\s+one|get\s+me)\b")


# Words that say who a thing is for, the occasion, or how good it should be, but not what kind of thing it is.
_NO_KIND = frozenset("""
gift gifts present presents something anything stuff thing things item items product products idea ideas best
one ones nice good great cool special perfect lovely fun useful for to my me a an the some him her them his
their dad mom mum father mother wife husband son daughter friend friends boyfriend girlfriend kid kids child
children baby grandma grandpa grandmother grandfather parents family birthday christmas anniversary occasion
holiday someone somebody new buy get find want need please really very
""".split())


def names_no_kind(phrase: str) -> bool:
    """Whether the shopper's search words name no kind of product ("a gift", "something nice", "a present for
    my dad's birthday"): then the assistant asks what they have in mind instead of searching the words."""
    words = re.findall(r"[a-z]+", phrase.lower())
    return bool(words) and all(w in _NO_KIND or len(w) <= 2 for w in words)


def compose_reply(messages: list[dict[str, Any]], aids: Mapping[str, ToolAid], read: Callable[[str], Any],
                  reference: Callable[[list[dict[str, Any]]], Any]) -> str | None:
    """The reply for the turn so far, or None to let the model write it."""
    start = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=None)
    if start is None:
        return None
    question = _content(messages[start])
    names = {tc.get("id"): tc["function"]["name"] for m in messages[start:] if m.get("role") == "assistant"
             for tc in m.get("tool_calls") or []}
    results = [(names.get(m.get("tool_call_id")), _content(m)) for m in messages[start:] if m.get("role") == "tool"]
    if not results:
        return _without_tool(question, messages, read, reference)
    tool, content = results[-1]
    try:
        data = json.loads(content)
    except ValueError:
        return _failure(content)
    aid = aids.get(tool or "")
    if aid is None or not isinstance(data, dict):
        return None
    try:
        if aid.present is not None:
            text = aid.present(data, question)
        elif aid.summarize is not None:
            text = aid.summarize(data)
        else:
            return None
    except (KeyError, TypeError, ValueError, AttributeError):  # a result of another shape: the model writes
        return None
    return " ".join(text.split()) or None


def _without_tool(question: str, messages: list[dict[str, Any]], read: Callable[[str], Any],
                  reference: Callable[[list[dict[str, Any]]], Any]) -> str | None:
    words = len(question.split())
    if _GREETING.search(question) and words <= 6:
        return "Hello! What are you shopping for today?"
    if _BYE.search(question) and words <= 6:
        return "Okay! Come back any time you need something."
    if _THANKS.search(question) and words <= 6:
        return "You're welcome! Is there anything else I can find for you?"
    ref = reference(messages)
    if ref is not None and ref.how == "superlative":  # "which of those is the cheapest?": the shown data says
        from tools.references import shown_items

        item = shown_items(messages).items.get(ref.ids[0])
        if item is not None:
            return f"Of those, that is {_item(item)}."
    if read(question).vague:
        return "Happy to help! What kind of product are you looking for, and do you have a budget in mind?"
    if read(question).likely not in (None, "none"):
        return None  # a tool was likely but the model chose none (a question back): its words, guarded
    if _VAGUE_NEED.search(question):
        return "Happy to help! What kind of product are you looking for, and do you have a budget in mind?"
    return f"Sorry, that is outside what I can help with here. {CAN_DO} What are you shopping for?"


def _failure(content: str) -> str:
    """A failed or declined call, said plainly (the tool's own message, first sentence)."""
    if content.startswith("The user declined"):
        return "Okay, I did not do that. Is there anything else I can help with?"
    if content.startswith("Not run"):
        return "That did not run. Please ask again."
    message = content.split(" failed: ", 1)[-1] if " failed: " in content else content
    first = re.split(r"(?<=[.!?])\s", message.strip(), maxsplit=1)[0]
    return f"Sorry, {first[:1].lower()}{first[1:]}" if first else "Sorry, that did not work."


def _content(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return str(content or "")
