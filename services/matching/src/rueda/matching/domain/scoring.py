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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .availability import SlotGrid, any_common_slot, clear_slot_cache, slot_mask, slot_masks
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


def _labels(values: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        out.setdefault(normalise(value), value)
    out.pop("", None)
    return out


def _hs_sets(codes: Iterable[str]) -> dict[int, frozenset[str]]:
    codes = tuple(codes)
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
        grid = SlotGrid(calendar)
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
    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def ids(self, keys: Iterable[str]) -> list[int]:
        return [self.index.setdefault(key, len(self.index)) for key in keys]


def _multi_hot(rows: Sequence[Sequence[int]], width: int) -> npt.NDArray[np.float32]:
    out = np.zeros((len(rows), width), dtype=np.float32)
    lengths = [len(row) for row in rows]
    if sum(lengths):
        row_index = np.repeat(np.arange(len(rows)), lengths)
        col_index = np.fromiter((c for row in rows for c in row), dtype=np.intp)
        out[row_index, col_index] = 1.0
    return out


def _hs_levels(exp: Sequence[_Prepared], imp: Sequence[_Prepared]) -> npt.NDArray[np.uint8]:
    """0 none, 1 same chapter, 2 same heading, 3 same subheading, for every pair."""
    levels = np.zeros((len(exp), len(imp)), dtype=np.uint8)
    # Coarse levels first: a shared heading implies a shared chapter, so the finer level
    # simply overwrites.
    for value, level in ((1, 2), (2, 4), (3, 6)):
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


def score_matrix(
    exporters: Iterable[Participant],
    importers: Iterable[Participant],
    calendar: Calendar,
    weights: ScoreWeights | None = None,
) -> ScoreMatrix:
    """Score every exporter against every importer at once (numpy, float32).

    Participants are sorted by id; rows are exporters, columns importers. Equal to
    `score_pair(...).score` for every pair.
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

    sectors, languages, certs, countries = (_Vocabulary() for _ in range(4))
    exp_sectors = [sectors.ids(p.sectors) for p in exp]
    imp_sectors = [sectors.ids(p.interest) for p in imp]
    exp_languages = [languages.ids(p.languages) for p in exp]
    imp_languages = [languages.ids(p.languages) for p in imp]
    imp_required = [certs.ids(p.required) for p in imp]
    exp_certs = [certs.ids(p.certifications) for p in exp]
    imp_wanted = [countries.ids(p.wanted_countries) for p in imp]
    exp_country = np.array(countries.ids(p.country for p in exp), dtype=np.intp)

    levels = _hs_levels(exp, imp)
    points = np.array(
        [0.0, weights.hs_chapter, weights.hs_heading, weights.hs_subheading], dtype=np.float32
    )
    scores: npt.NDArray[np.float32] = points[levels]

    shared_sectors = (
        _multi_hot(exp_sectors, len(sectors.index)) @ _multi_hot(imp_sectors, len(sectors.index)).T
    )
    relevant = (levels > 0) | (shared_sectors > 0)
    np.minimum(shared_sectors, np.float32(weights.sector_cap), out=shared_sectors)
    shared_sectors *= np.float32(weights.sector)
    scores += shared_sectors
    del shared_sectors, levels

    required = _multi_hot(imp_required, len(certs.index))
    held_required = _multi_hot(exp_certs, len(certs.index)) @ required.T
    required_count = required.sum(axis=1, dtype=np.float32)
    complete = held_required >= required_count[None, :]
    np.add(
        scores,
        np.float32(weights.certifications_held),
        out=scores,
        where=complete & (required_count > 0)[None, :],
    )

    wanted = _multi_hot(imp_wanted, len(countries.index))
    np.add(
        scores, np.float32(weights.wanted_country), out=scores, where=wanted[:, exp_country].T > 0
    )

    common_language = (
        _multi_hot(exp_languages, len(languages.index))
        @ _multi_hot(imp_languages, len(languages.index)).T
    ) > 0
    np.add(scores, np.float32(weights.shared_language), out=scores, where=common_language)

    valid = relevant & complete
    valid &= any_common_slot(
        slot_masks(exporter_list, calendar), slot_masks(importer_list, calendar)
    )
    scores *= valid
    return ScoreMatrix(
        exporter_ids=tuple(p.participant_id for p in exporter_list),
        importer_ids=tuple(p.participant_id for p in importer_list),
        scores=scores,
    )
