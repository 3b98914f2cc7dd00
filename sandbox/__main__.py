from sandbox.server import main

main()
