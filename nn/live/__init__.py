"""Training you can watch: `LiveTraining`, a notebook widget (anywidget), a still picture elsewhere.

Importing this package imports no widget library: anywidget is imported when a view is first shown
in a kernel.
"""
from .picture import TrainingPicture
from .view import LiveTraining

__all__ = ["LiveTraining", "TrainingPicture"]
