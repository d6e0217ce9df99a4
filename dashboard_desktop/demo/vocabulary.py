"""Words the day simulation builds its items from: a logistics and production site."""

from __future__ import annotations

from typing import Final

TASKS: Final = (
    "Inbound delivery",
    "Outbound shipment",
    "Forklift inspection",
    "Safety walk",
    "Shift handover",
    "Line changeover",
    "Quality audit",
    "Maintenance: conveyor belt",
    "Inventory count",
    "Visitor tour",
    "Training: first aid",
    "Team briefing",
    "Cleaning: paint shop",
    "Calibration: scales",
    "Replace filter <F-7> & check gauges",
)
PARTNERS: Final = (
    "Müller GmbH",
    "Nordic Freight",
    "ACME Parts",
    "Łódź Logistics",
    "Sato & Co",
)
LOCATIONS: Final = (
    "Dock 1",
    "Dock 2",
    "Dock 3",
    "Dock 4",
    "Dock 5",
    "Dock 6",
    "Hall A",
    "Hall B",
    "Hall C",
    "Hall D",
    "Line 1",
    "Line 2",
    "Line 3",
    "Line 4",
    "Yard",
    "Office 2.14",
)
ASSIGNEES: Final = (
    "A. Novak",
    "J. Schmidt",
    "M. Rossi",
    "Li Wei",
    "S. Øberg",
    "F. Dubois",
    "K. Nowak",
    "Team Blue",
    "Team Red",
)
NOTES: Final = (
    "Bring PPE",
    "Call dispatcher on arrival",
    "Check seals before unloading",
    "Customer representative on site",
    "Use the north gate",
    "Second attempt after yesterday's no-show",
)
