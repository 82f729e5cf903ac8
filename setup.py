"""Packages: the code under migreg_desktop/ plus the top-level resources/ folder shipped inside
the wheel as ``migreg_desktop.resources`` (see paths.resources_dir)."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["migreg_desktop", "migreg_desktop.*"]), "migreg_desktop.resources"])
