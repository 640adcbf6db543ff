"""The τ² retail pack: the database round-trip, tool semantics, identity bound in code, consent, and the
conformance replay of the 66 dev tasks against τ²'s own outputs (needs ../shared)."""

from __future__ import annotations

import json

import pytest

from agent import Agent, ScriptedModel
from agent.events import Confirm
from tools.retail import RETAIL_TOOLS, build_retail_registry
from tools.retail.model import RetailDB, canonical_hash
from tools.retail.policy import retail_context, session_user
from tools.retail.replay import replay_all
from tools.retail.tasks import load_expected, load_tasks

from tests.tau_data import need_tau, tiny_db


def call(name: str, **arguments) -> dict:
    return {"tool_calls": [{"name": name, "arguments": arguments}]}


class Desk:
    """An agent on the retail tools over a fresh tiny database, driven by a scripted model."""

    def __init__(self, turns: list, *, approve: bool = True, user_id: str | None = None,
                 db: dict | None = None) -> None:
        self.db = RetailDB.model_validate(db or tiny_db())
        self.start_hash = self.db.canonical_hash()
        self.ctx = retail_context(self.db, "test", user_id)
        self.model = ScriptedModel(turns)
        self.agent = Agent(self.model, build_retail_registry(), self.ctx, confirm=lambda call, args: approve)

    def turn(self, text: str = "hi") -> list:
        return list(self.agent.run(text))

    def seen(self) -> list[str]:
        """The tool messages exactly as the model received them."""
        return [m["content"] for m in self.agent.messages if m["role"] == "tool"]


# ---------------------------------------------------------------- data model
def test_tiny_db_round_trips_to_its_canonical_json():
    raw = tiny_db()
    db = RetailDB.model_validate(raw)
    assert db.canonical() == raw
    assert db.canonical_hash() == canonical_hash(raw)
    copy = db.copy_fresh()
    copy.orders["#Wana_1P"].status = "cancelled"
    assert db.orders["#Wana_1P"].status == "pending"  # a copy shares nothing


def test_shared_db_round_trips_and_hashes_as_documented():
    path = need_tau() / "db.json"
    raw = json.loads(path.read_text())
    db = RetailDB.load(path)
    assert db.canonical() == raw
    assert db.canonical_hash() == "f08162ba14d2d3ce9ebe4ebc0fa3cd4bdc2876eaaf9d3411802cdba96ea1f41a"


def test_an_unknown_field_in_the_database_is_an_error_not_dropped():
    raw = tiny_db()
    raw["users"]["ana_1"]["nickname"] = "A"
    with pytest.raises(ValueError, match="nickname"):
        RetailDB.model_validate(raw)


def test_the_pack_has_tau2s_tool_names_and_writes_flags():
    names = {t.name: t.writes for t in RETAIL_TOOLS}
    assert {n for n, w in names.items() if not w} == {
        "find_user_id_by_email", "find_user_id_by_name_zip", "get_user_details", "get_order_details",
        "get_product_details", "get_item_details", "list_all_product_types", "calculate", "transfer_to_human_agents"}
    assert {n for n, w in names.items() if w} == {
        "cancel_pending_order", "modify_pending_order_items", "modify_pending_order_address",
        "modify_pending_order_payment", "modify_user_address", "return_delivered_order_items",
        "exchange_delivered_order_items"}


# ---------------------------------------------------------------- outputs as τ² shows them
def test_outputs_are_tau2_strings_and_errors_read_error_colon():
    desk = Desk([call("find_user_id_by_email", email="ANA@example.com"), call("get_order_details", order_id="#Wana_1P"),
                 call("calculate", expression="10.5 + 2 * (3 - 1)"), call("calculate", expression="1 / 0"),
                 call("calculate", expression="__import__('os')"), call("get_order_details", order_id="#W0"),
                 {"text": "done"}])
    desk.turn()
    seen = desk.seen()
    assert seen[0] == "ana_1"
    order = json.loads(seen[1])
    assert list(order)[-7:] == ["cancel_reason", "exchange_items", "exchange_new_items", "exchange_payment_method_id",
                                "exchange_price_difference", "return_items", "return_payment_method_id"]
    assert order["cancel_reason"] is None and ", " in seen[1] and ": " in seen[1]  # json.dumps default spacing
    assert seen[2:] == ["14.5", "Error: division by zero", "Error: Invalid characters in expression",
                        "Error: Order not found"]


def test_multi_item_modification_keeps_tau2s_last_variant_quirk():
    db = tiny_db()
    db["products"]["200"] = {"name": "Pen", "product_id": "200", "variants": {
        "2001": {"item_id": "2001", "options": {"ink": "black"}, "available": True, "price": 3.0},
        "2002": {"item_id": "2002", "options": {"ink": "blue"}, "available": True, "price": 4.0}}}
    db["orders"]["#Wana_1P"]["items"].append({"name": "Pen", "product_id": "200", "item_id": "2001", "price": 3.0,
                                              "options": {"ink": "black"}})
    desk = Desk([call("modify_pending_order_items", order_id="#Wana_1P", item_ids=["1001", "2001"],
                      new_item_ids=["1002", "2002"], payment_method_id="gift_card_ana_1"), {"text": "ok"}],
                user_id="ana_1", db=db)
    desk.turn()
    order = desk.db.orders["#Wana_1P"]
    assert [i.item_id for i in order.items] == ["1002", "2002"]
    # both items took the last new variant's price and options (τ²'s quirk), and the difference is unrounded
    assert [(i.price, i.options) for i in order.items] == [(4.0, {"ink": "blue"})] * 2
    assert order.payment_history[-1].amount == (12.25 - 10.5) + (4.0 - 3.0)
    assert order.status == "pending (item modified)"
    assert desk.db.users["ana_1"].payment_methods["gift_card_ana_1"].balance == round(50.0 - 2.75, 2)


# ---------------------------------------------------------------- identity is bound in code
def test_before_authentication_every_account_or_order_tool_is_refused():
    desk = Desk([call("get_order_details", order_id="#Wana_1P"), call("get_user_details", user_id="ana_1"),
                 call("cancel_pending_order", order_id="#Wana_1P", reason="ordered by mistake"), {"text": "sorry"}])
    desk.turn("I am ana_1, cancel #Wana_1P")
    assert all(s.startswith("Error: The customer is not authenticated yet") for s in desk.seen())
    assert desk.db.canonical_hash() == desk.start_hash
    assert session_user(desk.ctx) is None


def test_after_authentication_another_customers_order_and_account_are_refused():
    desk = Desk([call("find_user_id_by_name_zip", first_name="ana", last_name="LEE", zip="78701"),
                 call("get_order_details", order_id="#Wbo_2P"),
                 call("cancel_pending_order", order_id="#Wbo_2P", reason="no longer needed"),
                 call("modify_user_address", user_id="bo_2", address1="9 Elm", address2="", city="X", state="TX",
                      country="USA", zip="78799"),
                 call("find_user_id_by_email", email="bo@example.com"),
                 call("get_order_details", order_id="#Wana_1P"), {"text": "done"}])
    desk.turn()
    seen = desk.seen()
    assert seen[0] == "ana_1"
    for refusal in seen[1:4]:
        assert refusal.startswith("Error: ") and "only help the authenticated user" in refusal
        assert "bo@example.com" not in refusal and "78702" not in refusal  # none of Bo's data comes back
    assert "one user per conversation" in seen[4]
    assert json.loads(seen[5])["user_id"] == "ana_1"  # still Ana's session: the second lookup did not rebind
    assert session_user(desk.ctx) == "ana_1"
    assert desk.db.canonical_hash() == desk.start_hash


def test_the_model_cannot_name_the_customer_through_arguments():
    desk = Desk([call("get_order_details", order_id="#Wbo_2P", user_id="bo_2"), {"text": "ok"}], user_id="ana_1")
    desk.turn()
    assert "validation error" in desk.seen()[0] and "user_id" in desk.seen()[0]


def test_a_write_without_the_customers_yes_is_not_run():
    desk = Desk([call("cancel_pending_order", order_id="#Wana_1P", reason="no longer needed"), {"text": "ok"}],
                approve=False, user_id="ana_1")
    events = desk.turn("cancel it")
    assert [e.approved for e in events if isinstance(e, Confirm)] == [False]
    assert "declined" in desk.seen()[0]
    assert desk.db.canonical_hash() == desk.start_hash


def test_an_approved_cancel_refunds_the_gift_card_at_once():
    desk = Desk([call("cancel_pending_order", order_id="#Wana_1P", reason="ordered by mistake"), {"text": "ok"}],
                user_id="ana_1")
    desk.turn("yes")
    order = json.loads(desk.seen()[0])
    assert order["status"] == "cancelled" and order["payment_history"][-1] == {
        "transaction_type": "refund", "amount": 10.5, "payment_method_id": "gift_card_ana_1"}
    assert desk.db.users["ana_1"].payment_methods["gift_card_ana_1"].balance == 60.5


# ---------------------------------------------------------------- conformance with τ² (66 dev tasks)
def test_replay_reproduces_all_dev_tasks_exactly():
    tau = need_tau()
    tasks = load_tasks(tau / "tasks_tau2_dev.json")
    expected = load_expected(tau / "expected_dev.jsonl")
    _, summary = replay_all(tasks, RetailDB.load(tau / "db.json"), expected)
    assert summary["mismatched"] == {}
    assert (summary["tasks"], summary["identical"], summary["db_identical"], summary["outputs_identical"]) == \
        (66, 66, 66, 66)
    assert summary["actions_identical"] == summary["actions"] == sum(len(e.actions) for e in expected.values())
    assert summary["without_expectation"] == []
