"""Model backends behind one protocol: local GGUF (llama.cpp), any OpenAI-compatible endpoint, scripted."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.models.base import (ContextOverflow, Model, ModelChunk, ModelError, ModelTimeout, ModelUnavailable,
                               TextDelta, ToolCall, Usage)
from agent.models.prepare import StepPlan, StepPreparer, ToolAid
from agent.models.scripted import ScriptedModel, ScriptExhausted
from agent.safety import redact_url

__all__ = [
    "ContextOverflow", "Model", "ModelChunk", "ModelError", "ModelSettings", "ModelTimeout", "ModelUnavailable",
    "ScriptExhausted", "ScriptedModel", "StepPlan", "StepPreparer", "TextDelta", "ToolAid", "ToolCall", "Usage",
    "load_model",
]


@dataclass
class ModelSettings:
    """Which model to drive and how; one object instead of keyword arguments passed through layers."""

    model: str | None = None  # a .gguf path, or the model name on an OpenAI-compatible endpoint
    base_url: str | None = None
    api_key: str | None = None
    scripted: str | None = None  # a JSON file of scripted turns (tests, demos)
    n_gpu_layers: int | None = None
    n_ctx: int = 8192
    n_threads: int | None = None
    tool_protocol: str = "auto"  # native | grammar | auto
    timeout: float = 120.0
    max_retries: int = 2
    temperature: float | None = None
    # For the grammar protocol only (small local models): worked examples, the document's header template,
    # and the application's step preparer (agent/models/prepare.py). Native and OpenAI protocols ignore them.
    few_shot: list[dict[str, Any]] = field(default_factory=list)
    grammar_header: str | None = None
    preparer: StepPreparer | None = None
    cache_dir: Path | None = None  # where the embedded model is assembled (the application's choice)

    def describe(self) -> str:
        if self.scripted:
            return f"scripted:{self.scripted}"
        if self.base_url:  # shown on screen and stored (sessions, eval reports): never with credentials
            return f"{self.model}@{redact_url(self.base_url)}"
        if self.model:
            return self.model
        from agent.models.embedded import EMBEDDED_NAME

        return f"embedded {EMBEDDED_NAME}"


def load_model(settings: ModelSettings) -> Model:
    """Build the backend the settings name; with nothing named, the embedded default GGUF."""
    if settings.scripted:
        return ScriptedModel.from_file(settings.scripted)
    if settings.base_url:
        from agent.models.openai_compat import OpenAIModel

        if not settings.model:
            raise ValueError("--base-url needs --model NAME (the model name the endpoint serves)")
        return OpenAIModel(settings.model, settings.base_url, settings.api_key, timeout=settings.timeout,
                           max_retries=settings.max_retries, context_window=settings.n_ctx,
                           temperature=settings.temperature)
    from agent.models.llama import LlamaCppModel

    path = settings.model
    if path is None:
        from agent.models.embedded import embedded_model_path

        path = str(embedded_model_path(settings.cache_dir))
    kwargs: dict[str, Any] = {}
    if settings.temperature is not None:
        kwargs["temperature"] = settings.temperature
    return LlamaCppModel(path, n_ctx=settings.n_ctx, n_gpu_layers=settings.n_gpu_layers,
                         n_threads=settings.n_threads, tool_protocol=settings.tool_protocol,
                         few_shot=settings.few_shot, preparer=settings.preparer,
                         grammar_header=settings.grammar_header,
                         state_dir=settings.cache_dir / "kv-states" if settings.cache_dir else None, **kwargs)
