"""Scores of exporter-importer pairs: one pair at a time with reasons, or all at once.

The rules (points in `ScoreWeights`):

* products: the best level at which an exporter's HS code and an importer's HS code
  agree: same 6-digit subheading > same 4-digit heading > same 2-digit chapter;
* sectors: each of the exporter's sectors that the importer trades in or wants, up to a cap;
* certifications: the exporter holds every certification the importer requires (a bonus);
* the importer wants suppliers from the exporter's country;
* the two share a language.

A pair is not a match (score 0) when the exporter lacks a certification the importer
requires, when their availability windows share no slot of the roundtable, or when they
share neither a sector nor a product chapter (language alone is no reason to meet).

`score_pair` is the readable per-pair implementation and produces the reasons;
`score_matrix` computes the same scores for every pair at once with numpy. Both agree
exactly (weights are binary fractions, so float32 sums are exact).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from .availability import any_common_slot, clear_slot_cache, grid_of, slot_mask, slot_masks
from .model import Calendar, Participant, ScoreWeights, normalise

__all__ = [
    "PairScore",
    "ScoreMatrix",
    "clear_caches",
    "score_matrix",
    "score_pair",
]

_HS_LEVELS = (6, 4, 2)
_HS_NAMES = {6: "subheading", 4: "heading", 2: "chapter"}


@dataclass(frozen=True, slots=True)
class PairScore:
    """The score of one exporter-importer pair and the reasons for it, strongest first."""

    exporter_id: str
    importer_id: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScoreMatrix:
    """Scores of every exporter (rows) against every importer (columns).

    Rows and columns are sorted by participant id, so that index order is id order.
    """

    exporter_ids: tuple[str, ...]
    importer_ids: tuple[str, ...]
    scores: npt.NDArray[np.float32]

    @property
    def pairs(self) -> int:
        """Number of exporter-importer pairs."""
        return len(self.exporter_ids) * len(self.importer_ids)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """One participant's labels as comparison keys, each mapped to its display form."""

    sectors: dict[str, str]
    interest: frozenset[str]
    hs: dict[int, frozenset[str]]
    languages: dict[str, str]
    certifications: frozenset[str]
    required: dict[str, str]
    wanted_countries: frozenset[str]
    country: str


@lru_cache(maxsize=16_384)
def _labels(values: tuple[str, ...]) -> dict[str, str]:
    """Comparison key -> display label (shared between callers: never mutate)."""
    out: dict[str, str] = {}
    for value in values:
        out.setdefault(normalise(value), value)
    out.pop("", None)
    return out


@lru_cache(maxsize=16_384)
def _hs_sets(codes: tuple[str, ...]) -> dict[int, frozenset[str]]:
    return {
        level: frozenset(code[:level] for code in codes if len(code) >= level)
        for level in _HS_LEVELS
    }


@lru_cache(maxsize=65_536)
def _prepare(participant: Participant) -> _Prepared:
    sectors = _labels(participant.sectors)
    return _Prepared(
        sectors=sectors,
        interest=frozenset(sectors) | frozenset(_labels(participant.wants.sectors)),
        hs=_hs_sets(participant.hs_codes),
        languages=_labels(participant.languages),
        certifications=frozenset(_labels(participant.certifications)),
        required=_labels(participant.wants.certifications_required),
        wanted_countries=frozenset(c.upper() for c in participant.wants.countries),
        country=participant.country.upper(),
    )


def clear_caches() -> None:
    """Forget memoised per-participant preparations (for benchmarks and long runs)."""
    _prepare.cache_clear()
    _labels.cache_clear()
    _hs_sets.cache_clear()
    clear_slot_cache()


def _listing(labels: Iterable[str], limit: int = 4) -> str:
    items = sorted(labels)
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown} and {len(items) - limit} more"


def score_pair(
    exporter: Participant,
    importer: Participant,
    calendar: Calendar,
    weights: ScoreWeights | None = None,
) -> PairScore:
    """Score one pair in plain Python and say why, strongest reason first.

    This is the reference the vectorised `score_matrix` is checked against, and the
    source of the reasons published with each proposal.
    """
    if exporter.role != "exporter" or importer.role != "importer":
        raise ValueError("score_pair takes an exporter and an importer")
    weights = weights or ScoreWeights()
    exp, imp = _prepare(exporter), _prepare(importer)
    scored: list[tuple[float, str]] = []
    blockers: list[str] = []

    hs_points = {6: weights.hs_subheading, 4: weights.hs_heading, 2: weights.hs_chapter}
    hs_level = 0
    for level in _HS_LEVELS:
        shared_codes = exp.hs[level] & imp.hs[level]
        if shared_codes:
            hs_level = level
            noun = _HS_NAMES[level] + ("s" if len(shared_codes) > 1 else "")
            scored.append(
                (hs_points[level], f"same HS {noun} ({level}-digit): {_listing(shared_codes)}")
            )
            break

    shared_sectors = [exp.sectors[key] for key in exp.sectors if key in imp.interest]
    sector_points = weights.sector * min(len(shared_sectors), weights.sector_cap)
    if shared_sectors:
        scored.append((sector_points, f"shared sectors: {_listing(shared_sectors)}"))

    missing = [label for key, label in imp.required.items() if key not in exp.certifications]
    if missing:
        blockers.append(f"missing required certifications: {_listing(missing)}")
    elif imp.required:
        held = _listing(imp.required.values())
        scored.append((weights.certifications_held, f"holds the required certifications: {held}"))

    if exp.country in imp.wanted_countries:
        scored.append((weights.wanted_country, f"importer seeks suppliers from {exp.country}"))

    languages = [exp.languages[key] for key in exp.languages if key in imp.languages]
    if languages:
        scored.append((weights.shared_language, f"shared languages: {_listing(languages)}"))

    common = slot_mask(exporter, calendar) & slot_mask(importer, calendar)
    if common:
        grid = grid_of(calendar)
        first = grid.slot_start((common & -common).bit_length() - 1)
        availability = (
            f"{common.bit_count()} common {calendar.slot_minutes}-minute slots "
            f"(first {first:%Y-%m-%d %H:%M} UTC)"
        )
    else:
        blockers.append("no common availability in the roundtable")

    if hs_level == 0 and not shared_sectors:
        blockers.append("no shared sector or product")

    if blockers:
        return PairScore(exporter.participant_id, importer.participant_id, 0.0, tuple(blockers))
    # Same order of additions as score_matrix: products, sectors, certifications,
    # country, language.
    total = 0.0
    for points, _ in scored:
        total += points
    ordered = sorted(scored, key=lambda item: -item[0])
    reasons = (*(text for _, text in ordered), availability)
    return PairScore(exporter.participant_id, importer.participant_id, total, reasons)


class _Vocabulary:
    """Labels numbered in first-seen order, for multi-hot encoding."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    @classmethod
    def of(cls, *rows: Iterable[str]) -> _Vocabulary:
        vocabulary = cls()
        for row in rows:
            for key in row:
                vocabulary.index.setdefault(key, len(vocabulary.index))
        return vocabulary

    def multi_hot(self, rows: Sequence[Iterable[str]]) -> npt.NDArray[np.float32]:
        ids = [[self.index[key] for key in row] for row in rows]
        out = np.zeros((len(ids), len(self.index)), dtype=np.float32)
        lengths = [len(row) for row in ids]
        if sum(lengths):
            row_index = np.repeat(np.arange(len(ids)), lengths)
            col_index = np.fromiter((c for row in ids for c in row), dtype=np.intp)
            out[row_index, col_index] = 1.0
        return out


def _groups(keys: Iterable[Hashable]) -> tuple[list[Any], npt.NDArray[np.intp]]:
    """Distinct keys in first-seen order, and each item's index into them."""
    index: dict[Hashable, int] = {}
    ids = [index.setdefault(key, len(index)) for key in keys]
    return list(index), np.array(ids, dtype=np.intp)


def _hs_levels(exp: Sequence[_Prepared], imp: Sequence[_Prepared]) -> npt.NDArray[np.uint8]:
    """2 same heading, 3 same subheading, else 0, for every pair (chapters: `_Tables`)."""
    levels = np.zeros((len(exp), len(imp)), dtype=np.uint8)
    # Headings first: a shared subheading implies a shared heading, so it simply
    # overwrites.
    for value, level in ((2, 4), (3, 6)):
        exporters_by_code: defaultdict[str, list[int]] = defaultdict(list)
        for row, prepared in enumerate(exp):
            for code in prepared.hs[level]:
                exporters_by_code[code].append(row)
        importers_by_code: defaultdict[str, list[int]] = defaultdict(list)
        for col, prepared in enumerate(imp):
            for code in prepared.hs[level]:
                if code in exporters_by_code:
                    importers_by_code[code].append(col)
        for code, cols in importers_by_code.items():
            levels[np.ix_(exporters_by_code[code], cols)] = value
    return levels


@dataclass(frozen=True, slots=True)
class _Tables:
    """Per-component score tables: one row per distinct exporter trait, one column per
    importer. Exporters share few distinct sector sets, certification sets, languages,
    countries and availability patterns, so each component is computed once per distinct
    trait and then gathered row by row."""

    hs_points: npt.NDArray[np.float32]
    chapter_shared: npt.NDArray[np.uint8]
    chapter_id: npt.NDArray[np.intp]
    sector_points: npt.NDArray[np.float32]
    sector_shared: npt.NDArray[np.bool_]
    certification_points: npt.NDArray[np.float32]
    certification_complete: npt.NDArray[np.bool_]
    country_points: npt.NDArray[np.float32]
    language_points: npt.NDArray[np.float32]
    available: npt.NDArray[np.bool_]
    sector_id: npt.NDArray[np.intp]
    certification_id: npt.NDArray[np.intp]
    country_id: npt.NDArray[np.intp]
    language_id: npt.NDArray[np.intp]
    availability_id: npt.NDArray[np.intp]


def _tables(
    exp: Sequence[_Prepared],
    imp: Sequence[_Prepared],
    exp_slots: npt.NDArray[np.uint64],
    imp_slots: npt.NDArray[np.uint64],
    weights: ScoreWeights,
) -> _Tables:
    sector_sets, sector_id = _groups(frozenset(p.sectors) for p in exp)
    cert_sets, certification_id = _groups(p.certifications for p in exp)
    country_list, country_id = _groups(p.country for p in exp)
    language_sets, language_id = _groups(frozenset(p.languages) for p in exp)
    chapter_sets, chapter_id = _groups(p.hs[2] for p in exp)
    # Vocabularies first, from both sides, so that every multi-hot matrix has full width.
    sectors = _Vocabulary.of(*sector_sets, *(p.interest for p in imp))
    certs = _Vocabulary.of(*cert_sets, *(p.required for p in imp))
    countries = _Vocabulary.of(country_list, *(p.wanted_countries for p in imp))
    languages = _Vocabulary.of(*language_sets, *(p.languages for p in imp))
    chapters = _Vocabulary.of(*chapter_sets, *(p.hs[2] for p in imp))

    chapter_shared = (
        (chapters.multi_hot(chapter_sets) @ chapters.multi_hot([p.hs[2] for p in imp]).T) > 0
    ).astype(np.uint8)

    shared = sectors.multi_hot(sector_sets) @ sectors.multi_hot([p.interest for p in imp]).T
    sector_shared = shared > 0
    sector_points = np.minimum(shared, np.float32(weights.sector_cap)) * np.float32(weights.sector)

    imp_required = certs.multi_hot([p.required for p in imp])
    required_count = imp_required.sum(axis=1)
    complete = (certs.multi_hot(cert_sets) @ imp_required.T) >= required_count[None, :]
    certification_points = (complete & (required_count > 0)[None, :]).astype(np.float32)
    certification_points *= np.float32(weights.certifications_held)

    country_points = (
        countries.multi_hot([[c] for c in country_list])
        @ countries.multi_hot([p.wanted_countries for p in imp]).T
    )
    country_points *= np.float32(weights.wanted_country)

    common_language = (
        languages.multi_hot(language_sets) @ languages.multi_hot([p.languages for p in imp]).T
    ) > 0
    language_points = common_language.astype(np.float32) * np.float32(weights.shared_language)

    patterns, availability_id = np.unique(exp_slots, axis=0, return_inverse=True)
    available = any_common_slot(patterns, imp_slots)
    return _Tables(
        hs_points=np.array(
            [0.0, weights.hs_chapter, weights.hs_heading, weights.hs_subheading],
            dtype=np.float32,
        ),
        chapter_shared=chapter_shared,
        chapter_id=chapter_id,
        sector_points=sector_points,
        sector_shared=sector_shared,
        certification_points=certification_points,
        certification_complete=complete,
        country_points=country_points,
        language_points=language_points,
        available=available,
        sector_id=sector_id,
        certification_id=certification_id,
        country_id=country_id,
        language_id=language_id,
        availability_id=availability_id.reshape(-1),
    )


def _fill_block(
    scores: npt.NDArray[np.float32],
    levels: npt.NDArray[np.uint8],
    tables: _Tables,
    rows: slice,
) -> None:
    out = scores[rows]
    level = np.maximum(levels[rows], tables.chapter_shared[tables.chapter_id[rows]])
    # Additions in the order of score_pair: products, sectors, certifications, country,
    # language.
    np.take(tables.hs_points, level, out=out)
    out += tables.sector_points[tables.sector_id[rows]]
    out += tables.certification_points[tables.certification_id[rows]]
    out += tables.country_points[tables.country_id[rows]]
    out += tables.language_points[tables.language_id[rows]]
    valid = level > 0
    valid |= tables.sector_shared[tables.sector_id[rows]]
    valid &= tables.certification_complete[tables.certification_id[rows]]
    valid &= tables.available[tables.availability_id[rows]]
    out *= valid


def score_matrix(
    exporters: Iterable[Participant],
    importers: Iterable[Participant],
    calendar: Calendar,
    weights: ScoreWeights | None = None,
    *,
    block_rows: int = 256,
) -> ScoreMatrix:
    """Score every exporter against every importer at once (numpy, float32).

    Participants are sorted by id; rows are exporters, columns importers. Equal to
    `score_pair(...).score` for every pair. Rows are filled in blocks of `block_rows`
    so that the temporaries stay in cache.
    """
    weights = weights or ScoreWeights()
    exporter_list = sorted(exporters, key=lambda p: p.participant_id)
    importer_list = sorted(importers, key=lambda p: p.participant_id)
    if any(p.role != "exporter" for p in exporter_list) or any(
        p.role != "importer" for p in importer_list
    ):
        raise ValueError("score_matrix takes exporters and importers")
    exp = [_prepare(p) for p in exporter_list]
    imp = [_prepare(p) for p in importer_list]
    tables = _tables(
        exp,
        imp,
        slot_masks(exporter_list, calendar),
        slot_masks(importer_list, calendar),
        weights,
    )
    levels = _hs_levels(exp, imp)
    scores = np.empty((len(exp), len(imp)), dtype=np.float32)
    for start in range(0, len(exp), block_rows):
        _fill_block(scores, levels, tables, slice(start, start + block_rows))
    return ScoreMatrix(
        exporter_ids=tuple(p.participant_id for p in exporter_list),
        importer_ids=tuple(p.participant_id for p in importer_list),
        scores=scores,
    )
