"""Writing new examples into data/nlu/*.yml with a round-trip YAML parser (ruamel), so the
files keep their formatting and comments and the git diff shows only the new lines."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from protheus.common.paths import PROJECT, Project
from protheus.trainer.scrubber import dedupe_key

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\{[^}]*\}|\([^)]*\))")


def _yaml() -> YAML:
    round_trip = YAML(typ="rt")
    round_trip.preserve_quotes = True  # type: ignore[assignment]  # ruamel declares these as None
    round_trip.width = 4096  # type: ignore[assignment]
    round_trip.indent(mapping=2, sequence=2, offset=0)
    return round_trip


def example_lines(block: str) -> list[str]:
    """The examples of an `examples: |` block, entity annotations reduced to their text."""
    return [ANNOTATION.sub(r"\1", line.strip()[2:]) for line in block.splitlines() if line.strip().startswith("- ")]


def _yaml_printable(char: str) -> bool:
    # YAML 1.2's printable set (what a YAML file may hold at all); tabs and line breaks are
    # already spaces here. Lone surrogates, C0/C1 controls, U+FFFE and U+FFFF are not in it.
    code = ord(char)
    return 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


def clean_example(text: str) -> str:
    """One line of characters a YAML file can hold (a control character a customer pasted, once
    labelled, made Rasa refuse the whole file: issue 24), and no brackets that Rasa would read as
    an entity annotation."""
    text = " ".join(text.replace("[", "(").replace("]", ")").split())
    return "".join(char for char in text if _yaml_printable(char))


class TrainingFiles:
    def __init__(self, project: Project = PROJECT) -> None:
        self.project = project

    def _files(self, folder: Path) -> list[Path]:
        return sorted(folder.rglob("*.yml")) if folder.is_dir() else []  # the test split has subfolders

    def _intent_blocks(self, folder: Path) -> Iterable[tuple[Path, str, str]]:
        # Reading needs no round trip: the C safe loader is about ten times faster than ruamel's.
        for path in self._files(folder):
            document = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader) or {}
            for item in document.get("nlu") or []:
                if "intent" in item and "examples" in item:
                    yield path, item["intent"], str(item["examples"])

    def intents(self) -> dict[str, Path]:
        """Each intent with training examples, and the file that holds them."""
        return {intent: path for path, intent, _ in self._intent_blocks(self.project.nlu)}

    def known_keys(self) -> set[str]:
        """Every training and test example, normalised: a new example must be none of them
        (the test split must never be trained on)."""
        keys: set[str] = set()
        for folder in (self.project.nlu, self.project.test_split):
            for _, _, block in self._intent_blocks(folder):
                keys.update(dedupe_key(line) for line in example_lines(block))
        return keys

    def add(self, intent: str, texts: Iterable[str]) -> list[str]:
        """Append the examples that are new to the intent's file; returns those written."""
        path = self.intents().get(intent)
        if path is None:
            raise KeyError(f"La intención «{intent}» no tiene ejemplos en {self.project.nlu}.")
        known = self.known_keys()
        fresh: list[str] = []
        for text in texts:
            text = clean_example(text)
            key = dedupe_key(text)
            if text and key not in known:
                known.add(key)
                fresh.append(text)
        if not fresh:
            return []
        writer = _yaml()
        document = writer.load(path.read_text(encoding="utf-8"))
        item = next(i for i in document["nlu"] if i.get("intent") == intent and "examples" in i)
        block = str(item["examples"])
        block = block if block.endswith("\n") else block + "\n"
        item["examples"] = LiteralScalarString(block + "".join(f"- {text}\n" for text in fresh))
        out = io.StringIO()
        writer.dump(document, out)
        _write_checked(path, out.getvalue(), intent, fresh)
        return fresh


class TrainingDataError(ValueError):
    """The examples could not be written without breaking the file (nothing was written)."""


def _write_checked(path: Path, text: str, intent: str, fresh: list[str]) -> None:
    """Write only a file that reads back with the new examples in it, and replace the old one in
    one step: training data is never left half-written or unreadable."""
    try:
        document = yaml.load(text, Loader=SafeLoader) or {}
        block = next(str(i["examples"]) for i in document["nlu"] if i.get("intent") == intent and "examples" in i)
    except (yaml.YAMLError, KeyError, StopIteration) as error:
        raise TrainingDataError(
            f"No se escribieron los ejemplos: {path.name} no quedaría legible ({error})."
        ) from error
    if not set(fresh) <= set(example_lines(block)):
        raise TrainingDataError(f"No se escribieron los ejemplos: {path.name} no los leería tal como son.")
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
