from anatomy_viewer.cli import main

raise SystemExit(main())
