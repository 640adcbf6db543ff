"""OpenAIModel against a real llama-cpp-python server on 127.0.0.1 (serving the embedded GGUF)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tools import app
from agent.models.base import ContextOverflow, ModelError, ModelTimeout, ModelUnavailable, TextDelta, ToolCall, Usage
from agent.models.openai_compat import OpenAIModel
from agent.tools import tool
from llama_server import free_port, llama_server


@tool
def search_catalog(query: str, max_price: float | None = None):
    """Search the product catalog by keywords, optionally under a maximum price."""


SPECS = [search_catalog.spec()]
HELLO = [{"role": "system", "content": "You are a helpful shopping assistant."},
         {"role": "user", "content": "Say hello to the shopper."}]


@pytest.fixture(scope="module")
def base_url():
    from agent.models.embedded import embedded_model_path

    with llama_server(embedded_model_path(app.home() / "models"), n_ctx=2048) as url:
        yield url


@pytest.mark.server
@pytest.mark.model
def test_streams_a_text_reply_in_several_deltas(base_url):
    model = OpenAIModel("gemma", base_url, max_tokens=12, temperature=0.0)
    chunks = list(model.stream(HELLO, []))
    texts = [c.text for c in chunks if isinstance(c, TextDelta)]
    assert len(texts) >= 2 and "".join(texts).strip()
    assert not any(isinstance(c, ToolCall) for c in chunks)
    usage = [c for c in chunks if isinstance(c, Usage)]
    assert len(usage) <= 1 and all(u.prompt_tokens > 0 for u in usage)


@pytest.mark.server
@pytest.mark.model
def test_a_forced_tool_choice_yields_a_complete_tool_call(base_url):
    model = OpenAIModel("gemma", base_url, max_tokens=48, temperature=0.0,
                        tool_choice={"type": "function", "function": {"name": "search_catalog"}})
    chunks = list(model.stream([{"role": "user", "content": "Find me wireless earbuds under $50"}], SPECS))
    calls = [c for c in chunks if isinstance(c, ToolCall)]
    assert len(calls) == 1
    call = calls[0]
    assert call.name == "search_catalog" and call.id
    assert isinstance(json.loads(call.arguments), dict)  # whole arguments, not one delta's fragment
    search_catalog.validate(call.arguments)


def test_a_dead_server_is_unavailable_quickly():
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    model = OpenAIModel("gemma", url, timeout=2, max_retries=0)
    with pytest.raises(ModelUnavailable, match="cannot reach model server at http://127.0.0.1"):
        list(model.stream(HELLO, []))


def test_api_key_falls_back_to_a_placeholder(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert OpenAIModel("m", "http://127.0.0.1:1/v1").client.api_key == "sk-no-key"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    assert OpenAIModel("m", "http://127.0.0.1:1/v1").client.api_key == "sk-env"
    assert OpenAIModel("m", "http://127.0.0.1:1/v1", "sk-arg").client.api_key == "sk-arg"


@pytest.mark.server
@pytest.mark.model
def test_an_empty_stream_is_a_model_error(base_url):
    # llama-cpp-python streams nothing (HTTP 200) for a prompt beyond its context window
    model = OpenAIModel("gemma", base_url, max_tokens=4)
    with pytest.raises(ModelError, match="closed the stream"):
        list(model.stream([{"role": "user", "content": "earbuds " * 3000}], []))


# --- HTTP behaviour of other servers, from a scripted stub on 127.0.0.1 --------------------------
# (the stub stands in for servers we cannot run here; the thing under test is OpenAIModel's handling)

class _StubHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        self.server.requests.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        kind, payload = self.server.replies.pop(0)
        if kind == "sleep":
            time.sleep(payload)
            return
        if kind == "sse":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for delta in payload:
                self.wfile.write(f"data: {json.dumps(_chunk(delta))}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
            return
        data = json.dumps(payload).encode()
        self.send_response(kind)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def _chunk(delta: dict) -> dict:
    base = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "m"}
    if "usage" in delta:
        return {**base, "choices": [], "usage": delta["usage"]}
    finish = delta.pop("finish_reason", None)
    return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


@pytest.fixture()
def stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StubHandler)
    server.daemon_threads = True
    server.replies, server.requests = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_a_server_that_rejects_stream_options_is_asked_again_without_them(stub):
    server, url = stub
    rejection = {"error": {"message": "Unrecognized request argument supplied: stream_options",
                           "type": "invalid_request_error", "param": None, "code": None}}
    server.replies = [(400, rejection), ("sse", [{"content": "Hel"}, {"content": "lo", "finish_reason": "stop"}]),
                      ("sse", [{"content": "Again", "finish_reason": "stop"}])]
    model = OpenAIModel("m", url, max_retries=0)
    assert [c.text for c in model.stream(HELLO, [])] == ["Hel", "lo"]
    assert [c.text for c in model.stream(HELLO, [])] == ["Again"]
    assert ["stream_options" in r for r in server.requests] == [True, False, False]


def test_tool_call_deltas_are_joined_per_index_and_usage_comes_last(stub):
    server, url = stub
    server.replies = [("sse", [
        {"tool_calls": [{"index": 0, "id": "call_a", "type": "function",
                         "function": {"name": "search_catalog", "arguments": ""}}]},
        {"tool_calls": [{"index": 0, "function": {"arguments": '{"query": '}}]},
        {"tool_calls": [{"index": 1, "id": "call_b", "type": "function",
                         "function": {"name": "search_catalog", "arguments": '{"query": "tea"}'}}]},
        {"tool_calls": [{"index": 0, "function": {"arguments": '"mugs"}'}}], "finish_reason": "tool_calls"},
        {"usage": {"prompt_tokens": 40, "completion_tokens": 12, "total_tokens": 52,
                   "prompt_tokens_details": {"cached_tokens": 32}}},
    ])]
    chunks = list(OpenAIModel("m", url, tool_choice="auto").stream(HELLO, SPECS))
    assert chunks == [ToolCall("call_a", "search_catalog", '{"query": "mugs"}'),
                      ToolCall("call_b", "search_catalog", '{"query": "tea"}'),
                      Usage(prompt_tokens=40, completion_tokens=12, cached_tokens=32)]
    assert server.requests[0]["tools"] == SPECS and server.requests[0]["tool_choice"] == "auto"


def test_no_tools_sends_no_tools_field(stub):
    server, url = stub
    server.replies = [("sse", [{"content": "ok", "finish_reason": "stop"}])]
    list(OpenAIModel("m", url, tool_choice="auto").stream(HELLO, []))
    assert "tools" not in server.requests[0] and "tool_choice" not in server.requests[0]


def test_http_errors_map_to_model_errors(stub):
    server, url = stub
    # the body llama-cpp-python's server sends (non-streaming) for a prompt beyond n_ctx
    overflow = {"error": {"message": "This model's maximum context length is 2048 tokens.",
                          "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}}
    server.replies = [(400, overflow), (500, {"error": {"message": "the GPU caught fire"}})]
    model = OpenAIModel("m", url, max_retries=0)
    with pytest.raises(ContextOverflow, match="maximum context length is 2048"):
        list(model.stream(HELLO, []))
    with pytest.raises(ModelError, match="HTTP 500: the GPU caught fire") as info:
        list(model.stream(HELLO, []))
    assert not isinstance(info.value, (ModelUnavailable, ContextOverflow))


def test_a_slow_server_times_out(stub):
    server, url = stub
    server.replies = [("sleep", 3)]
    with pytest.raises(ModelTimeout):  # the 0.5 s limit, not the server's 3 s, ends the request
        list(OpenAIModel("m", url, timeout=0.5, max_retries=0).stream(HELLO, []))


class _Counting:
    """A step preparer that only counts its calls."""

    summarizes = True

    def __init__(self) -> None:
        self.calls = 0

    def note(self, text):
        self.calls += 1
        return "ids 1"

    def summary(self, tool, result):
        self.calls += 1
        return "summary"

    def prepare(self, messages, tools):
        from agent.models.prepare import StepPlan

        self.calls += 1
        return StepPlan()

    def compose(self, messages):
        self.calls += 1
        return "composed"


def test_a_model_on_the_openai_protocol_runs_no_step_preparer(stub):
    from agent.models import ModelSettings, load_model

    server, url = stub
    server.replies = [("sse", [{"content": "ok", "finish_reason": "stop"}])]
    preparer = _Counting()
    model = load_model(ModelSettings(model="m", base_url=url, preparer=preparer))
    assert [c.text for c in model.stream(HELLO, SPECS) if isinstance(c, TextDelta)] == ["ok"]
    assert preparer.calls == 0 and server.requests[0]["messages"] == HELLO  # the endpoint got the messages as they were
