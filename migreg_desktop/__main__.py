from migreg_desktop.cli import main

raise SystemExit(main())
