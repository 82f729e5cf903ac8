"""Main-window pages: each module registers itself with ui.registry.register_page."""
