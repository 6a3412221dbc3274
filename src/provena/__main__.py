from provena.cli import main

main()
