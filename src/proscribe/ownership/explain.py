"""Why an entity is blocked (or to review): the path as a sentence, a text tree, SVG and PNG.

The sentence is what a screening result carries, e.g. ``blocked under OFAC 50% rule: 60% owned
by INTEGRITY TECHNOLOGY GROUP, INCORPORATED (us_ofac_sdn 50543, CYBER2, listed 2025-01-03)
through Acme Holdings (50%)``. The tree and the picture show every contributing holding up to
the listed persons. The SVG is written here as plain markup; PNG is rendered from it with
``rsvg-convert`` (Debian ``librsvg2-bin``) or ``cairosvg`` when one of them is installed.

Walking up the graph is cycle-safe: a node already on the path is shown once and not entered.
A path deeper than :data:`MAX_DEPTH` is never cut short of its listed root: past that depth one
route is followed up to the designated person, its middle folded into a count ("… 9 more
levels …") and its last levels and the root shown, so every explanation names the listed
entity (name, list, program) whatever the depth.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import numpy as np

from proscribe.ownership.graph import (
    CONTROL,
    DIRECTORSHIP,
    UNITS_PER_POINT,
    UNRECOGNISED,
    VOTING,
    format_share,
    share_units,
)
from proscribe.ownership.regime import BLOCK, RegimeResult

MAX_DEPTH = 12
#: Levels shown next to the listed root when the middle of a deep path is folded.
ROOT_LEVELS = 2
#: A sentence lists at most this many intermediate entities; the middle is folded into a count.
SENTENCE_CHAIN = 6

_NO_SHARE = (CONTROL, DIRECTORSHIP, UNRECOGNISED)


@dataclass
class NodeInfo:
    """How a node is shown: caption, and for a listed one its list reference."""

    id: str
    caption: str
    listed_ref: str | None = None  # "us_ofac_sdn 50543, CYBER2, listed 2025-01-03"
    note: str | None = None  # "matched to ... for review (score 0.81)"


Describe = Callable[[int], NodeInfo]


def plain_describe(result: RegimeResult) -> Describe:
    ids = result.graph.ids
    return lambda node: NodeInfo(ids[node], ids[node], ids[node] if result.listed[node] else None)


@dataclass
class PathNode:
    node: int
    info: NodeInfo
    status: str  # listed | block | review | none | uncertain-listed
    share: float | None = None  # the aggregate that decided it
    owners: list[tuple[str, str, PathNode]] = field(default_factory=list)  # (edge label, relationship, owner)
    repeated: bool = False
    elided: int = 0  # entities between this node and its (single) owner that are not shown

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.info.id,
            "caption": self.info.caption,
            "status": self.status,
            "listed": self.info.listed_ref,
            "note": self.info.note,
            "aggregate": None if self.share is None else round(self.share, 4),
            "owners": [
                {"holding": label, "relationship": rel, "owner": child.to_dict()}
                for label, rel, child in self.owners
            ],
            **({"repeated": True} if self.repeated else {}),
            **({"elided": self.elided} if self.elided else {}),
        }


def _level(result: RegimeResult, node: int):
    return result.certain if result.status[node] == BLOCK else result.possible


def contributing_edges(result: RegimeResult, node: int, level=None) -> list[int]:
    """The in-edges of ``node`` that justify its status at ``level``: from members that joined
    before it (never round a cycle), strongest first."""
    g = result.graph
    level = level or _level(result, node)
    keys = getattr(level, "keys", None)
    if keys is not None:  # UK: the holdings of the controller(s) that passed, up to passing
        allowed: list[int] = []
        for key in sorted(keys.get(node, set()), key=str):
            count = level.passed_at.get((node, key))
            if count is not None:
                allowed.extend(level.contrib.get((node, key), [])[:count])
        edges = np.array(sorted(set(allowed)), dtype=np.int64)
    else:
        edges = g.into(np.array([node]))
        edges = edges[level.active[edges]]
        owners = g.src[edges]
        edges = edges[level.member[owners] & (level.rank[owners] < level.rank[node])]
    return sorted((int(e) for e in edges), key=lambda e: -_weight(result, e, level))


def _weight(result: RegimeResult, edge: int, level) -> float:
    g = result.graph
    shares = g.low if level is result.certain else g.high
    return float(shares[edge])


def _edge_label(result: RegimeResult, edge: int, level) -> tuple[str, str]:
    g = result.graph
    kind = int(g.kind[edge])
    record = g.edges[edge] if g.edges is not None else None
    if kind == CONTROL:
        basis = record.control_basis if record and record.control_basis else None
        return (f"control ({basis})" if basis else "control"), "control"
    if kind == DIRECTORSHIP:
        return "director", "directorship"
    if kind == UNRECOGNISED:
        return (record.share_label() if record else "unrecognised relationship"), "unknown"
    label = record.share_label() if record else format_share(float(g.low[edge]), float(g.high[edge]))
    rel = "voting_rights" if kind == VOTING else "shareholding"
    if kind == VOTING:
        label += " of votes"
    if record and record.relationship == "nominee":
        label += " via nominee"
    return label, rel


def _aggregate(result: RegimeResult, edges: list[int], level) -> float:
    """The share the ``edges`` add up to, summed in exact integer units."""
    g = result.graph
    counted = [e for e in edges if int(g.kind[e]) not in _NO_SHARE]
    if not counted:
        return 0.0
    certain = level is result.certain
    shares = g.low if certain else g.high
    return int(share_units(shares[counted], up=not certain).sum()) / UNITS_PER_POINT


def route_to_root(result: RegimeResult, node: int) -> list[int]:
    """The edges of one shortest justified route from ``node`` up to a listed (or possibly
    listed) party, nearest first; empty when ``node`` is itself one or no route exists. Each
    step uses the justification of the node it leaves (never round a cycle)."""
    if result.listed[node] or result.uncertain[node]:
        return []
    g = result.graph
    came: dict[int, int] = {node: -1}
    frontier = [node]
    while frontier:
        nxt: list[int] = []
        for n in frontier:
            for e in contributing_edges(result, n):
                owner = int(g.src[e])
                if owner in came:
                    continue
                came[owner] = e
                if result.listed[owner] or result.uncertain[owner]:
                    route = []
                    while owner != node:
                        edge = came[owner]
                        route.append(edge)
                        owner = int(g.dst[edge])
                    return route[::-1]
                if result.status[owner] != 0:
                    nxt.append(owner)
        frontier = nxt
    return []


def path_tree(result: RegimeResult, node: int, describe: Describe | None = None) -> PathNode:
    describe = describe or plain_describe(result)

    def status_of(n: int) -> str:
        if not result.listed[n] and result.uncertain[n]:
            return "uncertain-listed"
        return result.label(n)

    def deep(item: PathNode) -> PathNode:
        """Past the depth limit: one route up to the listed root, the middle folded."""
        route = route_to_root(result, item.node)
        if not route:
            return item
        g = result.graph
        shown = route[-ROOT_LEVELS - 1 :] if len(route) > ROOT_LEVELS + 1 else route
        # build the shown top of the route, root first
        top = PathNode(
            int(g.src[shown[-1]]), describe(int(g.src[shown[-1]])), status_of(int(g.src[shown[-1]]))
        )
        for e in reversed(shown[1:]):
            below = int(g.dst[e])
            holder = PathNode(below, describe(below), status_of(below))
            label, rel = _edge_label(result, e, _level(result, below))
            holder.owners.append((label, rel, top))
            top = holder
        label, rel = _edge_label(result, route[0], _level(result, item.node))
        if len(route) > len(shown):
            item.elided = len(route) - len(shown)
        item.owners.append((label, rel, top))
        return item

    def build(n: int, on_path: set[int], depth: int) -> PathNode:
        item = PathNode(n, describe(n), status_of(n))
        if result.listed[n] or result.uncertain[n]:
            return item
        if result.status[n] == 0:
            return item
        if depth >= MAX_DEPTH:
            return deep(item)
        level = _level(result, n)
        edges = contributing_edges(result, n, level)
        item.share = _aggregate(result, edges, level)
        for e in edges:
            owner = int(result.graph.src[e])
            label, rel = _edge_label(result, e, level)
            if owner in on_path:
                child = PathNode(owner, describe(owner), result.label(owner), repeated=True)
            else:
                child = build(owner, on_path | {owner}, depth + 1)
            item.owners.append((label, rel, child))
        return item

    return build(node, {node}, 0)


def _roots(item: PathNode, limit: int = 4) -> tuple[list[str], int]:
    """The listed (or possibly listed) parties at the top of ``item``'s subtree: up to ``limit``
    of them described, and how many there are in all."""
    found: dict[int, PathNode] = {}
    stack = [item]
    while stack:
        current = stack.pop()
        if current.status in ("listed", "uncertain-listed"):
            found.setdefault(current.node, current)
            continue
        stack.extend(child for _l, _r, child in reversed(current.owners))
    return [_who(root) for root in list(found.values())[:limit]], len(found)


def _chain(owner: PathNode) -> tuple[str, list[tuple[str, int]]]:
    """From a derived owner up: (who is at the top, [intermediates from the top down with the
    share held in each, as (text, how many entities the entry stands for)]). Stops at a listed
    person or at an entity blocked in aggregate, whose listed roots are then named."""
    chain: list[tuple[str, int]] = []
    current = owner
    seen: set[int] = set()
    while True:
        seen.add(current.node)
        if current.status in ("listed", "uncertain-listed") or current.repeated:
            return _who(current), chain
        if len(current.owners) != 1:
            owners = ", ".join(_who(child) for _l, _r, child in current.owners[:4])
            more = " and others" if len(current.owners) > 4 else ""
            agg = format_share(current.share, current.share) if current.share else "control"
            direct = {child.node for _l, _r, child in current.owners if child.status == "listed"}
            roots, count = _roots(current)
            listed = ""
            if roots and len(direct) < count:
                extra = f" and {count - len(roots)} more" if count > len(roots) else ""
                listed = f"; listed at the top: {', '.join(roots)}{extra}"
            return (
                f"{current.info.caption} (itself {current.status}: {agg} in aggregate by "
                f"{owners}{more}{listed})",
                chain,
            )
        label, _rel, parent = current.owners[0]
        chain.insert(0, (f"{current.info.caption} ({label})", 1))
        if current.elided:
            chain.insert(0, ("", current.elided))
        if parent.node in seen:
            return _who(parent), chain
        current = parent


def _chain_text(chain: list[tuple[str, int]]) -> str:
    """The intermediates as text; a long chain keeps its ends and folds the middle into a count
    (never the listed root, which is not part of the chain)."""
    if len(chain) > SENTENCE_CHAIN:
        keep = SENTENCE_CHAIN // 2
        middle = sum(count for _text, count in chain[keep:-keep])
        chain = [*chain[:keep], ("", middle), *chain[-keep:]]
    return ", ".join(
        text if text else f"… {count} more level{'s' if count != 1 else ''} …" for text, count in chain
    )


def _who(node: PathNode) -> str:
    ref = f" ({node.info.listed_ref})" if node.info.listed_ref else ""
    note = f" [{node.info.note}]" if node.info.note and node.status == "uncertain-listed" else ""
    return f"{node.info.caption}{ref}{note}"


def sentence(
    result: RegimeResult, node: int, describe: Describe | None = None, tree: PathNode | None = None
) -> str:
    """One line: the regime, the decision and the path(s)."""
    tree = tree or path_tree(result, node, describe)
    label = result.regime.label
    if result.listed[node]:
        return f"listed: {_who(tree)}"
    status = int(result.status[node])
    if status == 0:
        return f"not blocked under {label}"
    parts = []
    for edge_label, rel, owner in tree.owners:
        verb = {
            "control": "controlled by",
            "directorship": "with director",
            "unknown": "with",
        }.get(rel, "owned by")
        head = f"{edge_label} {verb}" if rel not in ("control", "directorship") else verb
        basis = ""
        if rel == "control" and edge_label != "control":
            basis = f" ({edge_label.removeprefix('control ').strip('()').replace('_', ' ')})"
        top, chain = _chain(owner)
        parts.append(f"{head} {top}{basis}" + (f" through {_chain_text(chain)}" if chain else ""))
    if status == BLOCK:
        lead = f"blocked under {label}"
    else:
        lead = f"review under {label} (evidence uncertain: {', '.join(review_reasons(result, node)) or 'see path'})"
    if len(parts) > 1 and tree.share:
        return f"{lead}: {format_share(tree.share, tree.share)} in aggregate: " + "; ".join(parts)
    return f"{lead}: " + "; ".join(parts)


def review_reasons(result: RegimeResult, node: int) -> list[str]:
    """Why a review status is uncertain: unknown or ranged shares, review-level list matches,
    directorships (possible control)."""
    reasons: set[str] = set()
    g = result.graph
    seen = {node}
    stack = [node]
    while stack:
        n = stack.pop()
        for e in contributing_edges(result, n, result.possible):
            rec = g.edges[e] if g.edges is not None else None
            if int(g.kind[e]) == DIRECTORSHIP:
                reasons.add("a listed person is a director (possible control)")
            elif int(g.kind[e]) == UNRECOGNISED:
                if rec is not None and "malformed_row" in rec.flags:
                    reasons.add("a row of the data could not be read")
                else:
                    reasons.add("relationship not recognised")
            elif g.low[e] < g.high[e]:
                if rec is not None and rec.share_low is None:
                    reasons.add("share unknown")
                else:
                    reasons.add("share given as a range")
            owner = int(g.src[e])
            if result.uncertain[owner] and not result.listed[owner]:
                reasons.add("an owner matches a list entry only for review")
            if owner not in seen and not result.listed[owner]:
                seen.add(owner)
                stack.append(owner)
    return sorted(reasons)


def caution_notes(result: RegimeResult, node: int, describe: Describe | None = None) -> list[str]:
    """For an entity the regime does not block: holdings and control by listed or blocked
    persons worth a look (OFAC FAQs 398 and 400 urge caution)."""
    describe = describe or plain_describe(result)
    g = result.graph
    notes = []
    for e in g.into(np.array([node])):
        owner = int(g.src[e])
        if not (result.listed[owner] or result.status[owner] == BLOCK):
            continue
        kind = int(g.kind[e])
        label, _ = _edge_label(result, int(e), result.certain)
        who = describe(owner)
        what = "listed" if result.listed[owner] else "blocked"
        if kind in (CONTROL, DIRECTORSHIP, VOTING):
            notes.append(
                f"{label}: {who.caption} ({what}); {result.regime.label} does not block on this alone"
            )
        else:
            notes.append(f"{label} held by {who.caption} ({what})")
    return notes


def text_tree(tree: PathNode) -> str:
    lines: list[str] = []

    def line(item: PathNode) -> str:
        agg = f", {format_share(item.share, item.share)} in aggregate" if item.share else ""
        rep = " (already shown: cycle)" if item.repeated else ""
        return f"{_who(item)} [{item.status}{agg}]{rep}"

    lines.append(line(tree))

    def walk(item: PathNode, prefix: str) -> None:
        for i, (label, _rel, child) in enumerate(item.owners):
            last = i == len(item.owners) - 1
            folded = f"… {item.elided} more levels not shown … ← " if item.elided else ""
            lines.append(f"{prefix}{'└─' if last else '├─'} {label} ← {folded}{line(child)}")
            walk(child, prefix + ("   " if last else "│  "))

    walk(tree, "")
    return "\n".join(lines)


# -- SVG -----------------------------------------------------------------------------------------

_FILL = {
    "listed": "#f8d0d0",
    "block": "#fde2c4",
    "review": "#fff4b8",
    "uncertain-listed": "#fbe3e3",
    "none": "#e8eef4",
}
_STROKE = {"listed": "#a11", "block": "#c60", "review": "#a80", "uncertain-listed": "#c66", "none": "#678"}
BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 250, 58, 40, 70, 20


def _wrap(text: str, width: int = 38) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines or [""]


def svg(tree: PathNode, title: str, footer: str = "") -> str:
    """The path as an SVG picture: the entity at the bottom, its owners above, layer by layer."""
    depth: dict[int, int] = {}
    nodes: dict[int, PathNode] = {}
    edges: list[tuple[int, int, str]] = []

    def visit(item: PathNode, d: int) -> None:
        if item.node in depth and depth[item.node] >= d:
            return
        depth[item.node] = max(d, depth.get(item.node, 0))
        nodes.setdefault(item.node, item)
        if not item.repeated and item.owners:
            nodes[item.node] = item
        for label, _rel, child in item.owners:
            if item.elided:
                label = f"{label} (+{item.elided} levels)"
            if (child.node, item.node, label) not in edges:
                edges.append((child.node, item.node, label))
            if d < MAX_DEPTH * 2:
                visit(child, d + 1)

    visit(tree, 0)
    layers: dict[int, list[int]] = {}
    for n, d in sorted(depth.items(), key=lambda kv: (kv[1], kv[0])):
        layers.setdefault(d, []).append(n)
    max_d = max(layers)
    widest = max(len(v) for v in layers.values())
    width = max(MARGIN * 2 + widest * (BOX_W + GAP_X) - GAP_X + BOX_W // 2, 760)
    title_lines = _wrap(title, int((width - 2 * MARGIN) / 8))
    top = MARGIN + 18 * len(title_lines) + 10
    height = top + (max_d + 1) * (BOX_H + GAP_Y) - GAP_Y + MARGIN + 40
    pos: dict[int, tuple[float, float]] = {}
    for d, members in layers.items():
        row_w = len(members) * (BOX_W + GAP_X) - GAP_X
        x0 = (width - row_w) / 2
        y = top + (max_d - d) * (BOX_H + GAP_Y)
        for i, n in enumerate(members):
            pos[n] = (x0 + i * (BOX_W + GAP_X), y)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="DejaVu Sans, Arial, sans-serif">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#444"/></marker></defs>',
        f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
    ]
    for i, text_line in enumerate(title_lines):
        out.append(
            f'<text x="{MARGIN}" y="{MARGIN + 14 + 18 * i}" font-size="13" font-weight="bold" '
            f'fill="#222">{escape(text_line)}</text>'
        )
    edge_out: list[str] = []
    for src, dst, label in edges:
        (sx, sy), (dx, dy) = pos[src], pos[dst]
        x1, y1 = sx + BOX_W / 2, sy + BOX_H
        x2, y2 = dx + BOX_W / 2, dy
        if sy >= dy:  # an edge back up the picture (a cycle): route it around
            y1, y2 = sy, dy + BOX_H
        if abs(depth[src] - depth[dst]) > 1 or sy >= dy:  # skips a layer or goes back up: curve around
            x1, x2 = sx + BOX_W - 24, dx + BOX_W - 24
            cx, cy = max(x1, x2) + BOX_W * 0.6, (y1 + y2) / 2
            edge_out.append(
                f'<path d="M {x1:.1f} {y1:.1f} Q {cx:.1f} {cy:.1f} {x2:.1f} {y2:.1f}" fill="none" '
                f'stroke="#444" stroke-width="1.5" marker-end="url(#arrow)"/>'
            )
            mx, my = (x1 + 2 * cx + x2) / 4, (y1 + 2 * cy + y2) / 4
        else:
            edge_out.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#444" '
                f'stroke-width="1.5" marker-end="url(#arrow)"/>'
            )
            mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        edge_out.append(
            f'<rect x="{mx - 4 - 3.4 * len(label):.1f}" y="{my - 10:.1f}" width="{8 + 6.8 * len(label):.1f}" '
            f'height="16" rx="3" fill="#ffffff" stroke="#bbb"/>'
        )
        edge_out.append(
            f'<text x="{mx:.1f}" y="{my + 2:.1f}" font-size="11" text-anchor="middle" '
            f'fill="#222">{escape(label)}</text>'
        )
    for n, (x, y) in pos.items():
        item = nodes[n]
        status = item.status
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="6" '
            f'fill="{_FILL.get(status, "#eee")}" stroke="{_STROKE.get(status, "#666")}" stroke-width="1.5"/>'
        )
        caption_lines = _wrap(item.info.caption, 36)[:2]
        for i, text_line in enumerate(caption_lines):
            out.append(
                f'<text x="{x + 8:.1f}" y="{y + 16 + 14 * i:.1f}" font-size="12" font-weight="bold" '
                f'fill="#111">{escape(text_line)}</text>'
            )
        sub = item.info.listed_ref or (
            f"{status}" + (f", {format_share(item.share, item.share)} in aggregate" if item.share else "")
        )
        if item.info.listed_ref:
            sub = f"{status}: {item.info.listed_ref}"
        out.append(
            f'<text x="{x + 8:.1f}" y="{y + BOX_H - 8:.1f}" font-size="10" fill="#333">'
            f"{escape(sub[:48])}</text>"
        )
    out.extend(edge_out)
    if footer:
        out.append(
            f'<text x="{MARGIN}" y="{height - 14:.0f}" font-size="10" fill="#555">{escape(footer)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def png_renderer() -> str | None:
    """The name of an available SVG-to-PNG renderer, or None."""
    if shutil.which("rsvg-convert"):
        return "rsvg-convert"
    try:
        import cairosvg  # noqa: F401

        return "cairosvg"
    except Exception:  # not installed, or its C library is missing
        return None


class NoRendererError(RuntimeError):
    pass


def write_png(svg_text: str, path: Path) -> str:
    """Render ``svg_text`` to ``path``; returns the renderer used. Raises :class:`NoRendererError`
    when neither ``rsvg-convert`` nor ``cairosvg`` is installed (never writes a fake PNG)."""
    renderer = png_renderer()
    if renderer == "rsvg-convert":
        proc = subprocess.run(
            ["rsvg-convert", "--format", "png", "--output", str(path)],
            input=svg_text.encode("utf-8"),
            capture_output=True,
            timeout=60,
        )
        if proc.returncode != 0:
            raise NoRendererError(f"rsvg-convert failed: {proc.stderr.decode(errors='replace').strip()}")
        return renderer
    if renderer == "cairosvg":
        import cairosvg

        cairosvg.svg2png(bytestring=svg_text.encode("utf-8"), write_to=str(path))
        return renderer
    raise NoRendererError(
        "no PNG renderer is installed: install rsvg-convert (Debian package librsvg2-bin) "
        "or the Python package cairosvg; the SVG can be attached as it is"
    )
