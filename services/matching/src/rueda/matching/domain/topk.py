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
    scores: npt.NDArray[np.float32], k: int, *, block_rows: int = 128
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64]]:
    """The k best columns of each row, best first; only columns with a positive score.

    Columns must be in counterpart-id order, so that a lower column index wins a tie.
    Returns `(columns, thousandths)`, both of shape (rows, min(k, columns)); a slot with
    thousandths == 0 is padding (that row has fewer than k positive scores). Works on
    transposed views too (columns' top-k); rows are ranked in blocks of `block_rows`.
    """
    rows, cols = scores.shape
    k = min(k, cols)
    columns = np.zeros((rows, k), dtype=np.intp)
    thousandths = np.zeros((rows, k), dtype=np.int64)
    if k == 0 or rows == 0:
        return columns, thousandths
    top = int(np.rint(float(scores.max()) * SCORE_RESOLUTION))
    # One integer key per cell: thousandths first, then the reversed column, so that every
    # key in a row is distinct and argpartition cannot break ties arbitrarily.
    key_type = np.int32 if (top + 1) * cols < np.iinfo(np.int32).max else np.int64
    reversed_columns = np.arange(cols - 1, -1, -1, dtype=key_type)
    for start in range(0, rows, block_rows):
        block = slice(start, start + block_rows)
        keys = np.ascontiguousarray(scores[block], dtype=np.float32)
        keys = np.rint(keys * np.float32(SCORE_RESOLUTION)).astype(key_type)
        keys *= key_type(cols)
        keys += reversed_columns
        if k < cols:
            part = np.argpartition(keys, cols - k, axis=1)[:, cols - k :]
        else:
            part = np.broadcast_to(np.arange(cols), keys.shape).copy()
        part_keys = np.take_along_axis(keys, part, axis=1)
        order = np.argsort(-part_keys.astype(np.int64), axis=1)
        columns[block] = np.take_along_axis(part, order, axis=1)
        thousandths[block] = np.take_along_axis(part_keys, order, axis=1).astype(np.int64) // cols
    return columns, thousandths
