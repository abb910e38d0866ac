"""The modeller pages: process owners draw, check, deploy and migrate process definitions.

``views`` makes the blueprint and the diagram pages, ``forms`` edits forms, ``migrations`` moves
running cases between versions. Importing the route modules here (not from ``views``) joins
their routes to the blueprint without an import cycle.
"""
from . import forms, migrations
from .views import bp

__all__ = ["bp", "forms", "migrations"]
