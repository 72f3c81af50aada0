from pamphlet.cli import main

raise SystemExit(main())
