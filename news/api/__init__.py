"""The newsroom's API: the article representation (`representation`) and API v2 endpoints (`v2`).

Routers and endpoints are registered on Wagtail's API objects in one place, cms/api.py.
"""
