"""What people look at and what other tools read: documents, text, the map, the report, exports.

Renderers take a :class:`netmap.result.Result` and never import the workflows.
"""
