"""Matching configuration: ``matching.toml`` beside this module, read once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CONFIG_PATH = Path(__file__).with_name("matching.toml")


@dataclass(frozen=True)
class MatchConfig:
    block: float
    review: float
    limit: int
    query_exponent: float
    list_exponent: float
    prefix_similarity: float
    initial_similarity: float
    skeleton_similarity: float
    variant_similarity: float
    min_token_similarity: float
    unmatched_middle_share: float
    unmatched_legal_share: float
    joined_min_ratio: float
    joined_discount: float
    weak_alias_factor: float
    previous_name_factor: float
    min_list_evidence: float
    candidates: int
    birth_date_exact_bonus: float
    birth_year_match_bonus: float
    birth_date_mismatch_penalty: float
    country_match_bonus: float
    country_mismatch_penalty: float
    gender_mismatch_penalty: float
    schema_mismatch: str
    strong_score: float
    weak_bonus: float
    weak_alone_score: float

    def with_threshold(self, review: float | None) -> MatchConfig:
        if review is None:
            return self
        from dataclasses import replace

        return replace(self, review=review, block=max(self.block, review))


@lru_cache(maxsize=4)
def load_config(path: Path = CONFIG_PATH) -> MatchConfig:
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    flat: dict = {}
    for section in raw.values():
        flat.update(section)
    return MatchConfig(**flat)
