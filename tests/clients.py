"""Logged-in test clients shared by the view and back-office tests."""

from django.test import Client


def back_office_client(user) -> Client:
    """A client logged in as `user`, with the staff flag the back office checks besides the role."""
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client
