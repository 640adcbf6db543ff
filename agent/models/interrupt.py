"""llama.cpp work that Ctrl-C stops within a fraction of a second.

Python runs a signal handler only between bytecodes of the main thread, and llama.cpp checks nothing between the
nodes of a prompt batch: Ctrl-C during prompt evaluation waited for the batch (512 tokens: 1.2 s on 2 idle
cores, 8 s on a busy one). Smaller batches cost prompt throughput (measured in bench/interrupt.py). Instead the
completion runs on a worker thread while the main thread waits in an interruptible queue; on KeyboardInterrupt
(or a closed stream) it sets a flag that llama.cpp's abort callback reads between graph nodes, so llama_decode
returns at once, and waits for the worker. An aborted batch is never counted: llama-cpp-python advances
`n_tokens` only after a batch decodes, and removes KV cells past `n_tokens` before the next evaluation, so the
context stays consistent and the next prompt reuses the prefix evaluated so far."""

from __future__ import annotations

import ctypes
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import llama_cpp

__all__ = ["Interruptible"]

T = TypeVar("T")
_POLL_S = 0.05  # how often the waiting main thread wakes (a signal wakes it anyway on POSIX)
_END = object()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class _AbortFlag:
    """The stop flag, readable by llama.cpp without Python: llama.cpp asks its abort callback between every two
    graph nodes (about 440 times a token for a 270M model), and a Python callback takes the GIL each time, from
    the worker, while the main thread waits. The C library's `strlen` over a one-byte buffer is that callback
    instead: it returns 0 ("go on") for "" and 1 ("abort") for "x", in the register where a C `bool` is read on
    the ABIs llama.cpp runs on. Where no C library can be loaded, a Python callback reads the same flag."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._byte = ctypes.create_string_buffer(2)

    def callback(self) -> tuple[Any, Any]:
        """(the ggml_abort_callback, its data pointer) to hand to llama_set_abort_callback."""
        try:
            strlen = ctypes.CDLL(None).strlen
        except (OSError, AttributeError):  # no C library by that name (e.g. Windows): the slower, portable one
            return llama_cpp.ggml_abort_callback(lambda _data: self._event.is_set()), None
        return ctypes.cast(strlen, llama_cpp.ggml_abort_callback), ctypes.cast(self._byte, ctypes.c_void_p)

    def set(self) -> None:
        self._byte.value = b"x"
        self._event.set()

    def clear(self) -> None:
        self._byte.value = b""
        self._event.clear()

    def is_set(self) -> bool:
        return self._event.is_set()


class Interruptible:
    """Runs one llama.cpp generator at a time on a worker thread, abortable from the consuming thread."""

    def __init__(self, llm: Any) -> None:
        self._abort = _AbortFlag()
        # Kept on the instance: llama.cpp holds only the C pointer, the ctypes objects must outlive the context.
        self._callback, data = self._abort.callback()
        llama_cpp.llama_set_abort_callback(llm._ctx.ctx, self._callback, data)
        self._worker: threading.Thread | None = None

    def run(self, start: Callable[[], Iterator[T]]) -> Iterator[T]:
        """The items of `start()`, produced on the worker; KeyboardInterrupt or close() stops it within a node."""
        self.wait()  # a worker cut short by a second Ctrl-C still finishes before the context is used again
        self._abort.clear()
        items: queue.Queue[Any] = queue.Queue()

        def work() -> None:
            pieces = None
            try:
                pieces = start()
                for piece in pieces:
                    if self._abort.is_set():
                        break
                    items.put(piece)
            except BaseException as error:  # handed to the consumer, which raises it where it reads
                items.put(_Failed(error))
            finally:
                if pieces is not None and hasattr(pieces, "close"):
                    pieces.close()
                items.put(_END)

        self._worker = threading.Thread(target=work, name="llama-generate", daemon=True)
        self._worker.start()
        try:
            while True:
                try:
                    item = items.get(timeout=_POLL_S)
                except queue.Empty:
                    continue
                if item is _END:
                    return
                if isinstance(item, _Failed):
                    raise item.error
                yield item
        finally:
            self._abort.set()  # a no-op after a normal end; else stop llama_decode between graph nodes
            self.wait()

    def wait(self) -> None:
        if self._worker is not None:
            self._worker.join()
            self._worker = None
        self._abort.clear()  # the context may be used outside run() (a state save): nothing may abort that
