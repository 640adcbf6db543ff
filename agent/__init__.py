"""The agent framework: typed tools, the loop, events, model backends and sessions. Knows nothing of any one application."""

from agent.events import Confirm, Done, Error, Event, TextEvent, ToolCallEvent, ToolResultEvent
from agent.loop import (Agent, AgentSettings, BudgetExceeded, RepeatedToolCall, RetryBudgetExceeded,
                        StepBudgetExceeded)
from agent.models import ModelSettings, ScriptedModel, load_model
from agent.session import SessionStore
from agent.tools import Approval, ConsentRequired, Tool, ToolContext, ToolError, ToolRegistry, tool

__all__ = [
    "Agent", "AgentSettings", "Approval", "BudgetExceeded", "ConsentRequired", "Confirm", "Done", "Error", "Event", "ModelSettings",
    "RepeatedToolCall", "RetryBudgetExceeded", "ScriptedModel", "SessionStore", "StepBudgetExceeded",
    "TextEvent", "Tool", "ToolCallEvent", "ToolContext", "ToolError", "ToolRegistry", "ToolResultEvent",
    "load_model", "tool",
]
