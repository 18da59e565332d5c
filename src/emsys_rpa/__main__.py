from emsys_rpa.entry import main

main()
