"""Imports run one way between packages (ARCHITECTURE.md, convention 13), checked on every module's source.

Every `import` counts, including those inside functions: a lower package never reaches a higher one.
"""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "events_app"

# Lower layers first. A module may import its own package, any lower layer, and (within its layer)
# a sibling only where the sibling does not import it back.
LAYERS = [
    {"models", "extensions", "inserts", "choices", "countries", "forms", "formatting", "database", "log_redaction",
     "files", "request_log", "body_limits", "routing", "signals", "i18n", "auth", "audit", "jobs", "security_headers"},
    {"events"},
    {"registration"},
    {"mail", "documents", "attendance", "recommendations"},
    {"manage", "api", "cli", "demo", "privacy", "delegate_files", "backup", "health", "demo_scale", "__init__"},
]
LAYER_OF = {name: level for level, names in enumerate(LAYERS) for name in names}

# Crossings that still exist; each entry is (importer package, imported package). Empty when done.
KNOWN_UPWARD: set[tuple[str, str]] = set()
KNOWN_MUTUAL: set[tuple[str, str]] = set()


def _package_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0].removesuffix(".py")


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "events_app" and len(parts) > 1:
                found.add(parts[1])
    return found


def _package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        importer = _package_of(path)
        imported = {name for name in _imported_packages(path) if name != importer and name in LAYER_OF}
        graph.setdefault(importer, set()).update(imported)
    return graph


def test_every_module_belongs_to_a_layer():
    unknown = sorted(name for name in _package_graph() if name not in LAYER_OF)
    assert unknown == [], f"add these to a layer in LAYERS (and the README's package map): {unknown}"


def test_no_package_imports_a_higher_one():
    upward = {
        (importer, imported)
        for importer, targets in _package_graph().items()
        for imported in targets
        if LAYER_OF.get(imported, 0) > LAYER_OF.get(importer, 0)
    }
    assert upward - KNOWN_UPWARD == set(), "lower packages importing higher ones"
    assert KNOWN_UPWARD - upward == set(), "fixed crossings: remove them from KNOWN_UPWARD"


def test_no_two_packages_import_each_other():
    graph = _package_graph()
    pairs = {tuple(sorted((a, b))) for a, targets in graph.items() for b in targets if a in graph.get(b, set())}
    assert pairs - KNOWN_MUTUAL == set(), "packages importing each other"
    assert KNOWN_MUTUAL - pairs == set(), "fixed cycles: remove them from KNOWN_MUTUAL"
