"""Request and response models of the workflow endpoints (cases, the customer book, monitoring,
the audit trail, payments and ownership), so that ``/openapi.json`` describes every body."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

from proscribe.api.models import PropertyValues, SchemaName

CaseState = Literal["open", "in_review", "escalated", "pending_approval", "closed"]
Disposition = Literal["true_match", "false_positive", "inconclusive"]


def _reason(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise ValueError("a reason must say something (it is blank)")
    return value.strip() if value is not None else None


# -- cases ----------------------------------------------------------------------------------------


class CaseSummary(BaseModel):
    id: int
    subject_kind: str = Field(..., description="customer or payment")
    subject_id: str
    state: CaseState
    disposition: str | None = None
    reason: str | None = None
    assignee: str | None = None
    priority: str = Field(..., description="block or review: the case's worst alert")
    created_at: str
    updated_at: str
    closed_at: str | None = None
    closed_by: str | None = None
    approved_by: str | None = None
    pending_action: str | None = Field(
        None, description="close_true_match, close_false_positive or release_funds"
    )
    pending_by: str | None = Field(None, description="The user who asked (four-eyes compares user ids).")
    pending_user_id: str | None = None
    pending_reason: str | None = None
    pending_whitelist: bool | None = Field(None, description="close_false_positive: whitelist once approved.")
    funds_released: bool = False
    version: int = Field(..., description="Send it back with a change: a stale version is a 409 conflict.")
    age_hours: float
    sla_hours: int
    overdue: bool


class CaseListItem(CaseSummary):
    alerts: int = Field(..., description="Number of alerts in the case.")


class CaseListResponse(BaseModel):
    total: int
    limit: int
    offset: int
    cases: list[CaseListItem]


class AlertRecord(BaseModel):
    id: int
    case_id: int
    subject_kind: str
    subject_id: str
    entity_id: str
    dataset: str
    source_id: str | None = None
    caption: str | None = None
    decision: str
    score: float
    snapshot: str | None = Field(None, description="The list snapshot the result names.")
    result: dict[str, Any] = Field(..., description="The full screening result, explanation included.")
    trigger: str = Field(..., description="Why the alert was raised now.")
    created_at: str
    state: str
    disposition: str | None = None


class CaseDetail(CaseSummary):
    alerts: list[AlertRecord]


class AssignRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    assignee: str | None = Field(
        None, min_length=1, max_length=100, description="Who takes the case (default: the caller)."
    )
    version: int | None = Field(None, ge=1, description="The version you saw (a stale one is a 409).")

    @field_validator("assignee")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        from proscribe.cases.users import UserError, check_name

        if value is None:
            return None
        try:
            return check_name(value, "assignee")
        except UserError as exc:
            raise ValueError(str(exc)) from None


class EscalateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(..., min_length=1, max_length=10_000)
    version: int | None = Field(None, ge=1)

    _check = field_validator("reason")(_reason)


class CloseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    outcome: Disposition = Field(
        ...,
        validation_alias=AliasChoices("outcome", "disposition"),
        description="true_match (waits for a second person with the approver role), "
        "false_positive or inconclusive. `disposition` is accepted as a synonym.",
    )
    reason: str = Field(..., min_length=1, max_length=10_000, description="Why (required).")
    whitelist: bool = Field(
        False, description="false_positive only: put each (customer, list entity) pair on the good-guy list."
    )
    version: int | None = Field(None, ge=1, description="The version you saw (a stale one is a 409).")

    _check = field_validator("reason")(_reason)


class CloseResponse(BaseModel):
    case: int
    state: Literal["closed", "pending_approval"]
    version: int
    pending_action: str | None = Field(
        None, description="close_true_match or close_false_positive when pending"
    )
    whitelisted: list[Any] = Field([], description="Good-guy entries now active.")
    pending_whitelist: list[Any] = Field(
        [], description="Good-guy entries inactive until an approver approves."
    )


class ReleaseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(..., min_length=1, max_length=10_000, description="Why the funds may be released.")
    version: int | None = Field(None, ge=1)

    _check = field_validator("reason")(_reason)


class ApproveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reject: bool = Field(False, description="Reject the pending action instead of approving it.")
    reason: str | None = Field(None, min_length=1, max_length=10_000, description="Required to reject.")
    version: int | None = Field(None, ge=1)

    _check = field_validator("reason")(_reason)


class ApproveResponse(BaseModel):
    case: int
    action: str = Field(..., description="close_true_match or release_funds")
    approved: bool
    state: str


class CaseChangeResponse(BaseModel):
    case: int
    version: int = Field(..., description="The case's version after the change.")
    state: str | None = None
    pending_action: str | None = None


# -- book and monitoring --------------------------------------------------------------------------


class BookRecord(BaseModel):
    """One customer or counterparty: the DESIGN.md query shape with the firm's own id."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    id: str = Field(..., min_length=1, max_length=200, examples=["C-1001"])
    schema_: SchemaName = Field("LegalEntity", alias="schema", examples=["Company"])
    kind: Literal["customer", "counterparty"] = "customer"
    properties: dict[str, PropertyValues] = Field(
        ..., examples=[{"name": ["Beijing Integrity Technology Co., Ltd."], "country": ["cn"]}]
    )


class BookImportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    records: list[BookRecord] = Field(..., min_length=1)
    replace: bool = Field(False, description="The records are the whole book: others are offboarded.")


class BookImportResponse(BaseModel):
    total: int
    added: int
    changed: int
    unchanged: int
    reactivated: int
    offboarded: int


class BookCustomerResponse(BaseModel):
    customer_id: str
    kind: str
    schema_: str = Field(..., alias="schema")
    caption: str
    record: dict[str, Any]
    revision: int
    active: bool
    imported_at: str
    updated_at: str
    screened_at: str | None = None
    up_to_date: bool = Field(..., description="Screened since its record last changed.")
    cases: list[CaseSummary]


class MonitorRunResponse(BaseModel):
    run: int
    mode: str
    list_entities: int
    list_added: int
    list_changed: int
    list_removed: int
    book_size: int
    customers_changed: int
    customers_stale: int
    reverse_queries: int
    reverse_candidates: int
    customers_screened: int
    alerts_raised: int
    alerts_existing: int
    alerts_suppressed: int
    goodguys_lapsed: int
    errors: int
    seconds: dict[str, float]


# -- audit ----------------------------------------------------------------------------------------


class AuditProblem(BaseModel):
    seq: int
    kind: str
    detail: str


class AuditVerifyResponse(BaseModel):
    ok: bool
    records: int
    first_seq: int | None = None
    last_seq: int | None = None
    last_hash: str | None = None
    problems: list[AuditProblem]
    seconds: float


# -- payments -------------------------------------------------------------------------------------


class PaymentReason(BaseModel):
    kind: str = Field(
        ..., description="party, agent, address, free_text, identifier, geography or parse_error"
    )
    field: str | None = Field(None, examples=["Cdtr/Nm"])
    value: str | None = None
    detail: str
    action: str | None = None
    result: dict[str, Any] | None = Field(None, description="The screening result shape, or null.")


class PaymentLine(BaseModel):
    message_id: str
    file: str | None = None
    format: str = Field(..., examples=["pacs.008.001.08"])
    decision: Literal["pass", "hold", "block", "reject"]
    regime: str | None = None
    reasons: list[PaymentReason]


class PaymentScreenResponse(PaymentLine):
    """The decision of the message (its most severe transaction); every transaction's own line in
    ``transactions`` (one for pacs.008, MT103 and the JSON form; one per payment of a pain.001)."""

    transactions: list[PaymentLine]


# -- ownership ------------------------------------------------------------------------------------


class OwnershipIssue(BaseModel):
    kind: str
    where: str
    message: str


class OwnershipRegimeResult(BaseModel):
    mode: str
    block: int
    review: int
    changes: int


class OwnershipImportResponse(BaseModel):
    import_id: int
    relationships: int
    parties: int
    listed: int = Field(..., description="Parties resolved to list entries.")
    review: int = Field(..., description="Parties that possibly match a list entry.")
    issues: list[OwnershipIssue]
    computed: dict[str, OwnershipRegimeResult]
    reloaded: bool = Field(..., description="The screening index now holds the derived designations.")


class OwnershipExplainResponse(BaseModel):
    entity: str
    regime: str
    status: str
    explanation: str
    text: str = Field(..., description="The path as an indented text tree.")
    cautions: list[str]
    path: dict[str, Any]
    svg: str = Field(..., description="The path as an SVG picture (also at ?format=svg).")
