"""What people look at and what other tools read: documents, text, the map, the report, exports.

Renderers take a :class:`netmap.result.Result` and never import the workflows.

* :mod:`~netmap.render.documents`: the JSON documents, CSV tables and one-paragraph summary of a result;
* :mod:`~netmap.render.text`: what ``netmap analyse`` and ``netmap gaps`` print;
* :mod:`~netmap.render.page`: templates, the inlined vis-network, script-safe JSON, the version;
* :mod:`~netmap.render.style`: constituency colours, sector shapes, tie styles, the size metrics;
* :mod:`~netmap.render.layout`: the drawn graph (actors and spaces) and its seeded force layout;
* :mod:`~netmap.render.drawing`: the nodes, lines and legend of the interactive map;
* :mod:`~netmap.render.map`: the interactive map page;
* :mod:`~netmap.render.charts`: the report's SVG charts;
* :mod:`~netmap.render.report_figures`: the report's figures and tables;
* :mod:`~netmap.render.report`: the HTML report and the demo's index page;
* :mod:`~netmap.render.export`: GraphML, GEXF, CSV, JSON and Kumu exports.

The package exports the main entry points below; :func:`netmap.render.export.export`
itself is not re-exported, as the name would hide the ``export`` module.
"""

from typing import TYPE_CHECKING

from netmap.lazy import first_use

if TYPE_CHECKING:
    from netmap.render.documents import analysis_document, gaps_document, result_files, site_summary
    from netmap.render.map import render_map, write_map
    from netmap.render.outputs import EXPORT_FORMATS
    from netmap.render.report import render_report, write_report

__all__ = [
    "EXPORT_FORMATS",
    "analysis_document",
    "gaps_document",
    "render_map",
    "render_report",
    "result_files",
    "site_summary",
    "write_map",
    "write_report",
]

#: Name -> module it comes from, imported on first use (PEP 562), so that importing one renderer
#: (or :mod:`~netmap.render.style` for its names) does not load every other.
_LAZY = {
    "EXPORT_FORMATS": "netmap.render.outputs",
    "analysis_document": "netmap.render.documents",
    "gaps_document": "netmap.render.documents",
    "result_files": "netmap.render.documents",
    "site_summary": "netmap.render.documents",
    "render_map": "netmap.render.map",
    "write_map": "netmap.render.map",
    "render_report": "netmap.render.report",
    "write_report": "netmap.render.report",
}

__getattr__ = first_use(__name__, _LAZY)
