"""Overrides of Oscar's review views. Oscar loads them with
``get_class("catalogue.reviews.views", ...)``, which looks in the app labelled
``catalogue`` (ours) first, so the reviews app itself (models, migrations)
stays Oscar's, unforked."""
