"""SESSION_ENGINE when the cache is Redis (settings: REDIS_URL): jianli.accounts.session_store.CachedSessionStore."""

from jianli.accounts.session_store import CachedSessionStore as SessionStore

__all__ = ["SessionStore"]
