"""The suite's network guard: nothing a test runs can reach past this machine, so a
hidden download (model weights from a hub, a call to Hugging Face) fails loudly."""

from __future__ import annotations

import socket

import pytest


def test_a_connection_past_loopback_is_refused():
    with pytest.raises(ConnectionRefusedError, match="only connect to loopback"):
        socket.create_connection(("192.0.2.1", 443), timeout=1)  # TEST-NET-1: never routed


def test_a_connection_to_loopback_goes_through():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=1):
            pass
