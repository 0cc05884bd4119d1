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
    block_min_information: float
    block_min_information_entity: float
    very_common_information: float
    common_information: float
    syllable_information: float
    initial_information: float
    birth_date_information: float
    birth_year_information: float
    country_information: float
    identifier_information: float
    common_name_span: float
    query_exponent: float
    list_exponent: float
    prefix_similarity: float
    initial_similarity: float
    skeleton_similarity: float
    variant_similarity: float
    nickname_similarity: float
    short_edit_similarity: float
    min_token_similarity: float
    unmatched_middle_share: float
    unmatched_second_surname_share: float
    unmatched_legal_share: float
    joined_min_ratio: float
    joined_discount: float
    weak_alias_factor: float
    previous_name_factor: float
    min_list_evidence: float
    candidates: int
    partial_min_query_coverage: float
    partial_min_evidence: float
    partial_min_part: float
    partial_floor: float
    partial_ceiling: float
    east_asian_unmatched_cap: float
    subsidiary_word_share: float
    subsidiary_min_evidence: float
    subsidiary_ceiling: float
    extension_similarity: float
    unknown_short_chars: int
    unknown_short_weight: float
    noise_weight: float
    noise_words: frozenset[str]
    segment_max_chars: int
    segment_min_piece: int
    segment_max_pieces: int
    window_trigger_tokens: int
    window_trigger_chars: int
    window_tokens: int
    window_step: int
    max_windows: int
    birth_date_exact_bonus: float
    birth_year_match_bonus: float
    birth_date_mismatch_penalty: float
    country_match_bonus: float
    country_mismatch_penalty: float
    gender_mismatch_penalty: float
    schema_mismatch_penalty: float
    strong_score: float
    weak_bonus: float
    weak_alone_score: float

    # There is deliberately no way to derive a configuration from a caller's threshold: the
    # decision always uses the configured thresholds (a caller's threshold only filters which
    # weaker results are listed, see :func:`proscribe.screen.list_results`).


@lru_cache(maxsize=4)
def load_config(path: Path = CONFIG_PATH) -> MatchConfig:
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    flat: dict = {}
    for section in raw.values():
        flat.update(section)
    # hashable (the configuration keys the matcher cache); noise words in the token space
    flat["noise_words"] = frozenset(str(word).lower() for word in flat.get("noise_words", ()))
    return MatchConfig(**flat)
