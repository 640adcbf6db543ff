"""Prompt files (package data), rendered strictly by agent.prompts."""
