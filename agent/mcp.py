"""MCP client: a remote server's tools adopted as typed tools. The SDK is async; it runs on one background loop here.

`connect("http://127.0.0.1:8000/mcp")` (streamable HTTP) or `connect("python -m some_server")` (a command, stdio)
returns an `MCPConnection`; `adopt_mcp(registry, conn)` adds its tools. A remote error (`isError`) becomes a
`ToolError`; a server that goes away ends the call with an `MCPUnavailable` (a `ToolError`) that says so.
"""

from __future__ import annotations

import asyncio
import shlex
import tempfile
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any, Coroutine, Mapping, TypeVar

from agent.mcp_schema import model_from_schema
from agent.tools import Tool, ToolError, ToolRegistry

__all__ = ["MCPConnection", "MCPUnavailable", "adopt_mcp", "connect", "is_url"]

T = TypeVar("T")


class MCPUnavailable(ToolError):
    """The MCP server cannot be reached (never started, exited, or stopped answering)."""


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


@dataclass
class MCPConnection:
    """One live MCP client session, driven from synchronous code."""

    target: str  # a URL (streamable HTTP) or a command line (stdio)
    headers: Mapping[str, str] = field(default_factory=dict)  # HTTP only, e.g. Authorization
    env: Mapping[str, str] = field(default_factory=dict)  # stdio only: extra variables for the server process
    timeout: float = 60.0  # seconds per request
    server_name: str = ""
    _loop: asyncio.AbstractEventLoop | None = field(default=None, init=False, repr=False)
    _client: Any = field(default=None, init=False, repr=False)
    _stop: asyncio.Event | None = field(default=None, init=False, repr=False)
    _gone: asyncio.Event | None = field(default=None, init=False, repr=False)
    _why_gone: str = field(default="", init=False, repr=False)
    _approved: int = field(default=0, init=False, repr=False)  # approved write calls in flight
    _errlog: Any = field(default=None, init=False, repr=False)

    # ------------------------------------------------------------ lifecycle
    def open(self) -> "MCPConnection":
        if self._loop is not None:
            raise RuntimeError("this MCP connection is already open")
        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name=f"mcp:{self.target[:40]}", daemon=True).start()
        self._loop = loop
        ready: asyncio.Future = self._submit(self._start())
        try:
            ready.result(self.timeout)
        except FutureTimeout:
            self.close()
            raise MCPUnavailable(f"MCP server {self.target!r} did not answer within {self.timeout:.0f}s") from None
        except MCPUnavailable:
            self.close()
            raise
        return self

    def close(self) -> None:
        if self._loop is None:
            return
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
            if self._gone is not None:
                try:
                    self._submit(self._gone.wait()).result(10)
                except Exception:  # a session that will not close cleanly is still abandoned below
                    pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._loop = None
        if self._errlog is not None:
            self._errlog.close()

    def __enter__(self) -> "MCPConnection":
        return self if self._loop is not None else self.open()  # `with connect(…)`: already open

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------ sync API
    def list_tools(self) -> list[Any]:
        """The server's tools (the SDK's `Tool` records: name, description, inputSchema, annotations)."""
        result = self._run(self._client.list_tools())
        return list(result.tools)

    def call_tool(self, name: str, arguments: dict[str, Any], *, approved: bool = False) -> Any:
        """Call a remote tool; its data (structured content, parsed JSON text or text) or a ToolError."""
        result = self._run(self._call(name, arguments, approved))
        if result.is_error:
            raise ToolError(_text(result) or f"{name} failed on the MCP server")
        return _data(result)

    # ------------------------------------------------------------ async side (runs on the loop)
    def _submit(self, coro: Coroutine[Any, Any, T]) -> Any:
        if self._loop is None:
            coro.close()
            raise MCPUnavailable(f"the MCP connection to {self.target!r} is closed")
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        if self._gone is not None and self._gone.is_set():
            coro.close()
            raise MCPUnavailable(self._gone_message())
        future = self._submit(self._guarded(coro))
        try:
            return future.result(self.timeout + 5)
        except FutureTimeout:
            future.cancel()
            raise MCPUnavailable(f"MCP server {self.target!r} did not answer within {self.timeout:.0f}s") from None

    async def _guarded(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` unless the session ends first; any transport failure becomes MCPUnavailable."""
        task = asyncio.ensure_future(coro)
        gone = asyncio.ensure_future(self._gone.wait())
        done, _ = await asyncio.wait({task, gone}, timeout=self.timeout, return_when=asyncio.FIRST_COMPLETED)
        gone.cancel()
        if task not in done:
            task.cancel()
            raise MCPUnavailable(self._gone_message() if self._gone.is_set()
                                 else f"MCP server {self.target!r} did not answer within {self.timeout:.0f}s")
        try:
            return task.result()
        except ToolError:
            raise
        except Exception as exc:  # the SDK raises transport/protocol errors of many types: all mean "gone"
            from mcp.shared.exceptions import MCPError
            from mcp_types import CONNECTION_CLOSED, REQUEST_TIMEOUT

            if isinstance(exc, MCPError) and exc.code not in (CONNECTION_CLOSED, REQUEST_TIMEOUT):
                raise ToolError(f"the MCP server refused the call: {exc}") from None  # it is there, said no
            self._why_gone = self._why_gone or _short(exc)
            raise MCPUnavailable(self._gone_message()) from None

    async def _call(self, name: str, arguments: dict[str, Any], approved: bool) -> Any:
        self._approved += approved
        try:
            return await self._client.call_tool(name, arguments)
        finally:
            self._approved -= approved

    async def _start(self) -> None:
        self._stop, self._gone = asyncio.Event(), asyncio.Event()
        ready = asyncio.get_running_loop().create_future()
        asyncio.ensure_future(self._session(ready))
        await ready

    async def _session(self, ready: asyncio.Future) -> None:
        """Hold the SDK client open (its context must be entered and left in one task) until closed or lost."""
        from mcp import Client

        try:
            async with Client(self._transport(), elicitation_callback=self._elicit,
                              read_timeout_seconds=self.timeout) as client:
                self._client = client
                info = client.server_info
                self.server_name = self.server_name or (info.name if info else "")
                ready.set_result(None)
                await self._stop.wait()
        except BaseException as exc:  # noqa: BLE001 - the end of a session, whatever ended it, is reported
            self._why_gone = _short(exc)
            if not ready.done():
                ready.set_exception(MCPUnavailable(f"cannot connect to MCP server {self.target!r}: "
                                                   f"{self._why_gone}{self._stderr_tail()}"))
        finally:
            if not self._why_gone and not self._stop.is_set():
                self._why_gone = "the session ended"
            self._gone.set()

    def _transport(self) -> Any:
        if is_url(self.target):
            import httpx2
            from mcp.client.streamable_http import streamable_http_client

            http = httpx2.AsyncClient(headers=dict(self.headers), timeout=httpx2.Timeout(30.0, read=300.0))
            return streamable_http_client(self.target, http_client=http)
        from mcp import StdioServerParameters
        from mcp.client.stdio import stdio_client

        argv = shlex.split(self.target)
        if not argv:
            raise MCPUnavailable("an empty MCP server command")
        self._errlog = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")
        params = StdioServerParameters(command=argv[0], args=argv[1:], env=dict(self.env) or None)
        return stdio_client(params, errlog=self._errlog)

    async def _elicit(self, context: Any, params: Any) -> Any:
        """Answer a server's confirmation question: yes only inside a call the user already approved here."""
        import mcp_types as types

        schema = getattr(params, "requested_schema", None) or {}
        props = schema.get("properties", {})
        only_flags = bool(props) and all(p.get("type") == "boolean" for p in props.values())
        if self._approved and only_flags:
            return types.ElicitResult(action="accept", content={k: True for k in props})
        return types.ElicitResult(action="decline")

    def _gone_message(self) -> str:
        why = self._why_gone or "the connection closed"
        return f"MCP server {self.server_name or self.target!r} is gone ({why}); its tools are unavailable" \
               f"{self._stderr_tail()}"

    def _stderr_tail(self) -> str:
        if self._errlog is None or self._errlog.closed:
            return ""
        try:
            self._errlog.flush()
            self._errlog.seek(0)
            tail = self._errlog.read()[-400:].strip()
        except (OSError, ValueError):
            return ""
        return f"; server said: {tail}" if tail else ""


def connect(target: str, *, headers: Mapping[str, str] | None = None, env: Mapping[str, str] | None = None,
            timeout: float = 60.0) -> MCPConnection:
    """Open a session with an MCP server: a URL (streamable HTTP) or a command line (stdio)."""
    return MCPConnection(target, headers=dict(headers or {}), env=dict(env or {}), timeout=timeout).open()


def adopt_mcp(registry: ToolRegistry, conn: MCPConnection, *, prefix: str = "") -> list[Tool]:
    """Add every tool of `conn` to `registry`; a name already taken gets the server's name as a prefix."""
    added = []
    for remote in conn.list_tools():
        name = prefix + remote.name
        if registry.get(name) is not None:
            name = f"{_slug(conn.server_name or 'mcp')}__{remote.name}"
        added.append(registry.add(remote_tool(conn, remote, name=name)))
    return added


def remote_tool(conn: MCPConnection, remote: Any, *, name: str | None = None) -> Tool:
    """One remote tool as a `Tool`: its JSON schema is the args model; state-changing ones are `writes`."""
    args_model = model_from_schema(name or remote.name, remote.input_schema)
    aliases = {field_name: f.alias or field_name for field_name, f in args_model.model_fields.items()}
    required = set((remote.input_schema or {}).get("required", []))
    annotations = remote.annotations
    # MCP's hints: a tool that says it is not read-only, or that it is destructive, changes state.
    writes = bool(annotations and (annotations.read_only_hint is False or annotations.destructive_hint is True))

    def call(**kwargs: Any) -> Any:
        arguments = {aliases[k]: v for k, v in kwargs.items() if v is not None or aliases[k] in required}
        return conn.call_tool(remote.name, arguments, approved=writes)

    description = (remote.description or remote.title or remote.name).strip()
    return Tool(name or remote.name, description, args_model, call, writes)


def _data(result: Any) -> Any:
    if result.structured_content is not None:
        return result.structured_content
    import json

    text = _text(result)
    try:
        return json.loads(text) if text else None
    except json.JSONDecodeError:
        return text


def _text(result: Any) -> str:
    parts = []
    for block in result.content or []:
        text = getattr(block, "text", None)
        parts.append(text if text is not None else f"[{getattr(block, 'type', 'content')} content]")
    return "\n".join(parts).strip()


def _short(exc: BaseException) -> str:
    if isinstance(exc, BaseExceptionGroup):  # anyio task groups wrap the real cause
        return "; ".join(_short(e) for e in exc.exceptions[:3])
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _slug(name: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9_-]", "_", name)[:24] or "mcp"

