"""Any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp server, Ollama, LM Studio…)."""

from __future__ import annotations

import json
import os
from typing import Any, Iterator

import openai

from agent.safety import redact_url
from agent.models.base import (ContextOverflow, ModelChunk, ModelError, ModelTimeout, ModelUnavailable, TextDelta,
                               ToolCall, Usage, approx_tokens)

__all__ = ["OpenAIModel"]

# Structured markers servers use for "prompt too long": OpenAI and llama-cpp-python's code, llama.cpp's type.
_OVERFLOW_MARKERS = {"context_length_exceeded", "exceed_context_size_error", "context_window_exceeded"}
# vLLM and some others only say it in the error body's message.
_OVERFLOW_PHRASES = ("maximum context length", "context window", "context length")


class OpenAIModel:
    """Streams one step through the `openai` SDK; retries and timeouts are the SDK's own."""

    def __init__(self, model: str, base_url: str | None = None, api_key: str | None = None, *,
                 timeout: float = 60.0, max_retries: int = 2, context_window: int = 8192,
                 tool_choice: Any = None, temperature: float | None = None, max_tokens: int | None = None) -> None:
        self.name = model
        self.context_window = context_window
        self.tool_choice = tool_choice
        self.temperature = temperature
        self.max_tokens = max_tokens
        # Local servers ignore the key but the SDK insists on one.
        key = api_key or os.environ.get("OPENAI_API_KEY") or "sk-no-key"
        self.client = openai.OpenAI(api_key=key, base_url=base_url, timeout=timeout, max_retries=max_retries)
        self._stream_options = True  # switched off for servers that reject `stream_options`

    @property
    def base_url(self) -> str:
        """The endpoint as errors quote it: without userinfo or key-like query parameters."""
        return redact_url(str(self.client.base_url))

    def count_tokens(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> int:
        # the endpoint is sent the tool specs with every request: they take room in its window too
        return approx_tokens(messages) + (approx_tokens([{"role": "tools", "content": tools}]) if tools else 0)

    def stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Iterator[ModelChunk]:
        try:
            yield from self._stream(messages, tools)
        except openai.APITimeoutError as e:
            raise ModelTimeout(f"{self.name} at {self.base_url} did not answer in time ({e})") from e
        except openai.APIConnectionError as e:
            raise ModelUnavailable(f"cannot reach model server at {self.base_url}: {e}") from e
        except openai.APIStatusError as e:
            if _is_overflow(e):
                raise ContextOverflow(f"{self.name}: the conversation is longer than its context window "
                                      f"({_error_message(e)})") from e
            raise ModelError(f"{self.name} at {self.base_url} answered HTTP {e.status_code}: "
                             f"{_error_message(e)}") from e
        except openai.OpenAIError as e:  # e.g. an error event in the middle of a stream
            raise ModelError(f"{self.name} at {self.base_url} failed: {e}") from e

    def _stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Iterator[ModelChunk]:
        request: dict[str, Any] = {"model": self.name, "messages": messages, "stream": True}
        if tools:
            request["tools"] = tools
            if self.tool_choice is not None:
                request["tool_choice"] = self.tool_choice
        if self.temperature is not None:
            request["temperature"] = self.temperature
        if self.max_tokens is not None:
            request["max_tokens"] = self.max_tokens
        if self._stream_options:
            try:
                response = self.client.chat.completions.create(**request, stream_options={"include_usage": True})
            except (openai.BadRequestError, openai.UnprocessableEntityError) as e:
                if "stream_options" not in json.dumps(e.body, default=str):
                    raise
                self._stream_options = False
                response = self.client.chat.completions.create(**request)
        else:
            response = self.client.chat.completions.create(**request)

        calls: dict[int, dict[str, str]] = {}
        usage: Usage | None = None
        said = finished = False
        with response:
            for chunk in response:
                if chunk.usage is not None:
                    usage = _usage(chunk.usage)
                for choice in chunk.choices or []:
                    finished = finished or choice.finish_reason is not None
                    delta = choice.delta
                    if delta is None:
                        continue
                    if delta.content:
                        said = True
                        yield TextDelta(delta.content)
                    for tc in delta.tool_calls or []:
                        # Deltas of one call share an index; arguments come in pieces. The id and name should
                        # come once, but some servers (llama-cpp-python) repeat the name in every delta.
                        slot = calls.setdefault(tc.index if tc.index is not None else len(calls),
                                                {"id": "", "name": "", "arguments": ""})
                        slot["id"] = slot["id"] or (tc.id or "")
                        if tc.function is not None:
                            name = tc.function.name or ""
                            if name != slot["name"]:
                                slot["name"] += name
                            slot["arguments"] += tc.function.arguments or ""
        if not (said or calls or finished):
            # llama-cpp-python answers 200 with an empty stream when the prompt does not fit its context.
            raise ModelError(f"{self.name} at {self.base_url} closed the stream without an answer "
                             "(is the conversation longer than the server's context window?)")
        for n, index in enumerate(sorted(calls), start=1):
            call = calls[index]
            yield ToolCall(call["id"] or f"call_{n}", call["name"], call["arguments"] or "{}")
        if usage is not None:
            yield usage


def _usage(u: Any) -> Usage:
    details = getattr(u, "prompt_tokens_details", None)
    return Usage(prompt_tokens=u.prompt_tokens or 0, completion_tokens=u.completion_tokens or 0,
                 cached_tokens=(getattr(details, "cached_tokens", None) or 0) if details else 0)


def _is_overflow(e: openai.APIStatusError) -> bool:
    if e.status_code not in (400, 413, 422):
        return False
    if e.code in _OVERFLOW_MARKERS or getattr(e, "type", None) in _OVERFLOW_MARKERS:
        return True
    message = _error_message(e).lower()
    return any(p in message for p in _OVERFLOW_PHRASES)


def _error_message(e: openai.APIStatusError) -> str:
    body = e.body
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return body["message"]
    return e.message
