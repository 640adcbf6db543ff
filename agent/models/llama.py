"""A local GGUF model through llama-cpp-python, with a native (chat template) or grammar tool protocol."""

from __future__ import annotations

import ctypes
import json
import logging
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2
import jinja2.sandbox
import llama_cpp
import numpy as np
from llama_cpp import LlamaGrammar, LogitsProcessorList

from agent.models.base import ContextOverflow, ModelChunk, ModelError, TextDelta, ToolCall, Usage
from agent.models.grammar import DEFAULT_HEADER, NONE, STOP, GrammarDocument, decision_gbnf, turn_numbers
from agent.models.interrupt import Interruptible
from agent.models.kvstate import KVStateStore, model_fingerprint
from agent.models.prepare import StepPlan, StepPreparer
from agent.models.replies import guard_reply
from agent.models.threads import default_threads
from agent.models.toolparse import ToolTextParser

__all__ = ["LlamaCppModel"]

_TOOL_NAME = re.compile(r'"tool"\s*:\s*"([^"]*)"')
_RAW_ARGS = re.compile(r'"args"\s*:\s*(.*?)\s*\}?\s*\Z', re.DOTALL)
_TOKEN_DATA = np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)], align=True)  # llama_token_data
# llama.cpp's own log lines ("decode: removing memory module entries …" after a stopped step) go to this logger,
# not to the terminal: the application decides what it shows; failures reach it as ModelError anyway.
_native_log = logging.getLogger(__name__ + ".native")
_native_log.addHandler(logging.NullHandler())
_native_log.propagate = False
_LOG_LEVELS = {0: logging.CRITICAL, 1: logging.INFO, 2: logging.WARNING, 3: logging.ERROR, 4: logging.DEBUG}


@llama_cpp.llama_log_callback
def _to_logging(level: int, text: bytes, user_data: Any) -> None:
    if text.strip():
        _native_log.log(_LOG_LEVELS.get(level, logging.DEBUG), text.decode("utf-8", "replace").rstrip())


class LlamaCppModel:
    """One GGUF file in-process. Not thread-safe: one llama.cpp context serves one step at a time."""

    def __init__(self, path: str | Path, *, n_ctx: int = 8192, n_gpu_layers: int | None = None,
                 n_threads: int | None = None, tool_protocol: str = "auto",
                 few_shot: list[dict[str, Any]] | None = None, max_tokens: int = 512, temperature: float = 0.0,
                 seed: int = 0, max_calls_per_turn: int = 1, result_chars: int = 1500,
                 preparer: StepPreparer | None = None, grammar_header: str | None = None,
                 state_dir: Path | None = None, flash_attn: bool = True) -> None:
        """`state_dir`: where the KV cache of long prompt prefixes is kept between processes (none: not kept).
        `flash_attn`: llama.cpp's fused attention; on 2 CPU cores it evaluates a prompt 5-7k tokens deep 30-40%
        faster than the plain kernels (bench/chat_latency.py's recorded prompts, 2026-12-03), same weights."""
        from llama_cpp._utils import suppress_stdout_stderr

        path = Path(path)
        if not path.is_file():
            raise ModelError(f"no GGUF model file at {path}")
        if n_gpu_layers is None:
            n_gpu_layers = -1 if llama_cpp.llama_supports_gpu_offload() else 0
        threads, batch_threads = default_threads()
        if n_threads is not None:  # the user's number serves both prompts and generation
            threads = batch_threads = n_threads
        try:
            # swa_full: with the default small sliding-window cache (Gemma 3 and others), rewinding to a shared
            # prefix more than a window back "succeeds" but decodes from a wrong state (measured: greedy output
            # differed from a fresh run). The full-size cache keeps prefix reuse exact.
            # verbose=False still lets llama.cpp print a notice while making the context; keep the terminal clean.
            with suppress_stdout_stderr(disable=False):
                self.llm = llama_cpp.Llama(str(path), n_ctx=n_ctx, n_gpu_layers=n_gpu_layers, n_threads=threads,
                                           n_threads_batch=batch_threads, seed=seed, swa_full=True,
                                           flash_attn=flash_attn, verbose=False)
        except Exception as e:  # llama_cpp raises ValueError/RuntimeError with little detail
            raise ModelError(f"llama.cpp could not load {path}: {e}") from e
        llama_cpp.llama_log_set(_to_logging, ctypes.c_void_p(0))
        self.name = path.stem
        self.context_window = n_ctx
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.seed = seed
        self.chat_template: str | None = self.llm.metadata.get("tokenizer.chat_template")
        if tool_protocol == "auto":
            tool_protocol = "native" if self.chat_template and "tools" in self.chat_template else "grammar"
        if tool_protocol not in ("native", "grammar"):
            raise ValueError(f"tool_protocol must be 'auto', 'native' or 'grammar', not {tool_protocol!r}")
        if tool_protocol == "native" and not self.chat_template:
            raise ModelError(f"{path.name} has no chat template; use tool_protocol='grammar'")
        self.tool_protocol = tool_protocol
        # The preparer helps the grammar protocol only: the native protocol never runs it.
        self.document = GrammarDocument(few_shot or [], max_calls_per_turn=max_calls_per_turn,
                                        result_chars=result_chars, header=grammar_header or DEFAULT_HEADER,
                                        preparer=preparer if tool_protocol == "grammar" else None)
        self._template: Any = None
        self._grammars: dict[str, str] = {}
        self._kv = KVStateStore(Path(state_dir), model_fingerprint(path, n_ctx, flash_attn)) if state_dir else None
        self._kv_save = False  # after this process's first generation: store its prefix for the next process
        self._tokenized: tuple[str, bool, list[int]] | None = None
        self._interruptible = Interruptible(self.llm)

    # --- the Model protocol ---------------------------------------------------------------------

    def stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Iterator[ModelChunk]:
        if self.tool_protocol == "native":
            return self._stream_native(messages, tools)
        return self._stream_grammar(messages, tools)

    def count_tokens(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> int:
        return len(self._prompt_tokens(messages, tools))

    # --- grammar protocol -----------------------------------------------------------------------

    def _stream_grammar(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Iterator[ModelChunk]:
        if not messages or messages[-1]["role"] not in ("user", "tool"):
            raise ModelError("the grammar protocol needs a conversation that ends with a user or tool message")
        doc, step = self.document.render(messages, tools)
        usage = Usage()
        plan = None
        if step == "reply" and tools and messages[-1]["role"] == "tool" and self.document.preparer is not None:
            # The preparer may ask for one more call after a result (an item named, looked up, then acted on):
            # its plan names the tool; the document takes a "Call:" line where the reply would start.
            plan = self.document.plan(messages, tools)
            if plan is not None and plan.tool not in (None, NONE):
                doc, step = doc[: -len("Assistant:")] + "Call:", "decide"
        if step == "decide":
            plan = plan or self.document.plan(messages, tools)
            choices = tools if plan is None else [t for t in tools if t["function"]["name"] in
                                                  plan.available([t["function"]["name"] for t in tools])]
            if plan is not None and not plan.available([t["function"]["name"] for t in tools]):
                name, arguments = NONE, "{}"  # only "none" is left: nothing to generate
            else:
                gbnf = self._gbnf(choices, turn_numbers(doc), plan)
                name, arguments = _decision("".join(self._generate(self._tokenize(doc), usage, gbnf=gbnf,
                                                                   until=_closed)))
            if name != NONE:
                yield ToolCall(_call_id(messages), name, arguments)
                yield usage
                return
            doc += " " + json.dumps({"tool": NONE}) + "\nAssistant:"
        preparer = self.document.preparer
        if preparer is None:
            yield from _trimmed(_until_loop(self._generate(self._tokenize(doc), usage, stop=STOP)))
            yield usage
            return
        # With a preparer the reply is the application's when it composes one, else the model's, guarded
        # (whole, not streamed: a label or a repeat is only known once written).
        text = preparer.compose(messages)
        if text is None:
            text = guard_reply("".join(_until_loop(self._generate(self._tokenize(doc), usage, stop=STOP))))
        if text:
            yield TextDelta(" ".join(text.split()))
        yield usage

    def _gbnf(self, tools: list[dict[str, Any]], numbers: list[float] | None = None,
              plan: StepPlan | None = None) -> str:
        key = json.dumps([tools, numbers, _plan_key(plan)], sort_keys=True, default=str)
        if key not in self._grammars:
            if len(self._grammars) > 256:  # one per distinct set of numbers: keep the cache bounded
                self._grammars.clear()
            try:
                self._grammars[key] = decision_gbnf(tools, numbers, plan)
            except Exception as e:  # a schema construct the converter cannot express
                raise ModelError(f"cannot build a tool-choice grammar for these tools: {e}") from e
        return self._grammars[key]

    # --- native protocol ------------------------------------------------------------------------

    def _stream_native(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Iterator[ModelChunk]:
        usage = Usage()
        parser = ToolTextParser()
        for piece in self._generate(self._prompt_tokens(messages, tools), usage):
            shown = parser.feed(piece)
            if shown:
                yield TextDelta(shown)
        rest, calls = parser.close()
        if rest.strip():
            yield TextDelta(rest)
        first = _call_id_number(messages)
        for i, call in enumerate(calls):
            yield ToolCall(f"call_{first + i}", call.name, call.arguments)
        yield usage

    def render_native(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> str:
        """The prompt text the GGUF's own chat template makes of these messages and tools."""
        if self._template is None:
            env = jinja2.sandbox.ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                                extensions=["jinja2.ext.loopcontrols"])
            env.filters["tojson"] = _tojson  # HF semantics: no HTML escaping, keeps non-ASCII text
            env.globals["raise_exception"] = _raise
            env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
            self._template = env.from_string(self.chat_template or "")
        try:
            return self._template.render(messages=[_template_message(m) for m in messages], tools=tools or None,
                                         add_generation_prompt=True, bos_token=self._token_text(self.llm.token_bos()),
                                         eos_token=self._token_text(self.llm.token_eos()))
        except Exception as e:  # TemplateError, or a TypeError from a template that assumed another shape
            raise ModelError(f"the chat template of {self.name} failed on this conversation: {e}") from e

    # --- shared ---------------------------------------------------------------------------------

    def _prompt_tokens(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> list[int]:
        if self.tool_protocol == "native":
            text = self.render_native(messages, tools)
            bos = self._token_text(self.llm.token_bos())
            # Templates that write the BOS token themselves must not get a second one.
            return self._tokenize(text, add_bos=not (bos and text.startswith(bos)))
        return self._tokenize(self.document.render(messages, tools)[0])

    def _tokenize(self, text: str, add_bos: bool = True) -> list[int]:
        add_bos = add_bos and self.llm.metadata.get("tokenizer.ggml.add_bos_token", "true") != "false"
        # One entry: the loop counts a step's prompt (to fit the window) right before the step tokenizes it.
        if self._tokenized is None or self._tokenized[:2] != (text, add_bos):
            self._tokenized = (text, add_bos, self.llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=True))
        return list(self._tokenized[2])

    def _token_text(self, token: int) -> str:
        return self.llm._model.token_get_text(token) if token >= 0 else ""

    def _generate(self, tokens: list[int], usage: Usage, *, gbnf: str | None = None,
                  stop: list[str] | None = None, until: Callable[[str], bool] | None = None) -> Iterator[str]:
        """One llama.cpp completion as text pieces, optionally constrained by a grammar; adds to `usage`.
        `until(text so far)`: the text is complete, stop at once (a closed decision: the end of text it could
        only be followed by is not worth a decoding step)."""
        if len(tokens) >= self.context_window:
            raise ContextOverflow(f"the prompt is {len(tokens)} tokens; {self.name} is loaded with a context "
                                  f"window of {self.context_window}")
        usage.prompt_tokens += len(tokens)
        if self._kv is not None and self.llm.n_tokens == 0:  # a fresh context: start from a stored prefix
            spared = self._kv.restore(self.llm, tokens)
            self._kv_save = spared < len(tokens) // 2  # none stored shares most of this prompt: store ours
        # llama-cpp-python keeps the KV of the longest common prefix with the previous prompt (it always
        # re-evaluates at least the last prompt token to get fresh logits).
        usage.cached_tokens += min(_common_prefix(self.llm.input_ids[: self.llm.n_tokens], tokens), len(tokens) - 1)
        pieces: list[str] = []
        constraint: dict[str, Any] = {}
        lazy = chunks = None
        try:
            if gbnf is not None and self.temperature == 0:
                lazy = _LazyGrammar(self.llm, gbnf)
                constraint["logits_processor"] = LogitsProcessorList([lazy])
            elif gbnf is not None:
                constraint["grammar"] = LlamaGrammar.from_string(gbnf, verbose=False)
            # On a worker thread, so Ctrl-C stops prompt evaluation at once, not after a 512-token batch.
            chunks = self._interruptible.run(lambda: self.llm.create_completion(
                tokens, max_tokens=self.max_tokens, temperature=self.temperature, seed=self.seed,
                stop=stop or [], stream=True, **constraint))
            for chunk in chunks:
                piece = chunk["choices"][0]["text"]
                if piece:
                    pieces.append(piece)
                    yield piece
                    if until is not None and until("".join(pieces)):
                        break
        except ModelError:
            raise
        except Exception as e:  # llama_cpp surfaces decode failures as RuntimeError/ValueError
            raise ModelError(f"llama.cpp failed while generating with {self.name}: {e}") from e
        finally:
            if chunks is not None:
                chunks.close()  # stops the worker (a decoding step under way is aborted) before the grammar goes
            if lazy is not None:
                lazy.close()
        if pieces:
            usage.completion_tokens += len(self.llm.tokenize("".join(pieces).encode("utf-8"), add_bos=False))
        if self._kv_save:
            self._kv_save = False
            try:
                self._kv.save(self.llm)  # type: ignore[union-attr]
            except OSError:
                pass  # a full or read-only cache dir costs the next launch time, never this answer


class _LazyGrammar:
    """Greedy decoding under a grammar that checks only the top token; when the grammar refuses it, the next
    best `_SHORTLIST` tokens, and the whole vocabulary only when it refuses all of those. Same tokens as
    llama.cpp's grammar sampler (which filters all 262k Gemma tokens at every step): the best allowed token
    of a shortlist holding the best tokens is the best allowed token of all. 2-3x faster here: in a
    well-prompted decision the top token is nearly always allowed, and a refusal costs a shortlist (about a
    millisecond) instead of a pass over the vocabulary (60 ms, measured)."""

    def __init__(self, llm: Any, gbnf: str) -> None:
        self._sampler = llama_cpp.llama_sampler_init_grammar(llm._model.vocab, gbnf.encode("utf-8"), b"root")
        if not self._sampler:
            raise ModelError("llama.cpp rejected the tool-choice grammar")
        self._seen: int | None = None  # length of input_ids at the previous step
        self._one = np.zeros(1, dtype=_TOKEN_DATA)

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        if self._seen is not None and len(input_ids) > self._seen:
            llama_cpp.llama_sampler_accept(self._sampler, int(input_ids[-1]))  # the token chosen last step
        self._seen = len(input_ids)
        top = int(np.argmax(scores))
        self._one["id"], self._one["logit"] = top, scores[top]
        self._apply(self._one)
        if np.isfinite(self._one["logit"][0]):
            return scores
        if len(scores) > _SHORTLIST:
            best = np.argpartition(-scores, _SHORTLIST)[:_SHORTLIST]
            short = np.zeros(_SHORTLIST, dtype=_TOKEN_DATA)
            short["id"], short["logit"] = best, scores[best]
            self._apply(short)
            if np.isfinite(short["logit"]).any():
                out = np.full_like(scores, -np.inf)
                out[best] = short["logit"]
                return out
        everything = np.zeros(len(scores), dtype=_TOKEN_DATA)
        everything["id"], everything["logit"] = np.arange(len(scores)), scores
        self._apply(everything)
        return everything["logit"]

    def _apply(self, data: Any) -> None:
        array = llama_cpp.llama_token_data_array(data=data.ctypes.data_as(llama_cpp.llama_token_data_p),
                                                 size=len(data), selected=-1, sorted=False)
        llama_cpp.llama_sampler_apply(self._sampler, ctypes.byref(array))

    def close(self) -> None:
        if self._sampler:
            llama_cpp.llama_sampler_free(self._sampler)
            self._sampler = None


_SHORTLIST = 64  # the best tokens checked when the grammar refuses the top one


def _plan_key(plan: StepPlan | None) -> Any:
    if plan is None:
        return None
    return [plan.pins, plan.shown, {k: sorted(v) for k, v in plan.governed.items()}, plan.tool,
            sorted(plan.settles) if plan.settles is not None else None, plan.required]


def _closed(text: str) -> bool:
    """Whether `text` holds a whole JSON object (its first brace closed, outside strings)."""
    depth, quoted, escaped = 0, False, False
    for ch in text:
        if quoted:
            escaped, quoted = (False, True) if escaped else (ch == "\\", ch != '"')
        elif ch == '"':
            quoted = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return True
    return False


def _decision(text: str) -> tuple[str, str]:
    """(tool name, raw JSON arguments) from the grammar-constrained `Call:` text."""
    try:
        obj = json.loads(text)
    except ValueError:  # cut off by max_tokens: pass what was written on, for the loop to report
        name = _TOOL_NAME.search(text)
        args = _RAW_ARGS.search(text)
        return (name.group(1) if name else ""), (args.group(1) if args else text.strip())
    return obj["tool"], json.dumps(obj.get("args", {}), ensure_ascii=False)


_DIGIT = re.compile(r"\d")


def _until_loop(pieces: Iterator[str], shortest: int = 8, longest: int = 80, times: int = 3) -> Iterator[str]:
    """The pieces until the text ends in one stretch repeated `times` times, digits aside ("I'm sorry. I'm
    sorry. I'm sorry.", "P0014, P0015, P0016,"): a small model's loop, which would run to max_tokens."""
    text = ""
    for piece in pieces:
        yield piece
        text = (text + piece)[-longest * times:]
        shape = _DIGIT.sub("0", text)
        if any(shape[-n * times:] == shape[-n:] * times for n in range(shortest, min(longest, len(shape) // times) + 1)):
            return


def _trimmed(pieces: Iterator[str]) -> Iterator[TextDelta]:
    """Text deltas without the reply's leading space and trailing newlines (the document's line breaks)."""
    started, held = False, ""
    for piece in pieces:
        text = held + piece
        if not started:
            text = text.lstrip()
            started = bool(text)
        body = text.rstrip()
        held = text[len(body):]
        if body:
            yield TextDelta(body)


def _common_prefix(previous: Any, tokens: list[int]) -> int:
    n = 0
    for a, b in zip(previous, tokens):
        if a != b:
            break
        n += 1
    return n


def _call_id_number(messages: list[dict[str, Any]]) -> int:
    """Ids count on from the calls already in the conversation, so they are unique in it and reproducible."""
    return 1 + sum(len(m.get("tool_calls") or []) for m in messages if m.get("role") == "assistant")


def _call_id(messages: list[dict[str, Any]]) -> str:
    return f"call_{_call_id_number(messages)}"


def _template_message(message: dict[str, Any]) -> dict[str, Any]:
    """Qwen and Llama templates `tojson` the arguments: give them dicts, not the JSON text."""
    if not message.get("tool_calls"):
        return message
    calls = []
    for tc in message["tool_calls"]:
        fn = dict(tc["function"])
        if isinstance(fn.get("arguments"), str):
            try:
                fn["arguments"] = json.loads(fn["arguments"] or "{}")
            except ValueError:
                pass  # the model's broken JSON stays text
        calls.append({**tc, "function": fn})
    return {**message, "tool_calls": calls}


def _tojson(value: Any, indent: int | None = None, ensure_ascii: bool = False, sort_keys: bool = False) -> str:
    return json.dumps(value, indent=indent, ensure_ascii=ensure_ascii, sort_keys=sort_keys)


def _raise(message: str) -> None:
    raise jinja2.TemplateError(message)
