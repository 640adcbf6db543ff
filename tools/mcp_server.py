"""The shop's tools as an MCP server, over stdio or streamable HTTP at /mcp.

Whose data a call touches comes from the connection: an HTTP bearer token (or, over stdio, the token the server
was started with) mapped to a shopper in the token table, never from tool arguments. A tool that changes state
runs only after the client confirms through MCP elicitation; a client that cannot be asked gets a
`requires_escalation` answer and nothing is written. A tool may word its own question (metadata `ASK`: what will
be charged, say); the answer is bound to that exact question, so a total that changed since is asked again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
from dataclasses import dataclass
from typing import Any, Callable

import anyio
import mcp_types as types
from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.provider import AccessToken
from mcp.server.lowlevel import Server
from pydantic import ValidationError

from agent.tools import Approval, Tool, ToolContext, ToolError, ToolRegistry, to_data, validation_message
from tools.mcp_tokens import TokenStore

__all__ = ["ASK", "ShopMCP", "TokenVerifier", "http_app", "mount_mcp", "run_stdio"]

log = logging.getLogger("shopagent.mcp")

_CONSENT_KEY = "consent"
_CONSENT_SCHEMA = {"type": "object", "required": ["confirm"],
                   "properties": {"confirm": {"type": "boolean", "title": "Confirm",
                                              "description": "Yes, do this on my behalf"}}}
# Tool metadata: `(ctx, args) -> str`, the consent question for one call (read-only; a ToolError ends the call).
ASK = "mcp_ask"
_MODERN = "2026-07-28"  # from this protocol version on, questions ride an InputRequiredResult


@dataclass
class ShopMCP:
    """The MCP face of a tool registry: `server` is the SDK's low-level server, wired to these tools."""

    registry: ToolRegistry
    context_for: Callable[[str], ToolContext]  # the tools' context for one shopper
    stdio_shopper: str | None = None  # over stdio: the shopper the start-up token named

    def __post_init__(self) -> None:
        self._secret = os.urandom(32)  # binds a consent answer to the exact call it was asked for
        self._lock = threading.Lock()  # the stores are single-writer SQLite/Chroma handles: one call at a time
        self._described: list[types.Tool] | None = None
        self.server = Server("shopagent", version="0.1.0", instructions=(
            "A shop's catalog, checkout (UCP's MCP binding), the signed-in shopper's history and cart. Tools that "
            "change the cart or a checkout ask you to confirm first."), on_list_tools=self._list_tools,
            on_call_tool=self._call_tool)

    # ------------------------------------------------------------ handlers
    async def _list_tools(self, ctx: Any, params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=self._descriptions())

    def _descriptions(self) -> list[types.Tool]:
        # Built once: the registry is fixed, and UCP's checkout schemas take ~90 ms to generate, which the SDK
        # would otherwise pay on every HTTP session's first call.
        if self._described is None:
            self._described = [_describe(t) for t in self.registry]
        return self._described

    async def _call_tool(self, ctx: Any, params: types.CallToolRequestParams) -> Any:
        shopper = self._shopper()
        if shopper is None:
            return _error("not authenticated: this connection carries no valid shopper token")
        tool = self.registry.get(params.name)
        if tool is None:
            return _error(f"Unknown tool {params.name!r}. Valid tools: {', '.join(self.registry.names)}.")
        arguments = params.arguments or {}
        try:
            args = tool.validate(arguments)
        except ValidationError as exc:
            return _error(validation_message(tool.name, exc))
        if tool.writes:
            try:
                question = await anyio.to_thread.run_sync(self._question, tool, shopper, args)
            except ToolError as exc:
                return _error(exc.for_model(tool.name))
            decision = await self._consent(ctx, params, shopper, tool, args, question)
            if not isinstance(decision, bool):
                return decision  # a question for the client, or the answer that it cannot be asked
            if not decision:
                return _result({"status": "declined", "written": False,
                                "message": f"The shopper declined {tool.name}; nothing was changed."})
        try:
            result = await anyio.to_thread.run_sync(self._run, tool, shopper, args, tool.writes)
        except ToolError as exc:
            return _error(exc.for_model(tool.name))
        except Exception:  # a bug in a tool: logged here, and the client gets an error, not a dead connection
            log.exception("tool %s crashed", tool.name)
            return _error(f"{tool.name} failed with an internal error; the shop has logged it")
        return _result(to_data(result))

    def _run(self, tool: Tool, shopper: str, args: Any, confirmed: bool) -> Any:
        # only reached for a writes tool after the client said yes to this very call (see _consent)
        approval = Approval(tool.name, by="mcp-elicitation") if confirmed else None
        with self._lock:
            return tool(self.context_for(shopper), args, approval=approval)

    def _question(self, tool: Tool, shopper: str, args: Any) -> str:
        ask = tool.metadata.get(ASK)
        if ask is not None:
            with self._lock:
                detail = ask(self.context_for(shopper), args)
        else:
            detail = f"{tool.name}(" + ", ".join(f"{k}={v!r}" for k, v in args.model_dump(
                mode="json", by_alias=True).items() if v is not None) + ")"
        return f"Allow {detail} for shopper {shopper}? {tool.description.splitlines()[0]}"

    def _shopper(self) -> str | None:
        token = get_access_token()  # set by the HTTP bearer middleware; None over stdio
        return token.client_id if token is not None else self.stdio_shopper

    # ------------------------------------------------------------ consent
    async def _consent(self, ctx: Any, params: types.CallToolRequestParams, shopper: str, tool: Tool,
                       args: Any, question: str) -> bool | types.CallToolResult | types.InputRequiredResult:
        seal = self._seal(shopper, tool.name, args, question)
        answer = (params.input_responses or {}).get(_CONSENT_KEY)
        if answer is not None:  # a retry carrying the client's answer: valid only for the call it was asked about
            if params.request_state is None or not hmac.compare_digest(params.request_state, seal):
                return _error("this confirmation was given for a different call; call the tool again")
            return _accepted(answer)
        caps = ctx.session.client_capabilities
        if caps is None or caps.elicitation is None:
            return _result({"status": "requires_escalation", "written": False,
                            "message": f"{tool.name} changes the shopper's data and needs their confirmation, "
                                       "but this client cannot ask them (no MCP elicitation). Nothing was "
                                       "changed; ask the shopper, then use a client that can confirm."})
        ask = types.ElicitRequestFormParams(message=question, requested_schema=_CONSENT_SCHEMA)
        if ctx.protocol_version >= _MODERN:
            return types.InputRequiredResult(input_requests={_CONSENT_KEY: types.ElicitRequest(params=ask)},
                                             request_state=seal)
        reply = await ctx.session.elicit_form(question, _CONSENT_SCHEMA, ctx.request_id)
        return _accepted(reply)

    def _seal(self, shopper: str, name: str, args: Any, question: str) -> str:
        body = json.dumps([shopper, name, args.model_dump(mode="json"), question], sort_keys=True, default=str)
        return hmac.new(self._secret, body.encode(), hashlib.sha256).hexdigest()


def _accepted(reply: Any) -> bool:
    return getattr(reply, "action", None) == "accept" and bool((getattr(reply, "content", None) or {}).get("confirm"))


def _describe(t: Tool) -> types.Tool:
    schema = t.spec()["function"]["parameters"]
    # Hints for the client: our read tools are read-only; a tool that writes may overwrite (we say so).
    notes = types.ToolAnnotations(read_only_hint=not t.writes, destructive_hint=t.writes, open_world_hint=False)
    return types.Tool(name=t.name, description=t.description, input_schema=schema, annotations=notes)


def _result(data: Any) -> types.CallToolResult:
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, default=str)
    structured = data if isinstance(data, dict) else None
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)], structured_content=structured)


def _error(message: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=message)], is_error=True)


# ---------------------------------------------------------------- transports
class TokenVerifier:
    """The SDK's bearer-token hook: a token from the table becomes an AccessToken whose client_id is the shopper."""

    def __init__(self, tokens: TokenStore) -> None:
        self.tokens = tokens

    async def verify_token(self, token: str) -> AccessToken | None:
        shopper = self.tokens.shopper_for(token)
        return AccessToken(token=token, client_id=shopper, scopes=[]) if shopper else None


def http_app(shop: ShopMCP, tokens: TokenStore, *, host: str = "127.0.0.1", port: int = 8765,
             path: str = "/mcp") -> Any:
    """A Starlette ASGI app serving `shop` at `path`; requests without a known bearer token get 401.

    Mount it beside another app with its routes and its lifespan (which runs the MCP session manager)."""
    from mcp.server.auth.settings import AuthSettings

    auth = AuthSettings(issuer_url=f"http://{host}:{port}", resource_server_url=None)
    return shop.server.streamable_http_app(streamable_http_path=path, host=host, auth=auth,
                                           token_verifier=TokenVerifier(tokens))


def mount_mcp(host: Any, shop: ShopMCP, tokens: TokenStore, *, path: str = "/mcp", bind: str = "127.0.0.1",
              port: int = 8765) -> Any:
    """Serve MCP at `path` inside another Starlette/FastAPI app (e.g. the UCP REST app) and run its session
    manager from that app's lifespan. Call it after the host's own routes are added: the MCP app is mounted
    last, so it only sees what the host does not answer. `GET {path}/tools.json` lists the tools without a
    token, and `host.state.mcp` names both paths for the host's discovery document."""
    from contextlib import asynccontextmanager

    from starlette.responses import JSONResponse

    def listing(request: Any) -> JSONResponse:
        # what `tools/list` answers, readable without a token: discovery documents (UCP's `mcp.schema`) point here
        return JSONResponse(types.ListToolsResult(tools=shop._descriptions()).model_dump(
            mode="json", by_alias=True, exclude_none=True))

    host.add_route(f"{path}/tools.json", listing, methods=["GET"])
    host.state.mcp = {"endpoint": path, "schema": f"{path}/tools.json"}  # for the host's discovery document
    sub = http_app(shop, tokens, host=bind, port=port, path=path)  # `bind`: the Host header it accepts
    host.mount("", sub)
    outer = host.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: Any):
        async with shop.server.session_manager.run():
            async with outer(app) as state:
                yield state

    host.router.lifespan_context = lifespan
    return host


def run_stdio(shop: ShopMCP) -> None:
    """Serve `shop` on this process's stdin/stdout until the client closes them."""
    from mcp.server.stdio import stdio_server

    async def main() -> None:
        async with stdio_server() as (read, write):
            await shop.server.run(read, write, shop.server.create_initialization_options())

    anyio.run(main)
