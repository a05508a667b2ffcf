"""Oversight's task-queue jobs: thin wrappers around services."""

from celery import shared_task


@shared_task(name="oversight.generate_bulletin")
def oversight_generate_bulletin(bulletin_id: int) -> str:
    """Compute and freeze a bulletin's figures off the request path."""
    from oversight.services import bulletin_generate

    bulletin = bulletin_generate(bulletin_id=bulletin_id)
    return "" if bulletin is None else bulletin.generation
