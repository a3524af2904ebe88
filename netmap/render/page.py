"""The page machinery of netmap's HTML files: templates, the inlined vis-network, safe JSON, the version.

The map and the report are filled-in templates (``visualisations/templates``,
shipped as ``netmap/_templates``; :func:`netmap.resources.template_dir`). Every
value reaches a page through :func:`fill_template`; data for scripts goes
through :func:`script_json`, so no user-supplied string can end a ``<script>``.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from netmap.errors import OutputError
from netmap.resources import template_dir

__all__ = ["fill_template", "keep_sections", "load_template", "netmap_version", "script_json", "vis_network_js"]


def load_template(name: str) -> str:
    """The text of one template; :class:`OutputError` if it is missing."""
    path = template_dir() / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"template {path} cannot be read: {exc.strerror or exc}") from None


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """The minified vis-network 9.1.2 bundled in the pyvis wheel (inlined into every map)."""
    try:
        # find_spec locates the package without importing it (pyvis imports jinja2 and more)
        spec = importlib.util.find_spec("pyvis")
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError("pyvis")
        source = Path(next(iter(spec.submodule_search_locations))) / "lib" / "vis-9.1.2" / "vis-network.min.js"
        text = source.read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError) as exc:
        raise OutputError(f"vis-network is missing from the pyvis package ({exc}); reinstall pyvis==0.3.2") from None
    # "<script" and "</script" only occur inside string literals (core-js builds "<script>" + ...);
    # \x3c keeps their value but no HTML parser can take them for tags.
    return re.sub(r"(?i)<(/?script)", r"\\x3c\1", text)


def script_json(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026`` (so
    ``</script>`` in a name cannot end the element), and U+2028/U+2029 are
    escaped too. The result is still valid JSON with the same value.

    >>> script_json({"name": "</script><b>&"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    >>> json.loads(script_json("a\\u2028b")) == "a\\u2028b"
    True
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def fill_template(template: str, values: Mapping[str, str]) -> str:
    """Replace every ``{{name}}`` of ``template`` in one pass (inserted text is never rescanned).

    >>> fill_template("<b>{{a}}</b>{{b}}", {"a": "{{b}}", "b": "x"})
    '<b>{{b}}</b>x'
    """
    def replace(match: re.Match) -> str:
        key = match.group(1)
        if key not in values:
            raise OutputError(f"template value '{key}' is not given")
        return values[key]

    return re.sub(r"\{\{(\w+)\}\}", replace, template)


def keep_sections(template: str, keep: Mapping[str, bool]) -> str:
    """Keep or drop each ``{{#name}}`` ... ``{{/name}}`` block of whole lines; the marker lines always go.

    A page without a feature is then byte for byte the page before the feature was added.

    >>> keep_sections("a\\n{{#x}}\\nb\\n{{/x}}\\nc\\n", {"x": False})
    'a\\nc\\n'
    >>> keep_sections("a\\n{{#x}}\\nb\\n{{/x}}\\nc\\n", {"x": True})
    'a\\nb\\nc\\n'
    """
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in keep:
            raise OutputError(f"template section '{name}' is not given")
        return match.group(2) if keep[name] else ""

    return re.sub(r"^\{\{#(\w+)\}\}\n(.*?)^\{\{/\1\}\}\n", replace, template, flags=re.MULTILINE | re.DOTALL)


def netmap_version() -> str:
    """The installed netmap's version (``"0"`` when it is not installed)."""
    try:
        return metadata.version("netmap")
    except metadata.PackageNotFoundError:
        return "0"
