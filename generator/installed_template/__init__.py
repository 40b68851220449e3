"""The installed template: setup.py's build hook writes cw-scaffold.bundle and copier.yml here."""
