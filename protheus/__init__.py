"""Asistente de Soporte Protheus: project code shared by the launcher, NLU and actions."""
