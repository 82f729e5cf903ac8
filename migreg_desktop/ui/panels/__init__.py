"""Case-editor panels and case actions: each module registers itself with ui.registry."""
