"""The 3-D scene as a file: glTF 2.0, binary (``.glb``) or text with the data inside (``.gltf``).

What a file holds (one instant of the scene, as drawn: pose, muscle shapes, colours):

* a root node ``anatomy_viewer_leg`` with two groups, ``muscles`` and ``bones``;
* one node per muscle, named exactly as the model's actuator (``glmax1_r``), whose mesh is a
  closed triangle surface wound outwards (every edge shared by two triangles, in opposite
  directions; positive enclosed volume), belly and tendons together: the tendons keep their
  pale colour. The current colours (activation, the bands of a lengthening muscle, a
  highlight's dimming) are vertex colours (``COLOR_0``, linear as glTF asks). A muscle drawn
  as one sheet spanning several model lines (gluteus maximus 1-3, ...) is cut between its
  lines where the scene divides it for picking and colouring; each line's part is closed by
  a wall along the cut, shared with its neighbour's part (same triangles, opposite winding),
  so the parts' volumes add up to the sheet's;
* one node per bone (``femur_r``, ``sacrum``), the mesh as drawn, double-sided (some MyoLeg
  meshes are not consistently wound).

Units are metres. glTF is y-up: the model's +z (up) becomes +y and its -y (the way the body
faces) becomes +z, i.e. (x, y, z) -> (x, z, -y), the usual conversion (Blender's importer turns
it back into z-up). The file is written with pygltflib and read back before it replaces
anything (see :func:`read_gltf`).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pygltflib as gl

from anatomy_viewer.safe_output import atomic_output

#: The model's z-up frame to glTF's y-up frame: (x, y, z) -> (x, z, -y), a proper rotation.
Y_UP = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]])
SUFFIXES = (".glb", ".gltf")
ROOT = "anatomy_viewer_leg"
MUSCLE_MATERIAL = gl.Material(
    name="muscle",
    pbrMetallicRoughness=gl.PbrMetallicRoughness(
        baseColorFactor=[1.0, 1.0, 1.0, 1.0], metallicFactor=0.0, roughnessFactor=0.55
    ),
)
BONE_RGB = (0.89, 0.85, 0.76)


def _linear(srgb: np.ndarray) -> np.ndarray:
    """sRGB values 0..1 as linear ones (glTF's colours are linear)."""
    c = np.asarray(srgb, np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


@dataclass
class SceneMesh:
    """One node of the file: a named mesh in the model's frame (z-up, metres)."""

    name: str
    kind: str  # "muscle" or "bone"
    positions: np.ndarray  # (k, 3)
    normals: np.ndarray  # (k, 3) unit
    triangles: np.ndarray  # (t, 3)
    colours: np.ndarray | None = None  # (k, 3) sRGB 0..1 (muscles)
    extras: dict[str, Any] = field(default_factory=dict)


# ============================================================================ closing parts
def _edges(tris: np.ndarray) -> np.ndarray:
    """Directed edges (3t, 2) of triangles (t, 3)."""
    return np.concatenate([tris[:, [0, 1]], tris[:, [1, 2]], tris[:, [2, 0]]])


def _cycles(edges: list[tuple[int, int]]) -> list[list[int]]:
    """Vertex cycles of directed edges that form closed loops (each vertex left once)."""
    nxt = dict(edges)
    cycles, seen = [], set()
    for start in nxt:
        if start in seen:
            continue
        cycle, v = [], start
        while v not in seen:
            seen.add(v)
            cycle.append(v)
            v = nxt[v]
        cycles.append(cycle)
    return cycles


def _stitch(cycle: list[int], points: np.ndarray, ends: set[int] = frozenset()) -> np.ndarray:
    """Triangles closing the loop ``cycle`` (a cut along a muscle, from one of its end points
    to the other and back): split at the two ``ends`` it holds (else at its two vertices
    farthest apart), the two chains are stitched rung by rung. The
    result depends on the loop only, not on its direction or first vertex, so the two parts on
    either side of a cut get the same wall."""
    at = [k for k, v in enumerate(cycle) if v in ends]
    if len(at) == 2:
        a, b = at
    else:
        p = points[cycle]
        d = ((p[:, None] - p[None]) ** 2).sum(-1)
        a, b = np.unravel_index(int(np.argmax(d)), d.shape)
    if cycle[a] > cycle[b]:
        a, b = b, a
    n = len(cycle)
    one = [cycle[(a + k) % n] for k in range((b - a) % n + 1)]
    two = [cycle[(a - k) % n] for k in range((a - b) % n + 1)]
    lo, hi = (one, two) if one[1] < two[1] else (two, one)
    tris = []
    i = j = 0
    n_lo, n_hi = len(lo) - 1, len(hi) - 1
    while i < n_lo or j < n_hi:
        # Advance the chain that is behind (by the share of its vertices passed), so that
        # the cross-sections of the two chains are joined rung by rung; ties by the shorter
        # diagonal.
        ahead = (i + 1) / n_lo - (j + 1) / n_hi
        step_lo = i < n_lo and (
            j == n_hi
            or ahead < -1e-9
            or (
                abs(ahead) <= 1e-9
                and np.sum((points[lo[i + 1]] - points[hi[j]]) ** 2)
                <= np.sum((points[lo[i]] - points[hi[j + 1]]) ** 2)
            )
        )
        if step_lo:
            tris.append((lo[i], lo[i + 1], hi[j]))
            i += 1
        else:
            tris.append((lo[i], hi[j + 1], hi[j]))
            j += 1
    return np.array([t for t in tris if len(set(t)) == 3], np.int64).reshape(-1, 3)


def _by_columns(
    triangles: np.ndarray, owner: np.ndarray, around: np.ndarray, sides: int
) -> np.ndarray:
    """Owners shared out by whole columns of a tube (the faces between two neighbouring
    vertices of every cross-section, end caps included), each column to the owner of most of
    its triangles: the cuts between owners then run straight along the body from one end
    point to the other, and every owner's part is a band that a wall along each cut closes.
    (The scene gives a sheet's triangles to the nearest line one by one, which can leave a
    line a row of triangles touching only at their corners.)"""
    place = around[triangles]  # (t, 3), -1 for an end point
    ring = np.where(place >= 0, place, place.max(axis=1, keepdims=True))
    lo, hi = ring.min(axis=1), ring.max(axis=1)
    column = np.where(hi - lo > 1, hi, lo)  # the column m holds places m and m + 1 (mod sides)
    out = owner.copy()
    for c in range(sides):
        here = column == c
        if here.any():
            values, counts = np.unique(owner[here], return_counts=True)
            out[here] = values[np.argmax(counts)]
    return out


def closed_parts(
    points: np.ndarray,
    triangles: np.ndarray,
    owner: np.ndarray,
    around: np.ndarray | None = None,
    sides: int = 0,
) -> dict[int, np.ndarray]:
    """Each owner's triangles (of one closed, outward surface) closed on their own: where an
    owner's triangles end at another owner's (the cut between two lines of a sheet), a wall
    along the cut closes both, wound so that each part stays outward. The walls of the two
    sides are the same triangles, so the parts' volumes add up to the whole's. With
    ``around`` (each vertex's place round its cross-section of ``sides``, -1 at the end
    points; see ``MuscleSurface``) the triangles are first shared out by whole columns."""
    triangles = np.asarray(triangles, np.int64)
    owner = np.asarray(owner, np.int64)
    ends: set[int] = set()
    if around is not None and len(np.unique(owner)) > 1:
        owner = _by_columns(triangles, owner, np.asarray(around), sides)
        used = np.unique(triangles)
        ends = {int(v) for v in used[np.asarray(around)[used] < 0]}
    parts = {int(o): triangles[owner == o] for o in np.unique(owner)}
    if len(parts) == 1:
        return parts
    edge_owner = {}
    for o, tris in parts.items():
        for u, v in _edges(tris):
            edge_owner[(int(u), int(v))] = o
    walls: dict[frozenset, np.ndarray] = {}
    out = {}
    for o, tris in parts.items():
        own = {(int(u), int(v)) for u, v in _edges(tris)}
        by_neighbour: dict[int, list[tuple[int, int]]] = {}
        for u, v in own:
            if (v, u) not in own:
                other = edge_owner.get((v, u), -1)
                by_neighbour.setdefault(other, []).append((u, v))
        closing = [tris]
        for other, edges in sorted(by_neighbour.items()):
            for cycle in _cycles(edges):
                key = frozenset(cycle) | {("with", min(o, other), max(o, other))}
                if key not in walls:
                    walls[key] = _stitch(cycle, points, ends)
                wall = walls[key]
                if len(wall) == 0:
                    continue
                # The wall must run each boundary edge u -> v the other way (v -> u).
                wall_edges = {(int(a), int(b)) for a, b in _edges(wall)}
                if any((u, v) in wall_edges for u, v in edges):
                    wall = wall[:, ::-1]
                closing.append(wall)
        out[o] = np.concatenate(closing)
    return out


# ============================================================================ the scene's meshes
def scene_meshes(scene) -> list[SceneMesh]:
    """The meshes of ``scene`` (a LegScene) as drawn now: every muscle shown (closed, outward,
    coloured as shown) and every bone shown, in the model's frame."""
    from anatomy_viewer.anatomy.catalogue import catalogue

    model = scene.model
    cat = catalogue()
    surface = scene.muscle_layer.surface()
    shown = scene.visible_muscles()
    activations = scene.muscle_layer.activations
    meshes = []
    # Bodies are the connected pieces of the surface: each is closed; sheets are shared out.
    body = _components(surface.triangles, len(surface.points))
    by_line: dict[int, np.ndarray] = {}
    for b in np.unique(body):
        sel = body == b
        by_line.update(
            closed_parts(
                surface.points,
                surface.triangles[sel],
                surface.line[sel],
                surface.around,
                surface.sides,
            )
        )
    for i, name in enumerate(model.muscle_names):
        if not shown[i] or i not in by_line:
            continue
        tris = by_line[i]
        ids, local = np.unique(tris, return_inverse=True)
        m = cat.muscle(name)
        meshes.append(
            SceneMesh(
                name=name,
                kind="muscle",
                positions=surface.points[ids],
                normals=surface.normals[ids],
                triangles=local.reshape(-1, 3),
                colours=surface.colours[ids] / 255.0,
                extras={
                    "label": m.label,
                    "group": cat.group(m.group).name,
                    "activation": round(float(activations[i]), 4),
                },
            )
        )
    matrices = np.asarray(scene.pose.bone_matrices)
    for i, (bone, visible) in enumerate(zip(model.bones, scene.bones.shown(), strict=True)):
        if not visible:
            continue
        v, n, f = scene.bones.drawn_mesh(i)
        rot, move = matrices[i, :3, :3], matrices[i, :3, 3]
        meshes.append(SceneMesh(bone.name, "bone", v @ rot.T + move, n @ rot.T, f))
    return meshes


def _components(triangles: np.ndarray, n_points: int) -> np.ndarray:
    """The connected piece of every triangle (the muscles' bodies share no vertex)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    e = _edges(triangles)
    graph = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n_points, n_points))
    _, label = connected_components(graph, directed=False)
    return label[triangles[:, 0]]


# ============================================================================ writing
class _Builder:
    """A glTF document with one binary buffer, built accessor by accessor."""

    def __init__(self) -> None:
        self.doc = gl.GLTF2()
        self.blob = bytearray()

    def _view(self, data: bytes, target: int) -> int:
        self.blob += b"\0" * (-len(self.blob) % 4)
        self.doc.bufferViews.append(
            gl.BufferView(buffer=0, byteOffset=len(self.blob), byteLength=len(data), target=target)
        )
        self.blob += data
        return len(self.doc.bufferViews) - 1

    def vec3(self, values: np.ndarray, bounds: bool = False) -> int:
        data = np.ascontiguousarray(values, np.float32)
        view = self._view(data.tobytes(), gl.ARRAY_BUFFER)
        acc = gl.Accessor(bufferView=view, componentType=gl.FLOAT, count=len(data), type=gl.VEC3)
        if bounds:
            acc.min = data.min(axis=0).tolist()
            acc.max = data.max(axis=0).tolist()
        self.doc.accessors.append(acc)
        return len(self.doc.accessors) - 1

    def indices(self, triangles: np.ndarray) -> int:
        data = np.ascontiguousarray(triangles, np.uint32).ravel()
        view = self._view(data.tobytes(), gl.ELEMENT_ARRAY_BUFFER)
        self.doc.accessors.append(
            gl.Accessor(
                bufferView=view,
                componentType=gl.UNSIGNED_INT,
                count=len(data),
                type=gl.SCALAR,
                min=[int(data.min())],
                max=[int(data.max())],
            )
        )
        return len(self.doc.accessors) - 1


def build_document(
    meshes: Iterable[SceneMesh], extras: Mapping[str, Any] | None = None
) -> gl.GLTF2:
    """The glTF document of ``meshes`` (y-up; binary data as its blob)."""
    from anatomy_viewer import version

    b = _Builder()
    doc = b.doc
    doc.asset = gl.Asset(
        version="2.0",
        generator=f"Anatomy Viewer {version()}",
        copyright="Bone meshes and muscle paths: MyoLeg (MyoSuite), Apache-2.0",
    )
    bone = gl.Material(
        name="bone",
        doubleSided=True,
        pbrMetallicRoughness=gl.PbrMetallicRoughness(
            baseColorFactor=[*_linear(np.array(BONE_RGB)).tolist(), 1.0],
            metallicFactor=0.0,
            roughnessFactor=0.7,
        ),
    )
    doc.materials = [MUSCLE_MATERIAL, bone]
    groups: dict[str, list[int]] = {"muscle": [], "bone": []}
    for mesh in meshes:
        attrs = gl.Attributes(
            POSITION=b.vec3(mesh.positions @ Y_UP.T, bounds=True),
            NORMAL=b.vec3(_unit(mesh.normals @ Y_UP.T)),
        )
        if mesh.colours is not None:
            attrs.COLOR_0 = b.vec3(_linear(np.clip(mesh.colours, 0.0, 1.0)))
        prim = gl.Primitive(
            attributes=attrs,
            indices=b.indices(mesh.triangles),
            material=0 if mesh.kind == "muscle" else 1,
            mode=gl.TRIANGLES,
        )
        doc.meshes.append(gl.Mesh(name=mesh.name, primitives=[prim]))
        doc.nodes.append(
            gl.Node(name=mesh.name, mesh=len(doc.meshes) - 1, extras=dict(mesh.extras))
        )
        groups[mesh.kind].append(len(doc.nodes) - 1)
    first = len(doc.nodes)
    doc.nodes.append(gl.Node(name="muscles", children=groups["muscle"]))
    doc.nodes.append(gl.Node(name="bones", children=groups["bone"]))
    doc.nodes.append(
        gl.Node(
            name=ROOT,
            children=[first, first + 1],
            extras={
                "units": "metres",
                "up": "+y (the model's +z); the body faces +z (the model's -y)",
                **dict(extras or {}),
            },
        )
    )
    doc.scenes = [gl.Scene(name="leg", nodes=[first + 2])]
    doc.scene = 0
    doc.buffers = [gl.Buffer(byteLength=len(b.blob))]
    doc.set_binary_blob(bytes(b.blob))
    return doc


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=1, keepdims=True)
    return np.where(n > 1e-12, v / np.maximum(n, 1e-12), [0.0, 1.0, 0.0])


def write_gltf(
    meshes: Iterable[SceneMesh],
    path: str | os.PathLike[str],
    extras: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``meshes`` to ``path`` (.glb binary, .gltf text with the data inside) through
    :func:`~anatomy_viewer.safe_output.atomic_output`: the file is read back and checked
    (every node, every mesh's vertex and triangle count) before it replaces anything."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{path.name}: a 3-D scene is written as .glb or .gltf (by its name)")
    meshes = list(meshes)
    doc = build_document(meshes, extras)
    expected = {m.name: (len(m.positions), len(m.triangles)) for m in meshes}

    def verify(tmp: Path) -> None:
        got = read_gltf(tmp)
        counts = {name: (len(m.positions), len(m.triangles)) for name, m in got.items()}
        if counts != expected:
            raise ValueError("the 3-D scene did not read back as written")

    with atomic_output(path, verify) as tmp:
        if suffix == ".glb":
            if not doc.save_binary(str(tmp)):
                raise ValueError("the 3-D scene could not be encoded")
        else:
            blob = doc.binary_blob()
            doc.buffers[0].uri = "data:application/octet-stream;base64," + base64.b64encode(
                blob
            ).decode("ascii")
            doc.destroy_binary_blob()
            doc.save_json(str(tmp))
    return path


def export_scene(
    scene, path: str | os.PathLike[str], extras: Mapping[str, Any] | None = None
) -> Path:
    """Write what ``scene`` (a LegScene) shows now to ``path`` (see the module's doc)."""
    return write_gltf(scene_meshes(scene), path, extras)


# ============================================================================ reading
@dataclass
class ReadMesh:
    """A mesh node read from a glTF file (in the file's y-up frame)."""

    positions: np.ndarray
    triangles: np.ndarray
    normals: np.ndarray | None
    colours: np.ndarray | None
    extras: dict[str, Any]


def read_gltf(path: str | os.PathLike[str]) -> dict[str, ReadMesh]:
    """The mesh nodes of a glTF file written by :func:`write_gltf`, by node name. Raises
    ValueError for a file that is not such a glTF file."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(4)
        doc = gl.GLTF2.load_binary(str(path)) if head == b"glTF" else gl.GLTF2.load_json(str(path))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path.name} is not a glTF file ({exc})") from None
    if doc is None or not doc.buffers:
        raise ValueError(f"{path.name} holds no glTF data")
    uri = doc.buffers[0].uri
    blob = doc.binary_blob() if not uri else doc.get_data_from_buffer_uri(uri)
    if blob is None or len(blob) < doc.buffers[0].byteLength:
        raise ValueError(f"{path.name}: its data is cut short")

    def array(index: int | None) -> np.ndarray | None:
        if index is None:
            return None
        acc = doc.accessors[index]
        view = doc.bufferViews[acc.bufferView]
        dtype = {gl.FLOAT: np.float32, gl.UNSIGNED_INT: np.uint32, gl.UNSIGNED_SHORT: np.uint16}
        width = {gl.VEC3: 3, gl.SCALAR: 1}[acc.type]
        start = (view.byteOffset or 0) + (acc.byteOffset or 0)
        data = np.frombuffer(blob, dtype[acc.componentType], count=acc.count * width, offset=start)
        return data.reshape(acc.count, width) if width > 1 else data

    out = {}
    for node in doc.nodes:
        if node.mesh is None:
            continue
        prim = doc.meshes[node.mesh].primitives[0]
        a = prim.attributes
        out[node.name] = ReadMesh(
            positions=array(a.POSITION).astype(np.float64),
            triangles=array(prim.indices).reshape(-1, 3).astype(np.int64),
            normals=array(a.NORMAL),
            colours=array(a.COLOR_0),
            extras=dict(node.extras or {}),
        )
    return out


def enclosed_volume(positions: np.ndarray, triangles: np.ndarray) -> float:
    """Signed volume enclosed by a closed triangle surface (positive when wound outwards)."""
    v = np.asarray(positions, np.float64)[np.asarray(triangles)]
    return float(np.einsum("ij,ij->i", v[:, 0], np.cross(v[:, 1], v[:, 2])).sum() / 6.0)


def is_closed(triangles: np.ndarray) -> bool:
    """Every directed edge appears once and its reverse once: closed and consistently wound."""
    e = _edges(np.asarray(triangles, np.int64))
    forward = {(int(a), int(b)) for a, b in e}
    return len(forward) == len(e) and all((b, a) in forward for a, b in forward)
