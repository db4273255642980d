"""`python -m protheus.action_server`: el servidor de acciones (protheus.action_server.server)."""

from protheus.action_server.server import main

main()
