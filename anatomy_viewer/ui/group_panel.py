"""The Muscles dock: the muscle groups and their muscles, to show, hide, isolate and highlight.

``GroupPanel`` is a tree of the nine groups (with the colour swatch of the heatmap) and their
muscles by display name. One entry stands for a muscle of both legs; which legs are drawn is a
display option (the "Display" box under the tree, :mod:`anatomy_viewer.ui.view_options`).

- The check boxes show and hide groups and muscles.
- Isolate: the chosen group or muscle keeps its colours, the others fade to ghosts. While it is
  on, choosing another entry in the tree isolates that one instead, so a student can walk
  through the groups one by one. Highlight outlines the chosen entry the same way.
- Show all: every muscle back, no isolation or highlight, no search.
- The search box filters the tree by display name, model name ("vaslat") and group name.
- Choosing a muscle selects it (the model's ``selection``); a muscle selected anywhere else
  (3-D view, heatmap) is shown and scrolled to in the tree.

The panel writes the user's display choices of the application model (hidden, isolated and
highlighted muscles), never the scene: a guided view's overlay stays on top of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from anatomy_viewer.anatomy.catalogue import MuscleGroup, catalogue
from anatomy_viewer.anatomy.search import group_matches, search_muscles, search_needle

if TYPE_CHECKING:
    from anatomy_viewer.anatomy.model import LegModel
    from anatomy_viewer.app.model import AppModel

KIND_ROLE = Qt.ItemDataRole.UserRole
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SIDES = ("r", "l")
DOCK_WIDTH = 290

#: A target of isolation or highlight: ("group", key) or ("muscle", base).
Target = tuple[str, str]


def swatch(colour: str, size: int = 12) -> QIcon:
    """A small rounded square of ``colour`` (a group's colour in the tree)."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QColor(0, 0, 0, 90))
    p.setBrush(QColor(colour))
    p.drawRoundedRect(0.5, 0.5, size - 1.0, size - 1.0, 2.5, 2.5)
    p.end()
    return QIcon(pix)


class GroupPanel(QWidget):
    """Tree of muscle groups and muscles with show/hide, isolate, highlight and search."""

    def __init__(self, app: AppModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupPanel")
        self.setAccessibleName("Muscle groups")
        self._app = app
        model: LegModel = app.leg
        self._names = model.muscle_names
        self._n = model.n_muscles
        self._indices: dict[str, np.ndarray] = {}  # base -> model indices of both legs
        for base in catalogue().bases:
            names = [f"{base}_{s}" for s in SIDES if f"{base}_{s}" in model.muscle_names]
            self._indices[base] = np.array([model.muscle_index(n) for n in names], np.int64)
        self._isolated: Target | None = None
        self._highlighted: Target | None = None
        self._following = False  # True while the tree follows the window's selection

        self.search = QLineEdit()
        self.search.setObjectName("muscleSearch")
        self.search.setAccessibleName("Search muscles")
        self.search.setPlaceholderText("Search muscles\u2026")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Filter by muscle name, model name (e.g. vaslat) or group")
        self.search.textChanged.connect(self.filter)

        self.tree = QTreeWidget()
        self.tree.setObjectName("muscleTree")
        self.tree.setAccessibleName("Muscle groups and muscles")
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAllColumnsShowFocus(True)
        self._group_items: dict[str, QTreeWidgetItem] = {}
        self._muscle_items: dict[str, QTreeWidgetItem] = {}
        for group in catalogue().groups:
            self._add_group(group)
        # Room for every group (collapsed), so the dock next to it cannot squeeze the list.
        rows = self.tree.topLevelItemCount()
        self.tree.setMinimumHeight(rows * self.tree.sizeHintForRow(0) + 6)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.currentItemChanged.connect(self._on_current_changed)

        self.empty = QLabel("No muscle matches.")
        self.empty.setObjectName("noMatch")
        self.empty.setVisible(False)
        self.empty.setContentsMargins(6, 2, 6, 2)

        self.isolate_button = QPushButton("Isolate")
        self.isolate_button.setObjectName("isolateButton")
        self.isolate_button.setCheckable(True)
        self.isolate_button.setToolTip(
            "Keep the chosen group or muscle in colour and fade the others.\n"
            "While on, choosing another entry isolates that one."
        )
        self.isolate_button.clicked.connect(self._on_isolate_clicked)
        self.highlight_button = QPushButton("Highlight")
        self.highlight_button.setObjectName("highlightButton")
        self.highlight_button.setCheckable(True)
        self.highlight_button.setToolTip("Outline the chosen group or muscle in the 3-D view")
        self.highlight_button.clicked.connect(self._on_highlight_clicked)
        self.show_all_button = QPushButton("Show all")
        self.show_all_button.setObjectName("showAllButton")
        self.show_all_button.setToolTip("Show every muscle; end isolation, highlight and search")
        self.show_all_button.clicked.connect(self.show_all)
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        buttons.addWidget(self.isolate_button)
        buttons.addWidget(self.highlight_button)
        buttons.addWidget(self.show_all_button)

        self.status = QLabel()
        self.status.setObjectName("groupPanelStatus")
        self.status.setWordWrap(True)
        self.status.setContentsMargins(2, 0, 2, 0)
        self.status.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

        app.selection.changed.connect(self._follow)
        self._update_buttons()
        self.apply()

    # ------------------------------------------------------------------ building
    def _add_group(self, group: MuscleGroup) -> None:
        names = catalogue().display_names
        item = QTreeWidgetItem(self.tree, [group.name])
        item.setIcon(0, swatch(group.colour))
        item.setToolTip(0, group.summary)
        item.setData(0, KIND_ROLE, "group")
        item.setData(0, KEY_ROLE, group.key)
        item.setFlags(
            item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate
        )
        item.setCheckState(0, Qt.CheckState.Checked)
        self._group_items[group.key] = item
        for base in group.bases:
            child = QTreeWidgetItem(item, [names.get(base, base)])
            child.setToolTip(0, f"{names.get(base, base)} ({base}), {group.name.lower()}")
            child.setData(0, KIND_ROLE, "muscle")
            child.setData(0, KEY_ROLE, base)
            child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            child.setCheckState(0, Qt.CheckState.Checked)
            self._muscle_items[base] = child

    # ------------------------------------------------------------------ queries
    def group_item(self, key: str) -> QTreeWidgetItem:
        return self._group_items[key]

    def muscle_item(self, base: str) -> QTreeWidgetItem:
        return self._muscle_items[base]

    def visible_muscle_items(self) -> list[QTreeWidgetItem]:
        """Muscle entries the search leaves in the tree."""
        return [i for i in self._muscle_items.values() if not i.isHidden()]

    def hidden_bases(self) -> list[str]:
        return [
            b for b, i in self._muscle_items.items() if i.checkState(0) != Qt.CheckState.Checked
        ]

    @property
    def isolated(self) -> Target | None:
        return self._isolated

    @property
    def highlighted(self) -> Target | None:
        return self._highlighted

    def _target_of(self, item: QTreeWidgetItem | None) -> Target | None:
        if item is None:
            return None
        return str(item.data(0, KIND_ROLE)), str(item.data(0, KEY_ROLE))

    def _item_of(self, target: Target | None) -> QTreeWidgetItem | None:
        if target is None:
            return None
        kind, key = target
        return (self._group_items if kind == "group" else self._muscle_items).get(key)

    def mask_of(self, target: Target | None) -> np.ndarray:
        """Model muscles (both legs) of a group or muscle target."""
        mask = np.zeros(self._n, bool)
        if target is None:
            return mask
        kind, key = target
        bases = catalogue().group(key).bases if kind == "group" else (key,)
        for b in bases:
            mask[self._indices[b]] = True
        return mask

    # ------------------------------------------------------------------ commands
    def set_shown(self, target: Target, shown: bool) -> None:
        """Show or hide a group or a muscle (as its check box does)."""
        self._item_of(target).setCheckState(
            0, Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked
        )

    def isolate(self, target: Target | None) -> None:
        """Isolate a group or muscle (the others fade); None ends isolation."""
        self._set_target("isolated", target)

    def highlight(self, target: Target | None) -> None:
        """Outline a group or muscle; None clears."""
        self._set_target("highlighted", target)

    def isolate_group(self, key: str) -> None:
        self.isolate(("group", key))

    def show_all(self) -> None:
        """Every muscle shown, no isolation, no highlight, no search filter."""
        self.search.clear()
        self.tree.blockSignals(True)
        for item in self._group_items.values():
            item.setCheckState(0, Qt.CheckState.Checked)
            for j in range(item.childCount()):
                item.child(j).setCheckState(0, Qt.CheckState.Checked)
        self.tree.blockSignals(False)
        self._isolated = self._highlighted = None
        self._update_fonts()
        self._update_buttons()
        self.apply()

    def filter(self, text: str) -> None:
        """Keep the entries that match ``text``: display, common or Latin name, model name
        (with or without a side suffix), group name, or an everyday word from
        ``resources/muscles/search_synonyms.toml`` (calf, Achilles, IT band, quads, ...);
        the same search as ``anatomy-viewer muscles`` (:mod:`anatomy_viewer.anatomy.search`)."""
        needle = search_needle(text)
        hits = set(search_muscles(text))
        any_shown = False
        for key, gitem in self._group_items.items():
            group_hit = group_matches(text, key)
            shown_children = 0
            for j in range(gitem.childCount()):
                child = gitem.child(j)
                hit = str(child.data(0, KEY_ROLE)) in hits
                child.setHidden(not hit)
                shown_children += hit
            gitem.setHidden(shown_children == 0)
            if needle and shown_children and not group_hit:
                gitem.setExpanded(True)
            any_shown |= shown_children > 0
        self.empty.setVisible(not any_shown)

    # ------------------------------------------------------------------ applying
    def names_of(self, mask: np.ndarray) -> frozenset[str]:
        return frozenset(self._names[i] for i in np.flatnonzero(mask))

    def apply(self, fields: tuple[str, ...] = ("hidden", "isolated", "highlighted")) -> None:
        """Write the hidden, isolated and highlighted muscles (the ``fields`` named) to the
        user's display choices; a guided view's overlay stays on top of them."""
        changes = {}
        if "hidden" in fields:
            hidden = np.zeros(self._n, bool)
            for base in self.hidden_bases():
                hidden[self._indices[base]] = True
            changes["hidden"] = self.names_of(hidden)
        if "isolated" in fields:
            changes["isolated"] = self.names_of(self.mask_of(self._isolated))
        if "highlighted" in fields:
            changes["highlighted"] = self.names_of(self.mask_of(self._highlighted))
        self._app.display.set_user(**changes)

    def _set_target(self, kind: str, target: Target | None) -> None:
        setattr(self, f"_{kind}", target)
        self._update_fonts()
        self._update_buttons()
        self.apply((kind,))

    def _update_fonts(self) -> None:
        marked = {self._item_of(self._isolated), self._item_of(self._highlighted)}
        for item in list(self._group_items.values()) + list(self._muscle_items.values()):
            f = item.font(0)
            if f.bold() != (item in marked):
                f.setBold(item in marked)
                item.setFont(0, f)

    def _update_buttons(self) -> None:
        parts = []
        for verb, target in (("Isolating", self._isolated), ("Highlighting", self._highlighted)):
            item = self._item_of(target)
            if item is not None:
                parts.append(f"{verb} {item.text(0)}")
        self.status.setText("; ".join(parts) + (". Show all ends it." if parts else ""))
        self.status.setVisible(bool(parts))
        has_item = self.tree.currentItem() is not None
        for button, target in (
            (self.isolate_button, self._isolated),
            (self.highlight_button, self._highlighted),
        ):
            button.setChecked(target is not None)
            button.setEnabled(has_item or target is not None)

    # ------------------------------------------------------------------ slots
    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if item.data(0, KIND_ROLE) == "muscle":
            self.apply(("hidden",))

    def _on_isolate_clicked(self, checked: bool) -> None:
        self.isolate(self._target_of(self.tree.currentItem()) if checked else None)

    def _on_highlight_clicked(self, checked: bool) -> None:
        self.highlight(self._target_of(self.tree.currentItem()) if checked else None)

    def _on_current_changed(self, current: QTreeWidgetItem | None, _previous=None) -> None:
        self._update_buttons()
        if self._following or current is None:
            return
        target = self._target_of(current)
        # Isolation and highlight follow what the user chooses in the tree.
        if self._isolated is not None and target != self._isolated:
            self.isolate(target)
        if self._highlighted is not None and target != self._highlighted:
            self.highlight(target)
        if target[0] == "muscle":
            self._app.selection.select(self._muscle_name(target[1]))

    def _muscle_name(self, base: str) -> str:
        """The model muscle for a tree entry: the selected muscle's leg if that leg is drawn,
        else the right leg unless only the left one is drawn."""
        state = self._app.display.effective
        drawn = dict(zip(SIDES, state.sides, strict=True))
        current = self._app.selection.name
        sides = ([current.rpartition("_")[2]] if current else []) + list(SIDES)
        for side in sides:
            name = f"{base}_{side}"
            if name in self._names and drawn.get(side) and name not in state.hidden:
                return name
        return f"{base}_r"

    def _follow(self, name: str | None) -> None:
        """Show the window's selected muscle in the tree (without selecting it again)."""
        self._following = True
        try:
            item = None
            if name is not None:
                base = name.rpartition("_")[0]
                item = self._muscle_items.get(base)
            if item is None or item.isHidden():
                self.tree.setCurrentItem(None)
                self.tree.clearSelection()
            else:
                if item.parent() is not None:
                    item.parent().setExpanded(True)
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item, QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._following = False
        self._update_buttons()


def muscles_dock(panel: GroupPanel, display: QWidget, parent: QWidget) -> QDockWidget:
    """The "Muscles" dock: the group tree above the Display box, scrolling when short."""
    container = QWidget()
    container.setObjectName("musclesDockContents")
    layout = QVBoxLayout(container)
    layout.setContentsMargins(4, 4, 4, 4)
    layout.setSpacing(6)
    layout.addWidget(panel, 1)
    layout.addWidget(display)
    container.setMinimumWidth(220)
    # The tree keeps room for every group and the Display box its rows; in a short window the
    # dock scrolls instead of holding the window taller than a laptop screen.
    scroll = QScrollArea()
    scroll.setObjectName("musclesDockScroll")
    scroll.setWidget(container)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    dock = QDockWidget("Muscles", parent)
    dock.setObjectName("musclesDock")
    dock.setWidget(scroll)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetClosable
        | QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    )
    return dock
