"""The offline liveness rule: an active head-turn challenge judged from the detector's five landmarks.

The nose tip is expressed in the affine frame of the two eyes and the mouth midpoint,
N = Em + a·(E1 − E0) + b·(M − Em). All five points of a flat picture lie in one plane, so tilting a printed
photo or a screen leaves `a` almost where it was (|Δa| ≤ 0.08 in simulation), while a real head turn moves it.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import numpy as np
from django.db import models

MIN_TURN = 0.2


class Prompt(models.TextChoices):
    FRONT = "front", "正视"
    LEFT = "left", "向左转头"
    RIGHT = "right", "向右转头"


def challenge_new() -> list[str]:
    """正视 and one or two turns, in a random order, so one replayed picture or a fixed clip cannot answer it."""
    rng = secrets.SystemRandom()
    turns = rng.choice([[Prompt.LEFT], [Prompt.RIGHT], [Prompt.LEFT, Prompt.RIGHT], [Prompt.RIGHT, Prompt.LEFT]])
    prompts = [str(p) for p in turns]
    prompts.insert(rng.randrange(len(prompts) + 1), str(Prompt.FRONT))
    return prompts


def nose_offset(landmarks: np.ndarray) -> float:
    """`a` for YuNet's landmarks (image-left eye, image-right eye, nose, image-left mouth, image-right mouth).

    In an unmirrored camera frame the image-left eye is the person's right eye, so turning the head to the
    person's left moves the nose towards the other eye: `a` grows. A mirrored frame flips the sign.
    """
    p = np.asarray(landmarks, dtype=np.float64).reshape(5, 2)
    e0, e1, nose = p[0], p[1], p[2]
    em = (e0 + e1) / 2
    m = (p[3] + p[4]) / 2
    basis = np.column_stack([e1 - e0, m - em])
    if abs(np.linalg.det(basis)) < 1e-6:
        return 0.0
    a, _b = np.linalg.solve(basis, nose - em)
    return float(a)


def head_turns_ok(prompts: Sequence[str], landmarks: Sequence[np.ndarray], *, min_turn: float = MIN_TURN) -> bool:
    """True when every turn frame moved `a` by at least `min_turn` from the frontal frame, the asked way."""
    if len(prompts) != len(landmarks) or Prompt.FRONT not in prompts:
        return False
    if not any(p in (Prompt.LEFT, Prompt.RIGHT) for p in prompts):
        return False
    front = nose_offset(landmarks[list(prompts).index(Prompt.FRONT)])
    for prompt, points in zip(prompts, landmarks, strict=True):
        delta = nose_offset(points) - front
        if prompt == Prompt.LEFT and delta < min_turn:
            return False
        if prompt == Prompt.RIGHT and delta > -min_turn:
            return False
    return True
