"""`python -m protheus.rasa_server`: el servidor Rasa con nuestros complementos (protheus.rasa_server.launcher)."""

from protheus.rasa_server.launcher import main

main()
