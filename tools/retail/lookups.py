"""The order desk's read tools: authenticate the caller, look up their account, orders and the products."""

from __future__ import annotations

import ast
import json
import operator
from typing import Any

from agent.tools import tool
from tools.retail.model import render
from tools.retail.policy import RetailContext, RetailError, bind_customer, db_of, own_order, own_user, product

__all__ = ["calculate", "find_user_id_by_email", "find_user_id_by_name_zip", "get_item_details",
           "get_order_details", "get_product_details", "get_user_details", "list_all_product_types",
           "transfer_to_human_agents"]


@tool
def find_user_id_by_email(ctx: RetailContext, email: str) -> str:
    """Authenticate the customer by email: returns their user id and binds this conversation to them."""
    for user_id, user in db_of(ctx).users.items():
        if user.email.lower() == email.lower():
            return bind_customer(ctx, user_id)
    raise RetailError("User not found")


@tool
def find_user_id_by_name_zip(ctx: RetailContext, first_name: str, last_name: str, zip: str) -> str:
    """Authenticate the customer by first name, last name and zip code (use when they cannot give an email):
    returns their user id and binds this conversation to them."""
    for user_id, user in db_of(ctx).users.items():
        if (user.name.first_name.lower() == first_name.lower() and user.name.last_name.lower() == last_name.lower()
                and user.address.zip == zip):
            return bind_customer(ctx, user_id)
    raise RetailError("User not found")


@tool
def get_user_details(ctx: RetailContext, user_id: str) -> str:
    """The authenticated customer's profile: name, default address, email, payment methods and order ids."""
    return render(own_user(ctx, user_id))


@tool
def get_order_details(ctx: RetailContext, order_id: str) -> str:
    """Status, items, fulfilments and payments of one of the customer's orders (ids look like '#W0000000')."""
    return render(own_order(ctx, order_id))


@tool
def get_product_details(ctx: RetailContext, product_id: str) -> str:
    """A product type and all its variant items (item id, options, availability, price). A product id is not
    an item id."""
    return render(product(db_of(ctx), product_id))


@tool
def get_item_details(ctx: RetailContext, item_id: str) -> str:
    """One variant item by its item id: options, availability and price."""
    for found in db_of(ctx).products.values():
        if item_id in found.variants:
            return render(found.variants[item_id])
    raise RetailError("Item not found")


@tool
def list_all_product_types(ctx: RetailContext) -> str:
    """All 50 product types: a JSON object mapping each product name to its product id, sorted by name."""
    return json.dumps({p.name: p.product_id for p in db_of(ctx).products.values()}, sort_keys=True)


@tool
def calculate(expression: str) -> str:
    """Evaluate arithmetic (numbers, + - * / and parentheses), rounded to 2 decimals, e.g. '2 + 2'."""
    if not all(char in "0123456789+-*/(). " for char in expression):
        raise RetailError("Invalid characters in expression")
    try:
        tree = ast.parse(expression, "<string>", mode="eval")
    except SyntaxError as exc:
        raise RetailError(str(exc)) from None
    try:
        value = _arith(tree.body)
        return str(round(float(value), 2))
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise RetailError(str(exc)) from None


_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.FloorDiv: operator.floordiv, ast.Pow: operator.pow}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}
MAX_EXPONENT = 64  # `9**9**9` would hang the process; nothing on an order desk needs more


def _arith(node: ast.AST) -> Any:
    """The same numbers Python's own evaluation gives, over the arithmetic subset only (no names, no calls)."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _arith(node.left), _arith(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
            raise ValueError(f"exponent {right} is too large")
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_arith(node.operand))
    raise ValueError("only numbers, + - * / and parentheses are allowed")


@tool
def transfer_to_human_agents(summary: str) -> str:
    """Hand the customer to a human agent with a summary of their issue. Only when they ask for a human, or
    when the request cannot be handled with these tools under the policy."""
    return "Transfer successful"
