from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from marketplace import demo
from producers import demo as producer_demo

LABELS = {
    "regions": "行政区划 / regions",
    "key_assistance_counties": "重点帮扶县 / key-assistance counties",
    "producers": "生产主体 / producers",
    "categories": "商品分类 / categories",
    "products": "商品 / products",
    "stockrecords": "库存记录 / stock records",
    "images": "商品图片 / product images",
    "certificates": "认定证书 / certificates",
    "featured_products": "首页推荐 / featured on home page",
    "users": "演示账号 / demo users",
}


class Command(BaseCommand):
    help = "生成演示数据，可重复运行 / Seed the demo data; safe to run again."

    def handle(self, *args, **options):
        # The demo walks workflows through the real services, which notify
        # people by email; sample addresses must never receive mail.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            counts = demo.seed_demo(stdout=self.stdout)
        for key, tally in counts.items():
            self.stdout.write(f"{LABELS[key]}: {tally['total']}（新增 / new: {tally['created']}）")
        self.stdout.write(
            self.style.SUCCESS(
                "\n演示账号 / demo logins\n"
                f"  管理员 / staff: {demo.STAFF_EMAIL}（用户名 / username {demo.STAFF_USERNAME}）"
                f" / {demo.STAFF_PASSWORD} — /dashboard/ /cms/ /django-admin/\n"
                f"  消费者 / consumer: {demo.BUYER_EMAIL} / {demo.BUYER_PASSWORD}"
                " — /accounts/login/\n"
                f"  生产主体 / producer: {producer_demo.SELLER_EMAIL} / {producer_demo.SELLER_PASSWORD}"
                " — /producers/workspace/\n"
                f"  县级审核 / county reviewer: {producer_demo.COUNTY_REVIEWER_EMAIL}"
                f" / {producer_demo.COUNTY_REVIEWER_PASSWORD} — /producers/review/county/"
            )
        )
