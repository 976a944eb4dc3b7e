"""mystery-shopper: send test inquiries to dealerships and time their personal replies."""

from .errors import (
    AuthError,
    ComposeError,
    ConfigError,
    MailboxError,
    MysteryShopperError,
    SendError,
    StoreError,
)

__version__ = "0.1.0"

__all__ = [
    "AuthError",
    "ComposeError",
    "ConfigError",
    "MailboxError",
    "MysteryShopperError",
    "SendError",
    "StoreError",
    "__version__",
]
