"""Webhook deliveries run by the task worker, never in the request that caused them."""

from django_tasks import task


@task()
def deliver_webhook(delivery_id):
    from .delivery import attempt

    attempt(delivery_id)
