"""LlamaCppModel on the real embedded GGUF: the grammar protocol, prefix reuse, and the native template path."""

from __future__ import annotations

import json
import shutil
import struct
import time
from pathlib import Path
from typing import Any

import pytest

from tools import app
from agent.models.base import ContextOverflow, ModelError, TextDelta, ToolCall, Usage
from agent.models.grammar import decision_gbnf
from agent.models.prepare import StepPlan
from agent.tools import tool
from test_grammar import EARBUDS, FEW_SHOT, SPECS, SYSTEM, add_lines, get_product, search_catalog


TOOLS = {t.name: t for t in (search_catalog, get_product)}  # the grammar tests' tools and examples, shared

QWEN_TEMPLATE = """{%- if tools %}
{{- '<|im_start|>system\\n' }}{% if messages[0]['role'] == 'system' %}{{- messages[0]['content'] }}{% endif %}
{{- "\\n\\n# Tools\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
{%- for tool in tools %}{{- "\\n" }}{{- tool | tojson }}{%- endfor %}
{{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
{%- elif messages[0]['role'] == 'system' %}{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
{%- endif %}
{%- for message in messages %}
{%- if message.role == "user" or (message.role == "assistant" and not message.tool_calls) %}
{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}
{%- elif message.role == "assistant" %}
{{- '<|im_start|>assistant' }}
{%- for tool_call in message.tool_calls %}{%- set tool_call = tool_call.function %}
{{- '\\n<tool_call>\\n{"name": "' + tool_call.name + '", "arguments": ' }}{{- tool_call.arguments | tojson }}{{- '}\\n</tool_call>' }}
{%- endfor %}{{- '<|im_end|>\\n' }}
{%- elif message.role == "tool" %}
{{- '<|im_start|>user\\n<tool_response>\\n' + message.content + '\\n</tool_response><|im_end|>\\n' }}
{%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"""


def after_call(call: ToolCall, result: Any) -> list[dict[str, Any]]:
    return [{"role": "assistant", "content": None, "tool_calls": [call.to_message()]},
            {"role": "tool", "tool_call_id": call.id, "content": json.dumps(result, separators=(",", ":"))}]


# --- the real embedded model --------------------------------------------------------------------

@pytest.fixture(scope="module")
def model():
    from agent.models.embedded import embedded_model_path
    from agent.models.llama import LlamaCppModel

    return LlamaCppModel(embedded_model_path(app.home() / "models"), n_ctx=2048, few_shot=FEW_SHOT, max_tokens=48)


def run(model, messages) -> tuple[list[Any], float]:
    start = time.perf_counter()
    chunks = list(model.stream(messages, SPECS))
    return chunks, time.perf_counter() - start


@pytest.mark.model
def test_embedded_model_uses_the_grammar_protocol(model):
    assert model.tool_protocol == "grammar"
    assert model.context_window == 2048


@pytest.fixture(scope="module")
def decision(model):
    """The first step of a conversation: shared by the tests below (each model step costs seconds here)."""
    return run(model, [SYSTEM, EARBUDS])


@pytest.mark.model
def test_grammar_protocol_calls_a_registered_tool_with_valid_arguments(decision):
    chunks, seconds = decision
    calls = [c for c in chunks if isinstance(c, ToolCall)]
    assert len(calls) == 1 and isinstance(chunks[-1], Usage)
    call = calls[0]
    assert call.id == "call_1" and call.name in TOOLS
    TOOLS[call.name].validate(call.arguments)  # the grammar forced the tool's own argument schema
    print(f"decision {seconds:.2f}s: {call.name}({call.arguments}) {chunks[-1]}")


@pytest.mark.model
def test_lazy_grammar_decodes_the_same_tokens_as_llama_cpps_grammar_sampler(model, decision):
    from llama_cpp import LlamaGrammar

    from agent.models.llama import _LazyGrammar

    prompt = model._tokenize(model.document.render([SYSTEM, EARBUDS], SPECS)[0])
    full = model.llm.create_completion(prompt, max_tokens=48, temperature=0,
                                       grammar=LlamaGrammar.from_string(model._gbnf(SPECS), verbose=False))
    call = json.loads(full["choices"][0]["text"])
    lazy = decision[0][0]
    assert (call["tool"], json.dumps(call["args"])) == (lazy.name, lazy.arguments)
    _LazyGrammar(model.llm, decision_gbnf([add_lines.spec(), *SPECS])).close()  # nested $defs parse in llama.cpp
    with pytest.raises(ModelError):  # a grammar llama.cpp cannot parse is a ModelError, not a crash
        _LazyGrammar(model.llm, "root ::= (")


@pytest.mark.model
def test_lazy_grammar_refusals_take_the_best_allowed_token_of_the_whole_vocabulary(model):
    """The top token refused: the shortlist's best allowed token when one is allowed there, the vocabulary's
    otherwise; either way the token a grammar filter over every token would leave on top."""
    import numpy as np

    from agent.models.llama import _SHORTLIST, _TOKEN_DATA, _LazyGrammar

    gbnf = 'root ::= "No" | "Yes" | "zebra"'
    allowed = [model.llm.tokenize(w.encode(), add_bos=False)[0] for w in ("No", "Yes")]
    rng = np.random.default_rng(0)
    n = model.llm.n_vocab()
    paths = set()
    for trial in range(12):
        scores = rng.normal(size=n).astype(np.single)
        if trial % 2:  # an allowed token among the best few, not the best: the shortlist decides
            scores[allowed[trial % 4 // 2]] = np.sort(scores)[-1 - trial]
        lazy, every = _LazyGrammar(model.llm, gbnf), _LazyGrammar(model.llm, gbnf)
        sizes: list[int] = []
        apply = lazy._apply
        lazy._apply = lambda data: (sizes.append(len(data)), apply(data))  # type: ignore[method-assign]
        out = lazy(np.array([1]), scores.copy())
        full = np.zeros(n, dtype=_TOKEN_DATA)
        full["id"], full["logit"] = np.arange(n), scores
        every._apply(full)
        lazy.close(), every.close()
        assert np.isfinite(full["logit"]).any() and int(np.argmax(out)) == int(np.argmax(full["logit"]))
        paths.add(tuple(sizes))
    assert paths == {(1, _SHORTLIST), (1, _SHORTLIST, n)}  # the shortlist decided, and the whole vocabulary


@pytest.mark.model
def test_count_tokens_matches_the_prompt(model, decision):
    assert model.count_tokens([SYSTEM, EARBUDS], SPECS) == decision[0][-1].prompt_tokens


@pytest.mark.model
def test_reply_after_a_tool_result_streams_and_reuses_the_prefix(model, decision):
    call, usage1 = decision[0][0], decision[0][-1]
    chunks, seconds = run(model, [SYSTEM, EARBUDS, *after_call(call, [
        {"id": "P7", "title": "Soundcore A20 Wireless Earbuds", "price": 39.99}])])
    texts = [c.text for c in chunks if isinstance(c, TextDelta)]
    usage2 = chunks[-1]
    assert not any(isinstance(c, ToolCall) for c in chunks)
    assert len(texts) >= 2 and "".join(texts).strip() and "".join(texts) == "".join(texts).strip()
    assert isinstance(usage2, Usage) and usage2.completion_tokens > 0
    # Everything the first step saw is still in the KV cache: only the call and the result are new.
    assert usage2.cached_tokens >= usage1.prompt_tokens - 1
    assert usage2.prompt_tokens - usage2.cached_tokens < 60
    print(f"reply {seconds:.2f}s: {''.join(texts)!r} {usage2}")


@tool
def recommend_products(based_on: str = "history", limit: int = 5):
    """Recommendations from the shopper's history or related to a product."""


class IdsAndCount:
    """A preparer of the kind tools/hints.py is: P-ids and a count, noted and pinned; counts its calls."""

    summarizes = False

    def __init__(self) -> None:
        self.calls = 0

    def _read(self, text: str) -> tuple[list[str], int | None]:
        ids = [w.strip("?,.") for w in text.split() if w.strip("?,.").upper().startswith("P")
               and w.strip("?,.")[1:].isdigit()]
        count = next((int(w) for w in text.split() if w.isdigit()), None)
        return ids, count

    def note(self, text: str) -> str:
        self.calls += 1
        ids, count = self._read(text)
        parts = (['ids ' + ", ".join(f'"{i}"' for i in ids)] if ids else []) + ([f"count {count}"] if count else [])
        return "; ".join(parts) or "-"

    def summary(self, tool: str | None, result: str) -> str:
        self.calls += 1
        return ""

    def prepare(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> StepPlan:
        self.calls += 1
        ids, count = self._read(str(messages[-1]["content"]))
        pins = {"based_on": tuple(ids)} if ids else {}
        return StepPlan(pins={"recommend_products": {**pins, **({"limit": (count,)} if count else {})}})

    def compose(self, messages: list[dict[str, Any]]) -> str | None:
        self.calls += 1
        return None


@pytest.mark.model
def test_hinted_values_pin_the_real_models_arguments():
    """The 270M base model tends to answer "history" for "like P51"; the pinned grammar leaves it no choice."""
    from agent.models.embedded import embedded_model_path
    from agent.models.llama import LlamaCppModel

    few_shot = [{"user": "recommend something for me",
                 "call": {"tool": "recommend_products", "args": {"based_on": "history"}}}]
    pinned = LlamaCppModel(embedded_model_path(app.home() / "models"), n_ctx=1024, few_shot=few_shot, max_tokens=32,
                           preparer=IdsAndCount())
    chunks = list(pinned.stream([SYSTEM, {"role": "user", "content": "give me 3 alternatives to P51"}],
                                [recommend_products.spec()]))
    call = next(c for c in chunks if isinstance(c, ToolCall))
    assert (call.name, json.loads(call.arguments)) == ("recommend_products", {"based_on": "P51", "limit": 3})


@pytest.mark.model
def test_a_prompt_beyond_the_context_window_overflows(model):
    huge = {"role": "user", "content": "cheap wireless earbuds with long battery life " * 400}
    with pytest.raises(ContextOverflow, match="2048"):
        list(model.stream([SYSTEM, huge], SPECS))


@pytest.mark.model
def test_grammar_protocol_needs_a_user_or_tool_message_last(model):
    with pytest.raises(ModelError):
        list(model.stream([SYSTEM, EARBUDS, {"role": "assistant", "content": "hi"}], SPECS))


@pytest.mark.model
def test_the_embedded_model_is_reassembled_when_its_file_is_damaged(tmp_path, monkeypatch):
    from agent.models import embedded

    monkeypatch.setenv("SHOPAGENT_HOME", str(tmp_path))
    embedded.embedded_model_path.cache_clear()
    try:
        target = tmp_path / "models" / "gemma-3-270m-q4_k_m.gguf"
        target.parent.mkdir(parents=True)
        target.write_bytes(b"not a model")
        assert embedded.embedded_model_path(app.home() / "models") == target
        assert target.stat().st_size > 200_000_000 and target.open("rb").read(4) == b"GGUF"
        assert list(target.parent.glob("*.part")) == []  # no temporary file left behind
        embedded.embedded_model_path.cache_clear()
        assert embedded.embedded_model_path(app.home() / "models") == target  # the stamp spares a second hash
    finally:
        embedded.embedded_model_path.cache_clear()


def test_a_missing_model_file_is_a_model_error(tmp_path):
    from agent.models.llama import LlamaCppModel

    with pytest.raises(ModelError, match="no GGUF"):
        LlamaCppModel(tmp_path / "nope.gguf")


# --- native protocol: the embedded GGUF given a Qwen-style tool template --------------------------

_SCALAR_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}  # GGUF value types
_STRING, _ARRAY = 8, 9


def with_chat_template(src: Path, dst: Path, template: str) -> None:
    """Copy a GGUF adding `tokenizer.chat_template`: one more key-value pair, everything else byte for byte.

    (gguf-py's GGUFReader takes ~20 s on Gemma's 262k-token vocabulary here; skipping over the key-value
    section by its length prefixes takes milliseconds.)
    """
    with open(src, "rb") as f_in, open(dst, "wb") as f_out:
        magic, version, n_tensors, n_kv = struct.unpack("<4sIQQ", f_in.read(24))
        assert magic == b"GGUF" and version >= 2
        alignment = 32
        for _ in range(n_kv):
            name = f_in.read(struct.unpack("<Q", f_in.read(8))[0])
            kind = struct.unpack("<I", f_in.read(4))[0]
            if name == b"general.alignment":
                alignment = struct.unpack("<I", f_in.read(4))[0]
            else:
                _skip_value(f_in, kind)
        kv_end = f_in.tell()
        key, value = b"tokenizer.chat_template", template.encode()
        f_out.write(struct.pack("<4sIQQ", magic, version, n_tensors, n_kv + 1))
        f_in.seek(24)
        f_out.write(f_in.read(kv_end - 24))
        f_out.write(struct.pack("<Q", len(key)) + key + struct.pack("<IQ", _STRING, len(value)) + value)
        # tensor infos (offsets are relative to the data section), then the data, re-aligned after the growth
        infos = f_in.read(_tensor_infos_size(f_in, n_tensors))
        f_out.write(infos)
        data_start = -(-f_in.tell() // alignment) * alignment
        f_out.write(b"\0" * (-f_out.tell() % alignment))
        f_in.seek(data_start)
        shutil.copyfileobj(f_in, f_out, 1 << 22)


def _skip_string(f) -> None:
    f.seek(struct.unpack("<Q", f.read(8))[0], 1)


def _skip_value(f, kind: int) -> None:
    if kind == _STRING:
        _skip_string(f)
    elif kind == _ARRAY:
        item, count = struct.unpack("<IQ", f.read(12))
        if item in _SCALAR_SIZES:
            f.seek(_SCALAR_SIZES[item] * count, 1)
        else:
            for _ in range(count):
                _skip_value(f, item)
    else:
        f.seek(_SCALAR_SIZES[kind], 1)


def _tensor_infos_size(f, n_tensors: int) -> int:
    start = f.tell()
    for _ in range(n_tensors):
        _skip_string(f)  # name
        n_dims = struct.unpack("<I", f.read(4))[0]
        f.seek(8 * n_dims + 4 + 8, 1)  # dims, type, offset
    size = f.tell() - start
    f.seek(start)
    return size


NATIVE_PREPARER = IdsAndCount()


@pytest.fixture(scope="module")
def native_model(tmp_path_factory):
    from agent.models.embedded import embedded_model_path
    from agent.models.llama import LlamaCppModel

    out = tmp_path_factory.mktemp("gguf") / "gemma-qwen-template.gguf"
    with_chat_template(embedded_model_path(app.home() / "models"), out, QWEN_TEMPLATE)
    return LlamaCppModel(out, n_ctx=2048, max_tokens=4, preparer=NATIVE_PREPARER)


@pytest.mark.model
def test_native_protocol_is_detected_and_renders_the_ggufs_template(native_model):
    assert native_model.tool_protocol == "native"
    call = ToolCall("call_1", "search_catalog", '{"query": "earbuds", "max_price": 50}')
    prompt = native_model.render_native([SYSTEM, EARBUDS, *after_call(call, [{"id": "P7"}])], SPECS)
    assert prompt.startswith("<|im_start|>system\nYou are a shopping assistant.\n\n# Tools")
    assert json.dumps(SPECS[0], ensure_ascii=False) in prompt  # tools reach the template, tojson unescaped
    # arguments reach the template as a dict, so they render as JSON, not as a quoted string
    assert '<tool_call>\n{"name": "search_catalog", "arguments": {"query": "earbuds", "max_price": 50}}' in prompt
    assert prompt.endswith('<tool_response>\n[{"id":"P7"}]\n</tool_response><|im_end|>\n<|im_start|>assistant\n')


@pytest.mark.model
def test_native_protocol_streams_a_step(native_model):
    chunks = list(native_model.stream([SYSTEM, EARBUDS], SPECS))
    usage = chunks[-1]
    assert isinstance(usage, Usage) and usage.prompt_tokens == native_model.count_tokens([SYSTEM, EARBUDS], SPECS)
    assert 0 < usage.completion_tokens <= 5
    assert all(isinstance(c, (TextDelta, ToolCall)) for c in chunks[:-1])
    assert NATIVE_PREPARER.calls == 0  # a model driven by its own tool template runs no preparer at all
