"""`python -m protheus.supervisor`: el supervisor de make run (protheus.supervisor.run)."""

from protheus.supervisor.run import main

main()
