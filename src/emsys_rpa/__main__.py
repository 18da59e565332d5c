from emsys_rpa.cli import main

main()
