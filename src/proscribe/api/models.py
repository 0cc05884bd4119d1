"""Request and response models of the screening service, so that ``/openapi.json`` and ``/docs``
describe every body exactly."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag, field_validator

from proscribe.model import SCHEMATA

SchemaName = Literal[SCHEMATA]  # type: ignore[valid-type]
#: Bounds the schema states (the body limit and ``max_batch`` apply on top of them).
MAX_VALUE_CHARS = 10_000
MAX_VALUES = 1_000
MAX_PROPERTIES = 200
MAX_QUERIES = 10_000
Value = Annotated[str, StringConstraints(max_length=MAX_VALUE_CHARS)]
PropertyValues = Annotated[list[Value], Field(max_length=MAX_VALUES)] | Value


class ErrorResponse(BaseModel):
    detail: str = Field(..., examples=["queries[3]: unknown property 'nmae'"])


# -- /v1/screen -----------------------------------------------------------------------------------


class ScreenQuery(BaseModel):
    """One query in the DESIGN.md shape (the FollowTheMoney-style record yente's /match takes)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    id: Annotated[str, StringConstraints(max_length=200)] | int | None = Field(None, examples=["q1"])
    schema_: SchemaName = Field("LegalEntity", alias="schema", examples=["Company"])
    properties: dict[Annotated[str, StringConstraints(max_length=100)], PropertyValues] = Field(
        ...,
        max_length=MAX_PROPERTIES,
        examples=[
            {"name": ["Yongxin Zhicheng"], "country": ["cn"], "registrationNumber": ["91110108562135265P"]}
        ],
    )


class ScreenBatch(BaseModel):
    """Up to ``max_batch`` (1,000 by default) queries, screened in order."""

    model_config = ConfigDict(extra="forbid")
    queries: list[ScreenQuery] = Field(..., min_length=1, max_length=MAX_QUERIES)


def _screen_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "batch" if "queries" in value else "query"
    return "batch" if isinstance(value, ScreenBatch) else "query"


#: One query, or ``{"queries": [...]}``: a body with a ``queries`` member is a batch.
ScreenRequest = Annotated[
    Annotated[ScreenQuery, Tag("query")] | Annotated[ScreenBatch, Tag("batch")],
    Discriminator(_screen_kind),
]


class ScreenResult(BaseModel):
    id: str
    dataset: str
    source_id: str
    caption: str
    schema_: str = Field(..., alias="schema")
    score: float
    match: bool
    matched_name: str | None = None
    programs: list[str] = []
    snapshot: str | None = Field(None, description="The list snapshot the result comes from.")
    explanation: dict[str, Any] = {}
    derived: dict[str, Any] | None = None


class ScreenOutcome(BaseModel):
    screening_id: str = Field(..., description="Id of the screening record (GET /v1/screenings/{id}).")
    id: str | None = None
    decision: Literal["block", "review", "clear"]
    results: list[ScreenResult]
    warnings: list[str] | None = None


class ScreenResponse(ScreenOutcome):
    snapshots: dict[str, int] = Field(..., description="The list snapshot id used for each dataset.")
    engine_version: str


class BatchScreenResponse(BaseModel):
    responses: list[ScreenOutcome]
    snapshots: dict[str, int]
    engine_version: str


# -- yente-compatible /match ------------------------------------------------------------------------


class EntityExample(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    id: str | None = Field(None, max_length=200, examples=["my-entity-id"])
    schema_: str = Field(..., alias="schema", max_length=100, examples=["Person"])
    properties: dict[Annotated[str, StringConstraints(max_length=100)], Value | list[Any]] = Field(
        ..., max_length=MAX_PROPERTIES, examples=[{"name": ["John Doe"]}]
    )


class EntityMatchQuery(BaseModel):
    weights: dict[str, float] = Field(
        {},
        max_length=100,
        description="Accepted for yente compatibility; the scorer's weights come from matching.toml.",
    )
    config: dict[str, Any] = Field({}, max_length=100, description="Accepted for yente compatibility.")
    queries: dict[Annotated[str, StringConstraints(max_length=200)], EntityExample | None] = Field(
        ..., max_length=MAX_QUERIES
    )


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class ScoredEntityResponse(BaseModel):
    id: str
    caption: str
    schema_: str = Field(..., alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str] = []
    referents: list[str] = []
    target: bool = True
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None
    score: float
    features: dict[str, float]
    match: bool
    explanation: dict[str, Any] | None = None


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample
    screening_id: str | None = None


class FeatureDoc(BaseModel):
    description: str
    coefficient: float
    url: str


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int


# -- reading ----------------------------------------------------------------------------------------


class SnapshotRef(BaseModel):
    id: int
    label: str
    published: str | None = None
    reconstructed: bool = False


class EntityRecordResponse(BaseModel):
    id: str
    schema_: str = Field(..., alias="schema")
    dataset: str
    source_id: str
    caption: str
    properties: dict[str, list[str]]
    identifiers: list[dict[str, Any]]
    addresses: list[dict[str, Any]]
    sanctions: list[dict[str, Any]]
    links: list[dict[str, Any]]
    snapshot: SnapshotRef


class SnapshotInfo(BaseModel):
    id: int
    label: str
    published: str | None = None
    imported_at: str
    entity_count: int
    schema_counts: dict[str, int]
    source_sha256: str
    reconstructed: bool
    current: bool
    note: str | None = None


class DatasetInfo(BaseModel):
    name: str
    current_snapshot: int
    published: str | None = None
    entity_count: int
    snapshots: list[SnapshotInfo]


class DatasetsResponse(BaseModel):
    datasets: list[DatasetInfo]


class DiffSide(BaseModel):
    snapshot: int
    published: str | None = None


class EntityChangeModel(BaseModel):
    entity_id: str
    caption: str
    kind: str
    fields: dict[str, dict[str, list[Any]]] | None = None


class ChangesResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    dataset: str
    from_: DiffSide = Field(..., alias="from")
    to: DiffSide
    summary: dict[str, int]
    added: list[EntityChangeModel]
    removed: list[EntityChangeModel]
    changed: list[EntityChangeModel]


class ScreeningRecord(BaseModel):
    id: str
    key_id: str | None = None
    created_at: str
    query: Any
    snapshot_ids: dict[str, int]
    results: list[dict[str, Any]]
    decision: str
    engine_version: str


# -- admin and probes ------------------------------------------------------------------------------


class ReloadResponse(BaseModel):
    reloaded: bool = Field(..., description="False when the store had no newer snapshot (and force was off).")
    snapshots: dict[str, int]
    seconds: float
    generation: int


def _printable(value: str | None) -> str | None:
    """Names shown in the audit trail carry no control or invisible characters."""
    from proscribe.cases.users import UserError, check_name

    if value is None:
        return None
    try:
        return check_name(value, "value", 200)
    except UserError as exc:
        raise ValueError(str(exc).removeprefix("value: ")) from None


class KeyCreateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(
        ..., min_length=1, max_length=200, description="Unique. No control or invisible characters."
    )
    role: Literal["screener", "analyst", "admin"]
    user: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        description="The user the key belongs to (default: the user named like the key; created when "
        "missing). A key minted for another user is audited as such and never approves what its "
        "minter asked for.",
    )
    rate_limit: float | None = Field(
        None,
        ge=1 / 60,
        le=10_000,
        allow_inf_nan=False,
        description="Requests per second, from 1/60 (one a minute) to 10,000 (default: the service's).",
    )

    _names = field_validator("name", "user")(_printable)


class KeyCreatedResponse(BaseModel):
    id: str
    name: str
    role: str
    key: str = Field(..., description="The whole key. It is shown this once and cannot be read back.")
    created_at: str
    rate_limit: float | None = None
    user: str | None = None
    user_id: str | None = None


class KeyListItem(BaseModel):
    id: str
    name: str
    role: str
    created_at: str
    revoked_at: str | None = None
    rate_limit: float | None = None
    user_id: str | None = None
    user: str | None = None


class KeyListResponse(BaseModel):
    keys: list[KeyListItem]


class RevokeResponse(BaseModel):
    id: str
    revoked: bool


class HealthResponse(BaseModel):
    status: str = "ok"


class UserRolesRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(
        ..., min_length=1, max_length=100, description="Unique. No control or invisible characters."
    )
    roles: list[Literal["analyst", "approver"]] = Field(..., min_length=1, max_length=2)

    _names = field_validator("name")(_printable)


class UserResponse(BaseModel):
    id: str
    name: str
    roles: list[str]


class UserListItem(UserResponse):
    created_at: str
    created_by: str | None = None


class UserListResponse(BaseModel):
    users: list[UserListItem]


class ReadyResponse(BaseModel):
    """Ready or not: no snapshot ids, no error text (the probe needs no key)."""

    status: Literal["ready", "loading", "failed"]
    auth: Literal["enabled", "disabled"]
