"""How fast Ctrl-C stops the embedded model, and what smaller prompt batches would have cost instead.

raw_sigint_s: SIGINT 1 s into a 2,048-token prompt evaluated on the main thread (llama-cpp-python as is: the
signal waits for the batch). worker_sigint_s: the same through agent.models.interrupt (worker thread + abort
callback). chat_sigint_to_prompt_s: a real `python cli.py chat` in a pseudo-terminal, SIGINT 3 s into a turn,
until its `you>` prompt is back. With --batches: prompt tokens/s at n_batch 512, 128 and 64.
Prints a final JSON line. Usage: python bench/interrupt.py [--home DIR] [--batches]
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROMPT = "you>"


def interrupted_chat(home: Path, text: str, after_s: float, then: str | None = None,
                     timeout: float = 600) -> dict[str, Any]:
    """Type `text` into `python cli.py chat`, SIGINT it `after_s` later, time the prompt's return, type `then`
    (a turn that must finish on the same model), then /quit."""
    env = dict(os.environ, SHOPAGENT_HOME=str(home), COLUMNS="120", TERM="dumb")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI exactly as a shopper launches it
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "cli.py", "chat"], env)
    screen = bytearray()

    def until(count: int, deadline: float) -> bool:
        while screen.decode(errors="replace").count(PROMPT) < count:
            if time.monotonic() > deadline:
                return False
            ready, _, _ = select.select([fd], [], [], 0.02)
            if ready:
                try:
                    screen.extend(os.read(fd, 65536))
                except OSError:
                    return False
        return True

    started = time.monotonic()
    result: dict[str, Any] = {"started": until(1, started + timeout)}
    os.write(fd, text.encode() + b"\r")
    time.sleep(after_s)
    sent = time.monotonic()
    os.kill(pid, signal.SIGINT)
    result["returned"] = until(2, sent + timeout)
    result["sigint_to_prompt_s"] = round(time.monotonic() - sent, 3)
    if then is not None:
        os.write(fd, then.encode() + b"\r")
        result["then_returned"] = until(3, time.monotonic() + timeout)
    os.write(fd, b"/quit\r")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            result["exit"] = os.waitstatus_to_exitcode(status)
            break
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                screen.extend(os.read(fd, 65536))
            except OSError:
                pass
    else:
        os.kill(pid, signal.SIGKILL)
        result["exit"] = None
    os.close(fd)
    result["screen"] = screen.decode(errors="replace")
    return result


def _sigint_after(seconds: float) -> None:
    threading.Timer(seconds, lambda: os.kill(os.getpid(), signal.SIGINT)).start()


def _model_path(home: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from agent.models.embedded import embedded_model_path

    return embedded_model_path(home / "models")


def _tokens(llm: Any) -> list[int]:
    text = (ROOT / "prompts" / "fewshot.yaml").read_text(encoding="utf-8") * 4
    return llm.tokenize(text.encode())[:2048]


def _raw_sigint(path: Path, worker: bool) -> float:
    import llama_cpp

    from agent.models.interrupt import Interruptible

    llm = llama_cpp.Llama(str(path), n_ctx=4096, seed=0, swa_full=True, verbose=False)
    tokens = _tokens(llm)
    run = Interruptible(llm).run if worker else (lambda start: start())
    _sigint_after(1.0)
    started = time.monotonic()
    try:
        for _ in run(lambda: llm.create_completion(tokens, max_tokens=1, stream=True)):
            pass
    except KeyboardInterrupt:
        pass
    return round(time.monotonic() - started - 1.0, 3)


def _batch_speeds(path: Path) -> dict[str, float]:
    import llama_cpp

    speeds = {}
    for n_batch in (512, 128, 64):
        llm = llama_cpp.Llama(str(path), n_ctx=4096, n_batch=n_batch, seed=0, swa_full=True, verbose=False)
        tokens = _tokens(llm)
        started = time.perf_counter()
        llm.eval(tokens)
        speeds[str(n_batch)] = round(len(tokens) / (time.perf_counter() - started), 1)
        del llm
    return speeds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="a SHOPAGENT_HOME to reuse (default: a fresh temporary one)")
    parser.add_argument("--batches", action="store_true", help="also measure prompt tokens/s per n_batch")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="interrupt-home-"))
    path = _model_path(home)
    out: dict[str, Any] = {"raw_sigint_s": _raw_sigint(path, worker=False),
                           "worker_sigint_s": _raw_sigint(path, worker=True)}
    if args.batches:
        out["prompt_tokens_per_s_by_n_batch"] = _batch_speeds(path)
    # Warm the home (demo catalog indexed, intent index, KV state of the prefix) so the SIGINT lands in a turn.
    subprocess.run([sys.executable, "cli.py", "chat", "--once", "hello"], cwd=ROOT, capture_output=True,
                   env=dict(os.environ, SHOPAGENT_HOME=str(home)), timeout=1800)
    chat = interrupted_chat(home, "wireless earbuds under $60", after_s=3.0)
    out.update(chat_sigint_to_prompt_s=chat["sigint_to_prompt_s"], chat_exit=chat["exit"],
               chat_cancelled="(turn cancelled)" in chat["screen"], traceback="Traceback" in chat["screen"])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
