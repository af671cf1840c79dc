"""The baseline for benchmarks/serving.py: a bare async FastAPI route that returns a
recommendation response of the same shape and size, with no work behind it."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

app = FastAPI()

_ITEMS = [
    {
        "item_id": str(1000 + i),
        "title": f"Some Movie Title ({1990 + i})",
        "score": 0.5 - i * 0.01,
        "reasons": [
            {
                "kind": "because_you_interacted",
                "text": "Because you rated Heat (1995) and rated Casino (1995)",
                "items": ["6", "16"],
            }
        ],
    }
    for i in range(10)
]
_HELD = [{"kind": "budget", "count": 5, "text": "5 items left out to keep your list short."}]


@app.get("/v1/subjects/{subject_id}/recommendations")
async def recommendations(subject_id: str, limit: int = 10) -> dict[str, Any]:
    return {
        "subject_id": subject_id,
        "items": _ITEMS[:limit],
        "held_back": _HELD,
        "personalized": True,
        "model_version": "bare",
    }
