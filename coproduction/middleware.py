"""Middleware that belongs to the whole site."""

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Every page and download the application makes may hold personal data (names, claims,
    receipts, the login and invitation pages' addresses), so no browser, shared computer or proxy
    may keep a copy: `Cache-Control: no-store, private` on each. Static files (CSS, scripts,
    images) are served by WhiteNoise before this runs and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response
