"""Asistente de Soporte Protheus: one package per program (rasa_server, action_server, webapp,
supervisor, trainer), the support line's shared rules (support), the database (db) and what
they all read (common). README «Cómo está organizado» draws the layers."""

from protheus import moved

moved.install()
