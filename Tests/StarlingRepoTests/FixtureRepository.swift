import Foundation

/// A small Python repository with known answers, written to a temporary folder: base-class calls
/// through `self`, `super()`, relative imports (one climbing above the top package), a module
/// attribute call, a call on a local bound to a constructor, an unresolvable call on a parameter,
/// a `__main__` entry point, a test file and a virtual environment folder to skip.
enum FixtureRepository {
    static let files: [String: String] = [
        "README.md": """
        # shop
        [![build](https://example.invalid/badge.svg)](https://example.invalid)
        Keep stock with the `Inventory` class: add items, then report.
        """,
        "shop/__init__.py": """
        \"\"\"A tiny shop.\"\"\"
        from .core import Inventory
        __all__ = ["Inventory"]
        """,
        "shop/base.py": """
        class Store:
            \"\"\"Where things are kept.\"\"\"
            def reset(self):
                self.items = {}
            def check(self, name):
                return bool(name)
            def describe(self):
                return "store"

        def unknown_caller(obj):
            return obj.frobnicate()
        """,
        "shop/util.py": """
        import os

        def normalize(text: str) -> str:
            \"\"\"Strip a path to its last part.\"\"\"
            return os.path.basename(text)
        """,
        "shop/core.py": """
        from .base import Store
        from . import util


        class Inventory(Store):
            \"\"\"Counts items by name.\"\"\"
            def __init__(self):
                self.reset()

            def add(self, name, count: int = 1):
                self.check(name)
                util.normalize(name)
                return self._log(name)

            def _log(self, name):
                return helper(name)

            def report(self):
                return super().describe()


        class Orphan:
            def lonely(self):
                return 1


        def helper(value):
            return len(value)
        """,
        "shop/sub/__init__.py": "",
        "shop/sub/deep.py": """
        from ..core import Inventory
        from ...outside import nothing


        def build(store: Inventory) -> Inventory:
            fresh = Inventory()
            fresh.add("apple")
            store.report()
            return fresh
        """,
        "app.py": """
        from shop.sub.deep import build
        from shop import Inventory

        def main():
            return build(Inventory())

        if __name__ == "__main__":
            main()
        """,
        "tests/test_core.py": """
        from shop.core import Inventory

        def test_add():
            assert Inventory().add("x") == 1
        """,
        ".venv/lib/site.py": "def ignored(): pass\n",
        "build/lib/shop/core.py": "def ignored(): pass\n",
    ]

    /// Writes the fixture and returns its root.
    static func make() throws -> URL { try write(files, prefix: "starling-repo-fixture") }

    /// Writes `files` (path → text) under a fresh temporary folder and returns it.
    static func write(_ files: [String: String], prefix: String) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        for (path, text) in files {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        return root
    }
}

/// A src-layout repository with one case per way Python binds or calls a name that a text-level
/// reader misses: two star imports that bind one name (with and without `__all__`), a nested
/// function's call, class-body descriptor calls, class decorators with and without a call,
/// `with … as`, `self.x.m()` after `self.x = Class()` in `__init__`, local and module aliases,
/// and a test module that imports the package by its installed name.
enum ExactFixture {
    static let files: [String: String] = [
        "src/lib/__init__.py": """
        from .first import *
        from .second import *
        """,
        "src/lib/first.py": """
        __all__ = ["pick", "other", "Typed"]
        def pick():
            return "first"
        def other():
            return 1
        class Typed:
            def __init__(self, kind=None):
                self.kind = kind
        """,
        "src/lib/second.py": """
        __all__ = ["other"]
        def pick():
            return "second"
        def other():
            return 2
        """,
        "src/lib/third.py": """
        def pick():
            return "third"
        def _hidden():
            return 3
        """,
        "src/lib/late.py": """
        from .first import *
        from .third import *
        def _hidden():
            return 0
        def run():
            return pick(), _hidden()
        """,
        "src/lib/models.py": """
        from .first import Typed
        def register(cls):
            return cls
        def tag(name):
            def wrap(cls):
                return cls
            return wrap
        @register
        @tag("m")
        class Model:
            name = Typed(str)
            size = Typed(int)
            def check(self):
                return True
            def __enter__(self):
                return self
            def __exit__(self, *args):
                return False
        class Client:
            def __init__(self):
                self.model = Model()
            def go(self):
                def inner():
                    return helper()
                with Model() as m:
                    m.check()
                alias = helper
                alias()
                self.model.check()
                return inner()
        def helper():
            return 1
        shortcut = helper
        def use_shortcut():
            return shortcut()
        """,
        "src/lib/props.py": """
        from .models import helper
        class Box:
            @property
            def size(self):
                return helper()
            @size.setter
            def size(self, value):
                self._size = value
        """,
        "tests/test_lib.py": """
        import lib
        from lib.models import Client
        def test_go():
            assert Client().go() == 1
            assert lib.pick() == "first" and lib.other() == 2
        """,
    ]

    static func make() throws -> URL { try FixtureRepository.write(files, prefix: "starling-exact-fixture") }
}
