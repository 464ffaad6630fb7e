"""The shape STYLE.md asks of production code, checked so it stays: functions with more than
two parameters take them by keyword, no function over ~50 lines, no module over ~400."""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = [ROOT / "shared" / "shared", *sorted((ROOT / "services").glob("*/*"))]
MAX_FUNCTION_LINES = 50
MAX_MODULE_LINES = 400


def _modules() -> Iterator[Path]:
    for package in PRODUCTION:
        if package.is_dir():
            yield from sorted(package.rglob("*.py"))


def _functions(path: Path) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"


def test_the_production_code_is_found() -> None:
    assert len(list(_modules())) > 40


def test_functions_with_more_than_two_parameters_take_them_by_keyword() -> None:
    offenders = []
    for path in _modules():
        for function in _functions(path):
            args = function.args
            positional = [
                a.arg for a in args.posonlyargs + args.args if a.arg not in ("self", "cls")
            ]
            if len(positional) > 2:
                offenders.append(f"{_where(path, function)} {function.name}({positional})")

    assert offenders == []


def test_no_function_is_longer_than_the_limit() -> None:
    long = [
        f"{_where(path, f)} {f.name}: {f.end_lineno - f.lineno + 1} lines"
        for path in _modules()
        for f in _functions(path)
        if f.end_lineno is not None and f.end_lineno - f.lineno + 1 > MAX_FUNCTION_LINES
    ]

    assert long == []


def test_no_module_is_longer_than_the_limit() -> None:
    long = [
        f"{path.relative_to(ROOT)}: {n} lines"
        for path in _modules()
        if (n := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    ]

    assert long == []
