from migreg_desktop.cli import run

run()
