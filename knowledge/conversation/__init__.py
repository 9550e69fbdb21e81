"""Conversations: ``chat`` (the service front ends call), ``state`` (roles, turns, context per
chat and user), ``limits`` (question rate and model tokens, one atomic step), ``updates``
(update-id de-duplication) and ``access`` (who may upload what)."""
