"""Chat latency on the embedded model, as a shopper meets it: `python cli.py` in two fresh processes in a row.

The same fixed 6-turn conversation runs through `cli.main` (the code path of `python cli.py chat`) twice, each
in a new process over one home directory: the first launch finds nothing on disk, the second finds what the
first left (the indexed demo catalog, the assembled model, the KV state of the prompt prefix). Every llama.cpp
completion of the second process is recorded, then replayed by a third process on a raw `llama_cpp.Llama`
(fresh, no stored state) to the same number of tokens: the same figures without the agent.

first_reply_s: from process start to the end of the first turn (second process). median_turn_s: over the 6
turns, from the shopper's line to the next prompt.
Prints a final JSON line. Usage: python bench/chat_latency.py [--home DIR] [--threads N]
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before the heavy imports: a launch includes them

import argparse  # noqa: E402
import contextlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TURNS = [
    "wireless earbuds under $60",
    "tell me more about the first one",
    "what do people say about P0019?",
    "compare P0019 and P0005",
    "add P0019 to my cart",
    "thanks, that's all",
]


class _Typed(io.StringIO):
    """Standard input that types the turns, noting when each line is asked for (a turn ends at the next)."""

    def __init__(self, lines: list[str], marks: list[float], turn: dict[str, int]) -> None:
        super().__init__()
        self._lines, self._marks, self._turn = iter(lines), marks, turn

    def readline(self, size: int = -1) -> str:
        self._marks.append(time.perf_counter())
        self._turn["index"] += 1
        return next(self._lines, "") + "\n"


def _child(record: Path | None, threads: int | None) -> dict[str, Any]:
    """One launch of `python cli.py chat`, the turns typed on its input; its timings (and recorded completions)."""
    import runpy

    sys.path.insert(0, str(ROOT))
    import llama_cpp

    calls: list[dict[str, Any]] = []
    turn = {"index": -1}
    if record is not None:
        inner = llama_cpp.Llama.create_completion

        def recorded(self: Any, prompt: Any, **kwargs: Any) -> Any:
            entry = {"turn": turn["index"], "prompt": list(prompt), "text": "", "stop": kwargs.get("stop") or []}
            calls.append(entry)
            for chunk in inner(self, prompt, **kwargs):
                entry["text"] += chunk["choices"][0]["text"]
                yield chunk

        llama_cpp.Llama.create_completion = recorded  # type: ignore[method-assign]
    marks: list[float] = []
    out = io.StringIO()
    sys.argv = [str(ROOT / "cli.py"), "chat", "--json", "--yes", *(["--threads", str(threads)] if threads else [])]
    sys.stdin = _Typed(TURNS + ["/quit"], marks, turn)
    code: Any = 0
    with contextlib.redirect_stdout(out):
        try:
            runpy.run_path(str(ROOT / "cli.py"), run_name="__main__")  # the front end exactly as launched
        except SystemExit as exc:
            code = exc.code
    events = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]
    done = [e for e in events if e["type"] == "done"]
    if code not in (0, None) or len(done) != len(TURNS):
        raise SystemExit(f"the chat ended early (exit {code}, {len(done)} of {len(TURNS)} turns)")
    if record is not None:
        record.write_text(json.dumps(calls))
    return {"first_reply_s": round(marks[1] - STARTED, 2),
            "turn_s": [round(b - a, 2) for a, b in zip(marks, marks[1:])],
            "prompt_tokens": [d["usage"].get("prompt_tokens", 0) for d in done],
            "cached_tokens": [d["usage"].get("cached_tokens", 0) for d in done]}


def _raw(record: Path, threads: int | None) -> dict[str, Any]:
    """The recorded completions on a fresh raw llama.cpp, turn by turn, to the same number of tokens."""
    sys.path.insert(0, str(ROOT))
    import llama_cpp

    from tools import app
    from agent.models.embedded import embedded_model_path
    from agent.models.threads import default_threads

    calls = json.loads(record.read_text())
    gen_threads, batch_threads = (threads, threads) if threads else default_threads()
    llm = llama_cpp.Llama(str(embedded_model_path(app.home() / "models")), n_ctx=8192, n_threads=gen_threads,
                          n_threads_batch=batch_threads, seed=0, swa_full=True, flash_attn=True,
                          verbose=False)  # as LlamaCppModel loads it
    loaded = time.perf_counter()
    ends: dict[int, float] = {}
    prompt_tokens: dict[int, int] = {}
    for call in calls:
        n = max(1, len(llm.tokenize(call["text"].encode(), add_bos=False)))
        llm.create_completion(call["prompt"], max_tokens=n, temperature=0.0, seed=0, stop=call["stop"])
        ends[call["turn"]] = time.perf_counter()
        prompt_tokens[call["turn"]] = prompt_tokens.get(call["turn"], 0) + len(call["prompt"])
    turns = sorted(ends)
    return {"first_reply_s": round(ends[turns[0]] - STARTED, 2),
            "turn_s": [round(b - a, 2) for a, b in zip([loaded] + [ends[t] for t in turns], [ends[t] for t in turns])],
            "prompt_tokens": [prompt_tokens[t] for t in turns]}


def _launch(*args: str, home: Path) -> dict[str, Any]:
    env = dict(os.environ, SHOPAGENT_HOME=str(home))
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="home directory to use (default: a new temporary one)")
    parser.add_argument("--threads", type=int, help="llama.cpp threads")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--record", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--raw", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.record, args.threads)))
        return
    if args.raw:
        print(json.dumps(_raw(args.raw, args.threads)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        home = args.home or Path(tmp) / "home"
        threads = [] if args.threads is None else ["--threads", str(args.threads)]
        first = _launch("--child", *threads, home=home)
        calls = Path(tmp) / "calls.json"
        second = _launch("--child", "--record", str(calls), *threads, home=home)
        raw = _launch("--raw", str(calls), *threads, home=home)
    print(json.dumps({
        "first_reply_s": second["first_reply_s"], "median_turn_s": statistics.median(second["turn_s"]),
        "prompt_tokens_per_turn": round(statistics.mean(second["prompt_tokens"])),
        "cached_share": round(sum(second["cached_tokens"]) / max(1, sum(second["prompt_tokens"])), 3),
        "cold_first_reply_s": first["first_reply_s"],
        "raw_first_reply_s": raw["first_reply_s"], "raw_median_turn_s": statistics.median(raw["turn_s"]),
        "raw_prompt_tokens_per_turn": round(statistics.mean(raw["prompt_tokens"])),
        "turn_s": second["turn_s"], "raw_turn_s": raw["turn_s"], "turns": len(TURNS),
    }))


if __name__ == "__main__":
    main()
