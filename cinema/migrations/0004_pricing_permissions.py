"""The "Theater staff" group keeps the price list: ticket types and price cards."""

from django.db import migrations

from cinema.migrations._staff_grants import grant_to_theater_staff


class Migration(migrations.Migration):
    dependencies = [("cinema", "0003_theater_staff_holds"), ("pricing", "0002_standard_price_list")]

    operations = [
        grant_to_theater_staff(
            {
                "pricing": [
                    f"{action}_{model}"
                    for model in ("tickettype", "pricecard", "pricecardprice")
                    for action in ("add", "change", "delete", "view")
                ]
            }
        )
    ]
