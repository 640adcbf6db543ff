"""Agent overhead on the embedded model: an agent turn vs raw llama-cpp-python producing the same tokens.

The agent's model is built the way `python cli.py chat` builds it (`app.model_settings`: the shop's few-shot
bank, grammar header and step preparer), except that no KV state is stored on disk, so both sides evaluate the
same prompt tokens. `--no-preparer` measures the bare grammar protocol.

(a) Every llama.cpp completion the agent makes in a turn is recorded (prompt tokens, number of generated
    tokens, stop strings); right after the turn the same completions are replayed on a second, raw
    `llama_cpp.Llama` of the same GGUF, which has seen the same prompts so its KV cache is in the same state.
    Each raw completion runs on a thread of its own, as the agent's do: llama.cpp's CPU kernels use OpenMP,
    whose barriers spin less once a process holds more pool threads than cores, and a pool lives as long as
    the thread that opened it, so a raw side on the main thread slowed the agent's two-thread decoding by ~10%
    (800-token prompts, 2 cores, 2026-12-03: 3.6 s alone on either thread, 3.9-4.0 s after the main thread ran one).
    overhead_ratio = (agent wall time - time inside tools) / raw wall time, summed over all turns and rounds
    (overhead_ratio_with_tools keeps the tools' time in). The order alternates: in every second round the raw
    side replays the previous round's completions of a turn *before* the agent's turn (greedy decoding
    repeats them; checked, and the run stops where it did not), so the host's drift in speed (±30% over
    minutes here) does not always fall on the same side.
(b) Over a 5-turn conversation, prefix_reuse = prompt tokens served from the KV cache / prompt tokens, from
    the agent's own usage accounting, for turns 2-5 that come after a turn which reached the model (the
    preparer composes the reply to "hi there" itself, so nothing is in the cache yet at turn 2; in the chat the
    prefix's KV state stored on disk fills it, and bench/chat_latency.py measures that).

Prints a final JSON line. Usage: python bench/agent_overhead.py [--model PATH.gguf] [--rounds 2]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import llama_cpp  # noqa: E402

from agent import Agent, load_model  # noqa: E402
from agent.models.embedded import embedded_model_path  # noqa: E402
from tools.resources import render_prompt  # noqa: E402
from tools import app  # noqa: E402

TURNS = [
    "hi there",
    "I'm looking for running shoes under $120",
    "tell me more about P0229",
    "what do people say about P0229?",
    "thanks, that's all",
]


class Recorder:
    """Wraps `Llama.create_completion` to note what the agent asked llama.cpp to do."""

    def __init__(self, llm: Any) -> None:
        self.llm, self.calls, self._inner = llm, [], llm.create_completion
        llm.create_completion = self

    def __call__(self, prompt: Any, **kwargs: Any) -> Any:
        record = {"prompt": list(prompt), "kwargs": kwargs, "text": ""}
        self.calls.append(record)
        for chunk in self._inner(prompt, **kwargs):
            record["text"] += chunk["choices"][0]["text"]
            yield chunk


def replay(raw: llama_cpp.Llama, calls: list[dict[str, Any]]) -> tuple[float, int, int]:
    """Time raw completions of the same prompts to the same number of tokens; count identical outputs."""
    same, started = 0, time.perf_counter()
    for call in calls:
        n = max(1, len(raw.tokenize(call["text"].encode(), add_bos=False)))
        kwargs = call["kwargs"]
        # No grammar here: a plain greedy completion of the same length is the floor we compare against.
        out: list[Any] = []
        worker = threading.Thread(target=lambda: out.append(raw.create_completion(
            call["prompt"], max_tokens=n, temperature=0.0, seed=kwargs.get("seed", 0), stop=kwargs.get("stop") or [])))
        worker.start()
        worker.join()
        if not out:
            raise RuntimeError("the raw completion failed (its traceback is above)")
        same += out[0]["choices"][0]["text"] == call["text"]
    return time.perf_counter() - started, same, len(calls)


def _same_calls(before: list[dict[str, Any]], now: list[dict[str, Any]]) -> bool:
    return [(c["prompt"], c["text"]) for c in before] == [(c["prompt"], c["text"]) for c in now]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    app.add_model_args(parser)
    parser.add_argument("--rounds", type=int, default=2, help="times the 5-turn conversation is run")
    parser.add_argument("--catalog", help="catalog dir (default: the demo catalog)")
    args = parser.parse_args()
    if args.base_url or args.scripted:
        parser.error("the overhead is measured against raw llama.cpp: name a GGUF with --model, or none")

    path = args.model or str(embedded_model_path(app.home() / "models"))
    # As the chat builds it, without the KV state on disk (the raw side has none either).
    settings = dataclasses.replace(app.model_settings(args), model=path, cache_dir=None)
    stores = app.open_deps(args.catalog)
    registry = app.build_registry()
    if settings.preparer is not None:  # its intent index loads once per launch (bench/chat_latency.py counts that)
        settings.preparer.prepare([{"role": "user", "content": TURNS[0]}], [])
    system = render_prompt("system.md", shop_name="Benchmark shop", shopper_id="S001")
    agent_s = raw_s = tools_s = 0.0
    same = total = 0
    reuse_by_turn: list[list[float]] = [[] for _ in TURNS]
    reuse_after: list[float] = []
    previous: list[list[dict[str, Any]]] = [[] for _ in TURNS]  # each turn's completions in the last round
    first_raw = 0  # turns whose replay ran before the agent's turn
    for round_no in range(args.rounds):
        model = load_model(settings)
        raw = llama_cpp.Llama(path, n_ctx=args.n_ctx, n_gpu_layers=model.llm.model_params.n_gpu_layers,
                              n_threads=model.llm.context_params.n_threads,
                              n_threads_batch=model.llm.context_params.n_threads_batch, seed=0, swa_full=True,
                              flash_attn=model.llm.context_params.flash_attn_type > 0,
                              verbose=False)  # the same kernels and threads: the ratio is the framework's own cost
        recorder = Recorder(model.llm)
        agent = Agent(model, registry, app.shop_context(stores, "S001"), system_prompt=system)
        reached = False  # has any earlier turn run a completion (so a prefix is in the KV cache)?
        for i, text in enumerate(TURNS):
            recorder.calls.clear()
            ahead = round_no % 2 == 1  # this round, the raw side goes first
            if ahead:
                r_s, r_same, r_total = replay(raw, previous[i])
            t0 = time.perf_counter()
            done = [e for e in agent.run(text)][-1]
            a_s = time.perf_counter() - t0
            agent_s += a_s
            tools_s += done.timings.get("tools_s", 0.0)  # the tools' own work is not agent overhead
            if not ahead:
                r_s, r_same, r_total = replay(raw, recorder.calls)
            elif _same_calls(previous[i], recorder.calls):
                first_raw += 1
            else:
                raise SystemExit(f"turn {i + 1} asked for other completions than in the round before: the raw "
                                 "side, which replayed those first, no longer has the agent's KV cache")
            previous[i] = list(recorder.calls)
            raw_s, same, total = raw_s + r_s, same + r_same, total + r_total
            usage = done.usage
            reuse = usage["cached_tokens"] / max(1, usage["prompt_tokens"])
            reuse_by_turn[i].append(reuse)
            if reached and usage["prompt_tokens"]:
                reuse_after.append(reuse)
            reached = reached or bool(recorder.calls)
            print(f"turn {i + 1}: agent {a_s:.2f}s raw {r_s:.2f}s{' (raw first)' if ahead else ''} "
                  f"prompt {usage['prompt_tokens']} cached {usage['cached_tokens']}", file=sys.stderr)
    print(json.dumps({
        "overhead_ratio": round((agent_s - tools_s) / raw_s, 4),
        "overhead_ratio_with_tools": round(agent_s / raw_s, 4),
        "prefix_reuse": round(statistics.mean(reuse_after or [0.0]), 4),
        "prefix_reuse_by_turn": [round(statistics.mean(v), 4) for v in reuse_by_turn],
        "agent_s": round(agent_s, 2), "tools_s": round(tools_s, 2), "raw_s": round(raw_s, 2), "same_text_share": round(same / max(1, total), 3),
        "completions": total, "rounds": args.rounds, "raw_first_turns": first_raw, "model": Path(path).name, "preparer": not args.no_preparer,
    }))


if __name__ == "__main__":
    main()
