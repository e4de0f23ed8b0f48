"""Offline: YuNet + SFace against the applicant's own 证件照 (or the new one being checked), with the head-turn challenge when liveness is on.

It proves only "the same person as the photo the applicant supplied": there is no comparison with the authoritative
ID-photo database (公安权威库), and the head-turn challenge stops a still or printed photo, not a replayed video, a
virtual camera or a mask. For development, tests and the demo, or a fallback with 现场核验; production uses `tencent`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.conf import settings
from django.utils import timezone

from jianli.accounts.models import Applicant
from jianli.identity import faces, liveness
from jianli.identity.models import FaceVerification, Reason
from jianli.identity.providers.base import FaceError, FaceProvider, Passed, Started, reference_photo

# The prompts are answered within seconds in the browser; a slow answer is a replay risk.
LIVENESS_WINDOW = dt.timedelta(minutes=3)
MAX_FRAME_BYTES = 5 * 1024 * 1024


def _reference_embedding(verification: FaceVerification) -> np.ndarray:
    """The stored embedding of the applicant's 证件照; computed here only for a new 证件照 being checked, or a photo
    stored before embeddings were (then kept for the next check)."""
    applicant = verification.applicant
    if verification.purpose != FaceVerification.Purpose.PHOTO_CHANGE and applicant.id_photo_embedding:
        return faces.embedding_from_text(applicant.id_photo_embedding)
    reference = reference_photo(verification)
    if not reference:
        raise FaceError(Reason.UNAVAILABLE, "no reference photo")
    embedding = faces.single_face(reference, min_px=1).embedding()
    if verification.purpose != FaceVerification.Purpose.PHOTO_CHANGE:
        Applicant.objects.filter(pk=applicant.pk, id_photo_path=applicant.id_photo_path).update(
            id_photo_embedding=faces.embedding_text(embedding)
        )
    return embedding


class LocalProvider(FaceProvider):
    name = "local"
    compares_candidate = True

    def start(self, verification: FaceVerification) -> Started:
        prompts = liveness.challenge_new() if settings.JIANLI_FACE_LIVENESS else [str(liveness.Prompt.FRONT)]
        labels = [liveness.Prompt(p).label for p in prompts]
        return Started(
            client={"nonce": verification.nonce, "prompts": prompts, "labels": labels, "liveness": settings.JIANLI_FACE_LIVENESS},
            challenge=prompts,
        )

    def finish(self, verification: FaceVerification, payload: dict[str, Any]) -> Passed:
        if payload.get("nonce") not in (None, verification.nonce):
            raise FaceError(Reason.EXPIRED, "nonce")
        prompts = list(verification.challenge) or [str(liveness.Prompt.FRONT)]
        live = len(prompts) > 1
        if live and timezone.now() - verification.created_at > LIVENESS_WINDOW:
            raise FaceError(Reason.EXPIRED, "liveness window")
        frames = [payload.get(f"frame_{i}") for i in range(len(prompts))]
        if not isinstance(frames[0], bytes) or not frames[0]:
            raise FaceError(Reason.NO_FACE, "no frame")
        if live and not all(isinstance(f, bytes) and f for f in frames):
            # One uploaded picture cannot show a head turn.
            raise FaceError(Reason.NOT_LIVE, "missing frames")
        pictures = [f for f in frames if isinstance(f, bytes)]  # all of them, as checked above
        if any(len(f) > MAX_FRAME_BYTES for f in pictures):
            raise FaceError(Reason.NO_FACE, "frame too large")
        try:
            seen = [faces.single_face(f) for f in pictures]
            ref_emb = _reference_embedding(verification)
        except faces.FaceCheckError as e:
            raise FaceError(e.reason, str(e)) from None
        threshold = settings.JIANLI_FACE_THRESHOLD
        frame_embs = faces.embeddings(seen)
        front_index = prompts.index(str(liveness.Prompt.FRONT))
        score = round(faces.cosine(frame_embs[front_index], ref_emb), 4)
        if score < threshold:
            raise FaceError(Reason.NO_MATCH, score=score)
        for i, prompt in enumerate(prompts):
            if i != front_index and faces.cosine(frame_embs[i], frame_embs[front_index]) < threshold:
                raise FaceError(Reason.NO_MATCH, f"frame {prompt} is someone else", score=score)
        if live and not liveness.head_turns_ok(prompts, [f.landmarks for f in seen]):
            raise FaceError(Reason.NOT_LIVE, "head turn", score=score)
        return Passed(score=score, request_id=f"local-{verification.nonce[:12]}")
