"""Order webhooks: find the platform's webhook URL in its UCP profile, post order events to it.

The platform names its profile in the `UCP-Agent` header (`profile="https://…"`); the profile's
`dev.ucp.shopping.order` capability carries `config.webhook_url`. Outbound calls go only to loopback hosts
unless the server was started with remote webhooks allowed, so a test server never reaches the internet.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import re
import threading
import time
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlparse

import httpx

__all__ = ["AgentHeader", "WebhookNotifier", "parse_agent_header"]

log = logging.getLogger(__name__)
_PAIR = re.compile(r'([A-Za-z_][\w-]*)\s*=\s*"([^"]*)"')
PROFILE_TTL_S = 300.0


class AgentHeader:
    """The parsed `UCP-Agent` header: `profile="URL"; version="YYYY-MM-DD"` (both optional)."""

    def __init__(self, profile: str | None, version: str | None) -> None:
        self.profile, self.version = profile, version


def parse_agent_header(value: str) -> AgentHeader:
    pairs = dict(_PAIR.findall(value))
    return AgentHeader(pairs.get("profile"), pairs.get("version"))


def _loopback(url: str) -> bool:
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class WebhookNotifier:
    """Resolves webhook URLs from platform profiles (cached) and delivers events on a background thread."""

    def __init__(self, *, allow_remote: bool = False, timeout: float = 3.0) -> None:
        self.allow_remote, self.timeout = allow_remote, timeout
        self._profiles: dict[str, tuple[float, str | None]] = {}
        self._sent: set[str] = set()  # event ids posted by this process: a replayed request does not post again
        self._lock = threading.Lock()

    def allowed(self, url: str | None) -> bool:
        return bool(url) and urlparse(url or "").scheme in ("http", "https") and \
            (self.allow_remote or _loopback(url or ""))

    def webhook_url(self, profile_url: str | None) -> str | None:
        """The order webhook URL the platform's profile declares, or None (no profile, unreachable, none set)."""
        if not self.allowed(profile_url):
            return None
        assert profile_url is not None
        with self._lock:
            cached = self._profiles.get(profile_url)
        if cached and time.monotonic() - cached[0] < PROFILE_TTL_S:
            return cached[1]
        found = None
        try:
            profile = httpx.get(profile_url, timeout=self.timeout).json()
            for cap in profile.get("ucp", {}).get("capabilities", []):
                if cap.get("name") == "dev.ucp.shopping.order":
                    found = (cap.get("config") or {}).get("webhook_url")
        except (httpx.HTTPError, ValueError, AttributeError) as error:
            log.warning("cannot read platform profile %s: %s", profile_url, error)
        found = found if self.allowed(found) else None
        with self._lock:
            self._profiles[profile_url] = (time.monotonic(), found)
        return found

    def send(self, url: str | None, event_type: str, checkout_id: str, order: dict[str, Any]) -> None:
        """Post the event in the background (two tries); a failed delivery is logged, never raised.

        The event id is derived from the event and the order, so a receiver can drop a repeat delivery.
        """
        if not self.allowed(url):
            return
        event_id = "whe_" + hashlib.sha256(f"{event_type}:{order['id']}".encode()).hexdigest()[:16]
        with self._lock:
            if event_id in self._sent:
                return
            self._sent.add(event_id)
        payload = {"event_id": event_id, "event_type": event_type,
                   "occurred_at": datetime.now(timezone.utc).isoformat(), "checkout_id": checkout_id, "order": order}
        threading.Thread(target=self._deliver, args=(url, payload), daemon=True).start()

    def _deliver(self, url: str, payload: dict[str, Any]) -> None:
        for attempt in range(2):
            try:
                httpx.post(url, json=payload, timeout=self.timeout).raise_for_status()
                return
            except httpx.HTTPError as error:
                log.warning("webhook %s to %s failed (try %d): %s", payload["event_type"], url, attempt + 1, error)
                time.sleep(0.2)
