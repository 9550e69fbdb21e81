"""The web console and REST API (FastAPI, server-rendered Jinja2 pages): majors, job
matching, gap reports, drift, answers, and an admin area for curators.

Routes are thin: dependencies in ``deps`` hand each one the settings, the knowledge base and
the page language; every call into the skills engine goes through ``skills_adapter``.
``bot.web.app.create_app`` builds the application."""
