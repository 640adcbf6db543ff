"""Tool calls written as text by models with a native tool template (Qwen/Hermes, Llama 3.x), parsed back out."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

__all__ = ["ParsedCall", "ToolTextParser", "parse_tool_calls"]

_OPEN, _CLOSE = "<tool_call>", "</tool_call>"
_PYTHON_TAG = "<|python_tag|>"
_MARKERS = (_OPEN, _PYTHON_TAG)
_HERMES_BLOCK = re.compile(re.escape(_OPEN) + r"(.*?)(?:" + re.escape(_CLOSE) + r"|\Z)", re.DOTALL)
_NAME = re.compile(r'"name"\s*:\s*"([^"]*)"')
_ARGS = re.compile(r'"(?:arguments|parameters)"\s*:\s*(.*?)\s*\}?\s*\Z', re.DOTALL)


@dataclass
class ParsedCall:
    name: str
    arguments: str  # JSON text, or the model's raw text when it did not write valid JSON


def parse_tool_calls(text: str) -> tuple[str, list[ParsedCall]]:
    """Split a whole completion into (plain text, tool calls); text without a recognised call comes back as is."""
    if _OPEN in text:
        calls = [_hermes_call(m.group(1)) for m in _HERMES_BLOCK.finditer(text)]
        return _HERMES_BLOCK.sub("", text).strip(), calls
    stripped = text.strip()
    if stripped.startswith(_PYTHON_TAG):
        stripped = stripped[len(_PYTHON_TAG):].strip()
    elif _PYTHON_TAG in stripped:  # text first, then the call (Llama 3.1 may do this)
        before, _, after = stripped.partition(_PYTHON_TAG)
        _, calls = parse_tool_calls(_PYTHON_TAG + after)
        return (before.strip(), calls) if calls else (text, [])
    calls = _llama_calls(stripped)
    return ("", calls) if calls else (text, [])


def _hermes_call(body: str) -> ParsedCall:
    body = body.strip()
    try:
        obj = json.loads(body)
    except ValueError:
        obj = None
    if isinstance(obj, dict) and isinstance(obj.get("name"), str):
        return ParsedCall(obj["name"], _arguments_text(obj.get("arguments", obj.get("parameters", {}))))
    # Broken JSON: keep what the model wrote so the loop can show it the parse error and let it retry.
    name = _NAME.search(body)
    args = _ARGS.search(body)
    return ParsedCall(name.group(1) if name else "", args.group(1) if args else body)


def _llama_calls(text: str) -> list[ParsedCall]:
    """One or more `{"name": …, "parameters": {…}}` objects (separated by `;` or whitespace), and nothing else."""
    decoder, pos, calls = json.JSONDecoder(), 0, []
    while pos < len(text):
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except ValueError:
            return []
        if not (isinstance(obj, dict) and isinstance(obj.get("name"), str)
                and ("parameters" in obj or "arguments" in obj)):
            return []
        calls.append(ParsedCall(obj["name"], _arguments_text(obj.get("parameters", obj.get("arguments")))))
        while pos < len(text) and text[pos] in " \t\r\n;":
            pos += 1
    return calls


def _arguments_text(args: object) -> str:
    if isinstance(args, str):  # some models double-encode the arguments
        return args
    return json.dumps(args if args is not None else {}, ensure_ascii=False)


class ToolTextParser:
    """Streams plain text through while holding back anything that may be the start of a tool call."""

    def __init__(self) -> None:
        self._buf = ""
        self._sent = 0  # characters of _buf already released as text
        self._holding = False  # a call has (probably) started: keep everything until close()

    def feed(self, delta: str) -> str:
        """Add generated text; return the part that is safe to show now."""
        self._buf += delta
        if self._holding:
            return ""
        pending = self._buf[self._sent:]
        if self._sent == 0:
            head = pending.lstrip()
            if not head:
                return ""
            # Llama 3.x writes a call as the whole message: a leading "{" (or the python tag) may be one.
            if head[0] == "{" or head.startswith(_PYTHON_TAG):
                self._holding = True
                return ""
            if _PYTHON_TAG.startswith(head):  # not yet known: wait for more
                return ""
        cut = min((i for i in (pending.find(m) for m in _MARKERS) if i >= 0), default=-1)
        if cut >= 0:
            self._holding = True
        else:
            cut = len(pending) - _partial_marker_len(pending)
        self._sent += cut
        return pending[:cut]

    def close(self) -> tuple[str, list[ParsedCall]]:
        """End of the completion: the held-back text that was not a call, and the calls."""
        rest = self._buf[self._sent:]
        if not self._holding:
            return rest, []
        text, calls = parse_tool_calls(rest)
        if not calls:
            return rest, []
        return text, calls


def _partial_marker_len(text: str) -> int:
    """Length of the longest suffix of `text` that is a proper prefix of a marker."""
    best = 0
    for marker in _MARKERS:
        for n in range(min(len(marker) - 1, len(text)), best, -1):
            if text.endswith(marker[:n]):
                best = n
                break
    return best
