"""Launch Debian's chromium through Playwright, offline, for the browser tests and scripts.

Never downloads a browser: it uses ``/usr/bin/chromium`` (or ``$NETMAP_CHROMIUM``).
:func:`offline_page` opens a page that aborts every request not to a
``file://`` URL and records it, and records any JavaScript dialog (none
should ever open) and page errors.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


def chromium_path() -> str | None:
    """The chromium executable to drive, or None when it is not installed."""
    configured = os.environ.get("NETMAP_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def services_required() -> bool:
    """True when a missing chromium must fail the tests rather than skip them (CI)."""
    return bool(os.environ.get("NETMAP_REQUIRE_SERVICES") or os.environ.get("CI"))


def missing_reason() -> str | None:
    """Why the browser cannot run (None when it can)."""
    if chromium_path() is None:
        return "Debian's chromium is not installed (apt-get install chromium, or set NETMAP_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -e '.[test]')"
    return None


@contextlib.contextmanager
def launch() -> Iterator:
    """A headless chromium browser (Playwright ``Browser``)."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError(missing_reason() or "chromium not found")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def browser_or_skip() -> Iterator:
    """The body of every browser test module's ``browser`` fixture: a browser, or a skip (a failure
    when :func:`services_required`, so that CI never passes without running them)."""
    import pytest

    reason = missing_reason()
    if reason:
        if services_required():
            pytest.fail(f"the browser tests must run here (NETMAP_REQUIRE_SERVICES or CI is set): {reason}")
        pytest.skip(reason)
    with launch() as b:
        yield b


@dataclass
class PageLog:
    """What happened while a page was open."""

    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


@contextlib.contextmanager
def offline_page(browser, width: int = 1400, height: int = 900, scale: float = 1.0) -> Iterator[tuple]:
    """A page with every non-``file://`` request aborted and recorded; yields ``(page, log)``."""
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale,
                                  offline=True)
    page = context.new_page()
    log = PageLog()

    def route(r) -> None:
        url = r.request.url
        if url.startswith("file://"):
            r.continue_()
        else:
            log.blocked.append(url)
            r.abort()

    def dialog(d) -> None:
        log.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.route("**/*", route)
    page.on("dialog", dialog)
    page.on("pageerror", lambda exc: log.errors.append(str(exc)))
    page.on("console", lambda msg: log.console.append(f"{msg.type}: {msg.text}"))
    try:
        yield page, log
    finally:
        context.close()


def open_map(page, path: Path, timeout: float = 30_000) -> None:
    """Open a map file and wait until vis-network has drawn it (``window.netmapReady``)."""
    page.goto(Path(path).resolve().as_uri())
    page.wait_for_function("() => window.netmapReady === true", timeout=timeout)


# --------------------------------------------------------------------------- a map that tries to break out

#: Names that would run script if a page inserted them as HTML.
XSS_NAMES = ("<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>")


def tricky_map():
    """A small map with hostile names, two localities, directed ties, a cut vertex and an isolate.

    Actors: ``x1`` and ``x2`` carry :data:`XSS_NAMES`; the map's own name and
    a space name try to break out too. Uses whole-system constituency keys.
    """
    from netmap.model import Actor, Locality, Membership, NetworkMap, Space, Tie

    actors = [
        Actor("x1", XSS_NAMES[0], ("community_group",), communities=("caribbean",), locality="north"),
        Actor("x2", XSS_NAMES[1], ("service_user_led",), locality="south"),
        Actor("trust", "Fernbridge NHS Trust & Partners \u2028 line", ("nhs_mental_health",), locality=""),
        Actor("icb", "Fernbridge ICB", ("commissioner",), locality=""),
        Actor("vcs", "Hope \"Quoted\" 'Centre'", ("vcse_provider", "community_group"), locality="north"),
        Actor("faith", "St Anne's", ("faith_group",), locality="south"),
        Actor("leaf", "Leaf Group", ("carer_led",), locality="south"),
        Actor("lonely", "Nobody's Partner", (), locality="north"),
    ]
    ties = [
        Tie("icb", "trust", "commissions", directed=True),
        Tie("icb", "vcs", "funds", directed=True, weight=2.0),
        Tie("vcs", "x1", "partnership"),
        Tie("trust", "x2", "refers_to", directed=True),
        Tie("faith", "leaf", "partnership"),
    ]
    spaces = [Space("forum", "</script><b>Forum</b>")]
    memberships = [Membership("x1", "forum"), Membership("faith", "forum"), Membership("trust", "forum")]
    return NetworkMap("tricky", "<script>alert(3)</script> Tricky & <b>bold</b>", actors=actors, ties=ties,
                      spaces=spaces, memberships=memberships,
                      localities=[Locality("north", "North"), Locality("south", "South")],
                      framework="whole-system", description="A test map whose names try to break the page.")


# --------------------------------------------------------------------------- a forum with long names

#: Ten partners of one forum, with the long names real organisations have (whole-system constituencies).
FORUM_PARTNERS = (
    ("Riverside and District Community Mental Health Partnership Trust", "nhs_mental_health"),
    ("Greater Northtown Integrated Care Board", "commissioner"),
    ("Northtown Metropolitan Borough Council Adult Social Care", "local_authority"),
    ("African and Caribbean Mental Health Wellbeing Network", "community_group"),
    ("Northtown Carers Centre and Young Carers Service", "carer_led"),
    ("Service User Voices for Change in Northtown", "service_user_led"),
    ("Central Jamia Mosque and Islamic Community Centre", "faith_group"),
    ("Northtown Refugee and Asylum Seeker Support Group", "vcse_provider"),
    ("Northtown University School of Health and Social Care Research", "academic_research"),
    ("Creative Arts for Wellbeing Community Interest Company", "arts_culture"),
)


def forum_map():
    """A forum of ten partners with long names, and no other tie: one space with ten members."""
    from netmap.model import Actor, Membership, NetworkMap, Space

    actors = [Actor(f"p{k}", name, (key,)) for k, (name, key) in enumerate(FORUM_PARTNERS)]
    return NetworkMap("forum10", "A ten-partner forum", actors=actors,
                      spaces=[Space("forum", "Northtown Creative Spaces Forum for Mental Health and Wellbeing")],
                      memberships=[Membership(a.id, "forum") for a in actors], framework="whole-system")


#: The box of every label vis-network draws, in the page's pixels, measured from what it drew: the label
#: module's size (set when the label is drawn, in map units) through the view's transform.
LABEL_BOXES = """() => {
  const net = netmap.network;
  const scale = net.getScale();
  const boxes = [];
  for (const id of net.body.nodeIndices) {
    const node = net.body.nodes[id];
    const drawn = node.options.font.size * scale >= node.options.scaling.label.drawThreshold - 1;
    if (!node.options.label || !drawn) { continue; }
    const s = node.labelModule.size;
    const a = net.canvasToDOM({x: s.left, y: s.top});
    const b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
    boxes.push({id: id, label: node.options.label, x1: a.x, y1: a.y, x2: b.x, y2: b.y});
  }
  const canvas = document.querySelector('#map canvas').getBoundingClientRect();
  return {boxes: boxes, width: canvas.width, height: canvas.height};
}"""


def label_problems(measured: dict) -> list[str]:
    """Labels that run off the canvas or overlap another, from :data:`LABEL_BOXES`."""
    boxes, problems = measured["boxes"], []
    for k, a in enumerate(boxes):
        if a["x1"] < 0 or a["y1"] < 0 or a["x2"] > measured["width"] or a["y2"] > measured["height"]:
            problems.append(f"{a['label']!r} runs off the canvas: {a}")
        problems += [f"{a['label']!r} overlaps {b['label']!r}" for b in boxes[k + 1:]
                     if a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]]
    return problems
