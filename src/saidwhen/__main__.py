from saidwhen.cli import main

main()
