from jianli.identity.providers import fake, local, tencent, wechat  # noqa: F401
from jianli.identity.providers.base import FaceError, FaceProvider, Passed, Started, get_provider

__all__ = ["FaceError", "FaceProvider", "Passed", "Started", "get_provider"]
