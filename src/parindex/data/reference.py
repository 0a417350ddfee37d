"""The params reference: every key of a params file, written from the params model so that it cannot drift.

`python -m parindex.data.reference > docs/params.md` writes it; a test fails when the committed file differs
from what the model gives, or when a key has no description.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Iterator

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from parindex.data.params import Params

_SET_BY_PARINDEX = {"file", "root"}
_EXAMPLE = "params/2020.yaml"


def descriptions(model: type[BaseModel]) -> dict[str, str]:
    """The descriptions of a model's fields, read from the Attributes section of its docstring.

    Args:
        model: A params model class.

    Returns:
        Each attribute's description, joined into one line, by name.
    """
    doc = inspect.getdoc(model) or ""
    found: dict[str, str] = {}
    section = doc.split("Attributes:", 1)[1] if "Attributes:" in doc else ""
    current = None
    for line in section.splitlines():
        match = re.match(r"^ {4}(\w+): (.*)$", line)
        if match:
            current = match.group(1)
            found[current] = match.group(2).strip()
        elif current and line.startswith(" " * 8):
            found[current] += " " + line.strip()
        elif line.strip() and not line.startswith(" "):
            break
    return found


def _models(annotation: object) -> Iterator[type[BaseModel]]:
    """The params models an annotation holds (inside tuples, unions, dicts)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _models(argument)


def _type(annotation: object) -> str:
    """A field's type in words a params author reads: "text", "number", "list of …"."""
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type(arguments[0])
    if annotation is str:
        return "text"
    if annotation in (int, float):
        return "number" if annotation is float else "whole number"
    if annotation is bool:
        return "true or false"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping (see below)"
    if origin is typing.Literal:
        return " or ".join(repr(a).replace("'", "") for a in arguments)
    if origin in (types.UnionType, typing.Union):
        kinds = [_type(a) for a in arguments if a is not type(None)]
        text = " or ".join(dict.fromkeys(kinds))
        return text + (", or empty" if type(None) in arguments else "")
    if origin is tuple:
        return f"list of {_type(arguments[0])}"
    if origin is dict:
        return f"mapping of {_type(arguments[0])} to {_type(arguments[1])}"
    return str(annotation)


def _default(field: object) -> str:
    default = getattr(field, "default", PydanticUndefined)
    if default is PydanticUndefined:
        return "required"
    if default is None or (isinstance(default, str | tuple | dict) and not default):
        return "none"
    if isinstance(default, tuple):
        return "[" + ", ".join(str(item) for item in default) + "]"
    if isinstance(default, BaseModel):
        return "see below"
    return f"`{default}`"


def _table(model: type[BaseModel], prefix: str) -> list[str]:
    described = descriptions(model)
    rows = ["| key | value | default | meaning |", "| --- | --- | --- | --- |"]
    for name, field in model.model_fields.items():
        if name in _SET_BY_PARINDEX:
            continue
        meaning = described.get(name, "").replace("|", "\\|")
        rows.append(f"| `{prefix}{name}` | {_type(field.annotation)} | {_default(field)} | {meaning} |")
    return rows


def reference() -> str:
    """The params reference as Markdown: one table per part of a params file, then an example."""
    lines = [
        "# Params reference",
        "",
        "Every key of a params file (`params/<year>.yaml`), written from the params model by",
        "`python -m parindex.data.reference` (a test keeps this file in step with the code). A key that is",
        "not listed here is refused, with the closest known key as the fix. Texts marked",
        '"text or mapping of text to text" are one text for every language or one per language code, e.g.',
        "`title: {vi: Chỉ số cải cách hành chính, en: Public Administration Reform Index}`.",
        "",
        "## The params file",
        "",
        *_table(Params, ""),
    ]
    seen: set[type[BaseModel]] = {Params}
    queue = [(Params, "")]
    while queue:
        model, prefix = queue.pop(0)
        for name, field in model.model_fields.items():
            for inner in _models(field.annotation):
                if inner in seen:
                    continue
                seen.add(inner)
                many = typing.get_origin(field.annotation) is tuple
                key = f"{prefix}{name}" + ("[]" if many else "")
                lines += [
                    "",
                    f"## `{key}`",
                    "",
                    inspect.getdoc(inner).split("\n")[0],
                    "",
                    *_table(inner, f"{key}."),
                ]
                queue.append((inner, f"{key}."))
    lines += ["", "## Example", "", f"`{_EXAMPLE}`:", "", "```yaml"]
    return "\n".join(lines) + "\n"


def example(root: str = ".") -> str:
    """The example params file, as the reference shows it."""
    with open(f"{root}/{_EXAMPLE}", encoding="utf-8") as handle:
        return handle.read()


def document(root: str = ".") -> str:
    """The whole reference, the example params file included."""
    return reference() + example(root) + "```\n"


if __name__ == "__main__":
    print(document(), end="")
