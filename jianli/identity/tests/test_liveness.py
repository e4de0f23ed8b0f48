"""The head-turn rule on landmark sequences: real turns pass, a flat photo tilted or swung does not."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jianli.identity.liveness import MIN_TURN, Prompt, challenge_new, head_turns_ok, nose_offset

FRONT = np.array([[200, 100], [250, 100], [225, 125], [205, 145], [245, 145]], dtype=float)
EYE_GAP = 50.0


def turned(a: float, base: np.ndarray = FRONT) -> np.ndarray:
    """The frontal face with the nose moved sideways by `a` eye-gaps, as a head turn does."""
    points = base.copy()
    points[2, 0] += a * EYE_GAP
    return points


def flat_photo_swung(points: np.ndarray, degrees: float, axis: str = "y", distance: float = 400.0) -> np.ndarray:
    """The five points of a flat picture rotated in 3-D and seen through a pinhole camera."""
    centre = points.mean(axis=0)
    xyz = np.column_stack([points - centre, np.zeros(len(points))])
    t = math.radians(degrees)
    if axis == "y":
        rot = np.array([[math.cos(t), 0, math.sin(t)], [0, 1, 0], [-math.sin(t), 0, math.cos(t)]])
    else:
        rot = np.array([[1, 0, 0], [0, math.cos(t), -math.sin(t)], [0, math.sin(t), math.cos(t)]])
    moved = xyz @ rot.T
    scale = distance / (distance + moved[:, 2])
    return moved[:, :2] * scale[:, None] + centre


def test_a_frontal_face_has_no_offset():
    assert abs(nose_offset(FRONT)) < 1e-9


def test_turning_left_raises_the_offset_and_right_lowers_it():
    assert nose_offset(turned(0.3)) == pytest.approx(0.3)
    assert nose_offset(turned(-0.3)) == pytest.approx(-0.3)


def test_the_offset_ignores_where_the_face_is_and_how_it_is_rotated_or_scaled():
    t = math.radians(20)
    rot = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
    moved = (turned(0.25) @ rot.T) * 1.7 + [40, -13]
    assert nose_offset(moved) == pytest.approx(0.25)


@pytest.mark.parametrize(
    "prompts,offsets",
    [
        (["front", "left"], [0.0, 0.25]),
        (["right", "front"], [-0.3, 0.02]),
        (["left", "front", "right"], [0.22, 0.0, -0.21]),
        (["front", "right", "left"], [0.05, -0.2, 0.3]),
    ],
)
def test_real_turns_in_the_asked_direction_pass(prompts, offsets):
    assert head_turns_ok(prompts, [turned(a) for a in offsets])


@pytest.mark.parametrize(
    "prompts,offsets",
    [
        (["front", "left"], [0.0, -0.3]),  # turned the wrong way
        (["front", "right"], [0.0, 0.3]),
        (["front", "left"], [0.0, 0.15]),  # not far enough
        (["front", "left", "right"], [0.0, 0.3, 0.0]),  # one of two turns missing
        (["front", "left"], [0.0, 0.0]),  # the same picture twice
    ],
)
def test_wrong_small_or_missing_turns_fail(prompts, offsets):
    assert not head_turns_ok(prompts, [turned(a) for a in offsets])


@pytest.mark.parametrize("degrees", [-40, -25, 25, 40])
@pytest.mark.parametrize("axis", ["x", "y"])
def test_a_flat_photo_swung_or_tilted_moves_the_offset_by_at_most_008(degrees, axis):
    swung = flat_photo_swung(FRONT, degrees, axis)
    assert abs(nose_offset(swung) - nose_offset(FRONT)) <= 0.08
    assert not head_turns_ok(["front", "left"], [FRONT, swung])
    assert not head_turns_ok(["front", "right"], [FRONT, swung])


def test_sequences_without_a_frontal_frame_or_a_turn_or_with_missing_frames_fail():
    assert not head_turns_ok(["left", "right"], [turned(0.3), turned(-0.3)])
    assert not head_turns_ok(["front"], [FRONT])
    assert not head_turns_ok(["front", "left"], [FRONT])


def test_every_challenge_has_a_frontal_prompt_and_a_turn_in_varying_order():
    seen = set()
    for _ in range(200):
        prompts = challenge_new()
        assert prompts.count(Prompt.FRONT) == 1
        assert {Prompt.LEFT, Prompt.RIGHT} & set(prompts)
        assert len(prompts) == len(set(prompts))
        seen.add(tuple(prompts))
    assert len(seen) >= 6


def test_the_threshold_is_02():
    assert MIN_TURN == 0.2
