"""GPU offload on the embedded model: llama.cpp with no layer on the GPU vs the project's default, same GGUF.

The GGUF is loaded twice through `LlamaCppModel`: with n_gpu_layers=0, and with the project's default (all
layers, -1, when `llama_cpp.llama_supports_gpu_offload()`; a CPU-only build skips this half and says so).
Alternating between the two for --reps rounds after one untimed warm-up each, a --prompt-tokens prompt (the
grammar protocol's document, repeated to length) is processed from an empty KV cache, then --gen greedy
tokens are decoded; the two phases are timed apart. Last, each backend makes one grammar-protocol tool
decision, the path an agent step takes.

Prints a final JSON line: supports_gpu_offload, median prompt and decode tok/s per backend, gpu/cpu ratios,
the decisions. Usage: python bench/gpu_offload.py [--model PATH.gguf] [--reps 3] [--prompt-tokens 2048]
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import llama_cpp  # noqa: E402

from agent.models.base import ToolCall  # noqa: E402
from agent.models.llama import LlamaCppModel  # noqa: E402
from tools import app  # noqa: E402
from tools.resources import load_prompt_yaml, render_prompt  # noqa: E402
from agent.tools import tool  # noqa: E402


# Stand-ins with the real tools' names: the registry in tools/ needs the catalog's stores (chromadb, onnxruntime),
# which a bare GPU machine lacks, and the document only needs names, signatures and descriptions.
@tool
def search_catalog(query: str, max_price: float | None = None):
    """Search the product catalog by keywords, optionally under a maximum price."""


@tool
def get_product(product_id: str):
    """Full details of one product: price, stock, rating, attributes, variants and a few reviews."""


SPECS = [search_catalog.spec(), get_product.spec()]
MESSAGES = [{"role": "system", "content": render_prompt("system.md", shop_name="Benchmark shop", shopper_id="S001")},
            {"role": "user", "content": "I need a waterproof hiking jacket under $150"}]


def prompt_tokens(model: LlamaCppModel, n: int) -> list[int]:
    """The grammar document for MESSAGES, cycled to exactly n tokens (only the length matters for speed)."""
    doc = model.llm.tokenize(model.document.render(MESSAGES, SPECS)[0].encode(), special=True)
    return list(itertools.islice(itertools.cycle(doc), n))


def timed(llm: llama_cpp.Llama, prompt: list[int], gen: int) -> tuple[float, float]:
    """(prompt tok/s, decode tok/s): the prompt from an empty KV cache, then `gen` more greedy tokens."""
    llm.reset()
    tokens = llm.generate(prompt, temp=0.0)
    started = time.perf_counter()
    next(tokens)  # evaluates the whole prompt, samples the first token
    prompted = time.perf_counter()
    for _ in itertools.islice(tokens, gen):  # each step decodes the previous token and samples the next
        pass
    done = time.perf_counter()
    tokens.close()
    return len(prompt) / (prompted - started), gen / (done - prompted)


def decide(model: LlamaCppModel) -> tuple[dict[str, Any], float]:
    """One grammar-protocol step from an empty cache: the tool call (or none) and its seconds."""
    model.llm.reset()
    started = time.perf_counter()
    calls = [c for c in model.stream(MESSAGES, SPECS) if isinstance(c, ToolCall)]
    seconds = time.perf_counter() - started
    if not calls:
        return {"tool": "none"}, seconds
    return {"tool": calls[0].name, "args": json.loads(calls[0].arguments)}, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a GGUF path (default: the embedded gemma-3-270m)")
    parser.add_argument("--reps", type=int, default=3, help="timed rounds per backend, alternated")
    parser.add_argument("--prompt-tokens", type=int, default=2048)
    parser.add_argument("--gen", type=int, default=128, help="greedy tokens decoded after the prompt")
    args = parser.parse_args()

    if args.model:
        path = args.model
    else:
        from agent.models.embedded import embedded_model_path
        path = str(embedded_model_path(app.home() / "models"))
    offload = bool(llama_cpp.llama_supports_gpu_offload())
    layers: dict[str, int | None] = {"cpu": 0}
    if offload:
        layers["gpu"] = None  # LlamaCppModel's default: every layer when the build can offload
    else:
        print("this llama-cpp-python build cannot offload to a GPU: measuring the CPU only", file=sys.stderr)
    few_shot = load_prompt_yaml("fewshot.yaml")
    models = {name: LlamaCppModel(path, n_gpu_layers=n, few_shot=few_shot) for name, n in layers.items()}
    prompt = prompt_tokens(models["cpu"], args.prompt_tokens)

    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in models}
    for rep in range(args.reps + 1):
        for name, model in models.items():
            pp, tg = timed(model.llm, prompt, args.gen)
            if rep:  # the first round warms up (CUDA kernels, buffers, page cache)
                runs[name].append((pp, tg))
            print(f"{'warm-up' if not rep else f'rep {rep}'} {name}: prompt {pp:.0f} tok/s, decode {tg:.1f} tok/s",
                  file=sys.stderr)
    prompt_tok_s = {name: round(statistics.median(r[0] for r in rs), 1) for name, rs in runs.items()}
    decode_tok_s = {name: round(statistics.median(r[1] for r in rs), 1) for name, rs in runs.items()}
    decisions = {name: decide(model) for name, model in models.items()}
    for name, (decision, seconds) in decisions.items():
        print(f"decision {name}: {json.dumps(decision)} in {seconds:.2f}s", file=sys.stderr)

    ratios = None
    if "gpu" in models:
        ratios = {"prompt": round(prompt_tok_s["gpu"] / prompt_tok_s["cpu"], 2),
                  "decode": round(decode_tok_s["gpu"] / decode_tok_s["cpu"], 2)}
    print(json.dumps({
        "supports_gpu_offload": offload,
        "n_gpu_layers": {name: m.llm.model_params.n_gpu_layers for name, m in models.items()},
        "prompt_tok_s": prompt_tok_s, "decode_tok_s": decode_tok_s, "gpu_over_cpu": ratios,
        "decision": {name: d for name, (d, _) in decisions.items()},
        "decision_s": {name: round(s, 3) for name, (_, s) in decisions.items()},
        "same_decision": len({json.dumps(d, sort_keys=True) for d, _ in decisions.values()}) == 1,
        "prompt_tokens": len(prompt), "gen_tokens": args.gen, "reps": args.reps,
        "cpu_threads": models["cpu"].llm.context_params.n_threads,
        "llama_cpp_python": llama_cpp.__version__, "model": Path(path).name,
    }))


if __name__ == "__main__":
    main()
