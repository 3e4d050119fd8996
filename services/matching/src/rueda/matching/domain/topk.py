"""Top-k per row in a stable order: score descending, then counterpart id ascending."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["SCORE_RESOLUTION", "quantise", "top_k"]

SCORE_RESOLUTION = 1000
"""Scores are compared and published in thousandths; equal thousandths are a tie."""


def quantise(score: float) -> int:
    """A score as an integer number of thousandths (ties are broken by counterpart id)."""
    return round(score * SCORE_RESOLUTION)


def top_k(
    scores: npt.NDArray[np.float32], k: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64]]:
    """The k best columns of each row, best first; only columns with a positive score.

    Columns must be in counterpart-id order, so that a lower column index wins a tie.
    Returns `(columns, thousandths)`, both of shape (rows, min(k, columns)); a slot with
    thousandths == 0 is padding (that row has fewer than k positive scores).
    """
    rows, cols = scores.shape
    k = min(k, cols)
    if k == 0 or rows == 0:
        return np.zeros((rows, k), dtype=np.intp), np.zeros((rows, k), dtype=np.int64)
    quantised = np.rint(scores * np.float32(SCORE_RESOLUTION))
    top = int(quantised.max(initial=0.0))
    # One integer key per cell: thousandths first, then the reversed column, so that every
    # key in a row is distinct and argpartition cannot break ties arbitrarily.
    key_type = np.int32 if (top + 1) * cols < np.iinfo(np.int32).max else np.int64
    keys = quantised.astype(key_type)
    keys *= key_type(cols)
    keys += np.arange(cols - 1, -1, -1, dtype=key_type)
    if k < cols:
        part = np.argpartition(keys, cols - k, axis=1)[:, cols - k :]
    else:
        part = np.broadcast_to(np.arange(cols), (rows, cols)).copy()
    part_keys = np.take_along_axis(keys, part, axis=1)
    order = np.argsort(-part_keys.astype(np.int64), axis=1)
    columns = np.take_along_axis(part, order, axis=1)
    thousandths = np.take_along_axis(part_keys, order, axis=1).astype(np.int64) // cols
    return columns, thousandths
