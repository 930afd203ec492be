"""Template context every page gets."""

from __future__ import annotations

import providers


def ai_mode(request) -> dict:
    """`ai_offline`: the local engines answer (no HF_API_KEY, or AI_PROVIDER=local), so
    the pages can say that the tutor is the rule-based coach."""
    return {"ai_offline": providers.ai_mode()[0] == "local"}
