from django.conf import settings


def marketplace(request):
    return {
        "show_sample_data_banner": settings.MARKETPLACE_SHOW_SAMPLE_DATA_BANNER,
    }
