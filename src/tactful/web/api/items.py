"""The catalogue: ``PUT /v1/items`` upserts, ``GET /v1/items/{item_id}`` reads one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel

from tactful.errors import PayloadTooLarge
from tactful.web.deps import AppDep, Ingest, Read
from tactful.web.schemas import ItemBatch, ItemOut

router = APIRouter(prefix="/v1/items", tags=["catalogue"])
MAX_ITEMS = 10_000


class UpsertOut(BaseModel):
    upserted: int


@router.put("", response_model=UpsertOut)
def put_items(batch: ItemBatch, app: AppDep, _key: Ingest) -> UpsertOut:
    """Insert or replace items, all in one transaction."""
    if len(batch.items) > MAX_ITEMS:
        raise PayloadTooLarge(f"at most {MAX_ITEMS} items per request", field="items")
    return UpsertOut(upserted=app.catalogue.upsert([i.to_item() for i in batch.items]))


@router.get("/{item_id}", response_model=ItemOut)
def get_item(item_id: Annotated[str, Path(max_length=200)], app: AppDep, _key: Read) -> ItemOut:
    return ItemOut.of(app.catalogue.item(item_id))
