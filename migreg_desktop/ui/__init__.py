"""Qt widgets. Only this package (and app.py) imports PySide6."""
