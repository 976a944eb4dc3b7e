"""Every module declares its public surface in ``__all__``, and every name in it exists.

The order of each ``__all__`` is kept by ruff (RUF022, in pyproject.toml).
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import mystery_shopper
from mystery_shopper import errors

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(mystery_shopper.__path__, "mystery_shopper.")
    if not m.name.startswith("mystery_shopper.migrations") and m.name != "mystery_shopper.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_module_declares_all(name: str) -> None:
    module = importlib.import_module(name)
    declared = getattr(module, "__all__", None)
    assert declared is not None, f"{name} has no __all__"
    assert [n for n in declared if not hasattr(module, n)] == []


def test_package_reexports_the_exception_tree() -> None:
    assert set(errors.__all__) <= set(mystery_shopper.__all__)
    assert [n for n in mystery_shopper.__all__ if not hasattr(mystery_shopper, n)] == []
