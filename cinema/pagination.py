from __future__ import annotations

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """API.md: 20 per page by default, `?page=N`, `?page_size=N` up to 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
