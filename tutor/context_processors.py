"""Template context every page gets."""

from __future__ import annotations

import providers


def ai_mode(request) -> dict:
    """`ai_simulated`: the offline mock AI answers (no HF_API_KEY, or USE_MOCK_AI=true),
    so the pages can say that speech is not really recognised."""
    return {"ai_simulated": providers.ai_mode()[0] == "mock"}
