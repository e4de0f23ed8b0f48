"""The offline model on real photos: the same person survives everyday changes, others and non-faces do not."""

from __future__ import annotations

import pytest
from django.conf import settings
from PIL import Image, ImageEnhance

from jianli import testing
from jianli.identity import faces
from jianli.identity.models import Reason
from jianli.testing import jpeg, on_canvas, open_image


def _crop(im: Image.Image) -> Image.Image:
    return im.crop((100, 20, 380, 300))


TRANSFORMS = {
    "crop": _crop,
    "scale_up": lambda im: im.resize((int(im.width * 1.6), int(im.height * 1.6))),
    "darker": lambda im: ImageEnhance.Brightness(im).enhance(0.6),
    "brighter": lambda im: ImageEnhance.Brightness(im).enhance(1.4),
    "rotate": lambda im: im.rotate(10, resample=Image.Resampling.BICUBIC),
    "rotate_back": lambda im: im.rotate(-15, resample=Image.Resampling.BICUBIC),
}


@pytest.mark.parametrize("name", [*TRANSFORMS, "jpeg_q20", "on_camera_frame"])
def test_same_person_matches_after_everyday_changes(name):
    original = testing.astronaut()
    if name == "jpeg_q20":
        changed = jpeg(open_image(original), quality=20)
    elif name == "on_camera_frame":
        changed = on_canvas(original)
    else:
        changed = jpeg(TRANSFORMS[name](open_image(original)))
    score = faces.similarity(faces.single_face(changed), faces.single_face(original))
    assert score >= settings.JIANLI_FACE_THRESHOLD, f"{name}: {score:.3f}"


def test_grace_hopper_matches_herself_after_recompression():
    original = testing.grace_hopper()
    changed = jpeg(ImageEnhance.Brightness(open_image(original).rotate(8)).enhance(0.7), quality=30)
    assert faces.similarity(faces.single_face(changed), faces.single_face(original)) >= settings.JIANLI_FACE_THRESHOLD


def test_astronaut_and_grace_hopper_are_different_people():
    score = faces.similarity(faces.single_face(testing.astronaut()), faces.single_face(testing.grace_hopper()))
    assert score < settings.JIANLI_FACE_THRESHOLD
    assert score < 0.363  # OpenCV's published operating point: not even close


def test_a_cat_has_no_face():
    with pytest.raises(faces.FaceCheckError) as e:
        faces.single_face(testing.cat())
    assert e.value.reason == Reason.NO_FACE


def test_two_people_in_one_picture_are_refused():
    a = open_image(testing.astronaut())
    b = open_image(testing.grace_hopper())
    b.thumbnail((a.width, a.height))
    collage = Image.new("RGB", (a.width + b.width, max(a.height, b.height)), (255, 255, 255))
    collage.paste(a, (0, 0))
    collage.paste(b, (a.width, 0))
    with pytest.raises(faces.FaceCheckError) as e:
        faces.single_face(jpeg(collage))
    assert e.value.reason == Reason.MULTIPLE_FACES


def test_a_small_face_is_refused_as_too_small():
    small = open_image(testing.astronaut()).resize((256, 256))
    with pytest.raises(faces.FaceCheckError) as e:
        faces.single_face(jpeg(small))
    assert e.value.reason == Reason.FACE_TOO_SMALL


def test_a_dark_frame_says_too_dark():
    with pytest.raises(faces.FaceCheckError) as e:
        faces.single_face(jpeg(Image.new("RGB", (640, 480), (5, 5, 5))))
    assert e.value.reason == Reason.TOO_DARK


def test_bytes_that_are_not_an_image_are_no_face():
    with pytest.raises(faces.FaceCheckError) as e:
        faces.single_face(b"not a picture")
    assert e.value.reason == Reason.NO_FACE


def test_an_80_to_90_px_face_in_a_large_photo_is_still_found():
    canvas = Image.new("RGB", (1280, 960), (120, 120, 120))
    canvas.paste(open_image(testing.astronaut()), (700, 300))
    face = faces.single_face(jpeg(canvas))
    assert 80 <= min(face.box[2], face.box[3]) <= 120
    assert faces.similarity(face, faces.single_face(testing.astronaut())) >= settings.JIANLI_FACE_THRESHOLD
