"""`python -m protheus.webapp`: la página de soporte y la consola (protheus.webapp.app)."""

from protheus.webapp.app import main

main()
