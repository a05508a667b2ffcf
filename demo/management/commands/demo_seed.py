from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from demo.data import load
from demo.seed import seed_demo

LABELS = {
    "regions": "行政区划 / regions",
    "key_assistance_counties": "重点帮扶县 / key-assistance counties",
    "users": "演示账号 / demo logins",
    "producers": "生产主体 / producers",
    "categories": "商品分类 / categories",
    "products": "商品 / products",
    "multi_spec_listings": "多规格商品 / multi-spec listings",
    "certificates": "认定证书 / certificates",
    "benefit_linkages": "联农带农 / benefit linkage",
    "featured_products": "首页推荐 / featured on home page",
    "applications": "入驻申请 / producer applications",
    "listings_in_review": "待审与驳回商品 / listings in review",
    "expiring_certificates": "即将到期证书 / certificates about to lapse",
    "stories": "生产者故事 / producer stories",
    "stories_awaiting_review": "待县级审核的故事 / stories awaiting county review",
    "stories_in_english": "英文版故事 / stories in English",
    "county_pages": "有介绍的县域馆 / county pavilions with editors' text",
    "news": "消费帮扶动态 / news pages",
    "buyer_units": "采购单位 / buyer units",
    "contracts": "采购合同 / contracts",
}


class Command(BaseCommand):
    help = "生成演示数据，可重复运行 / Seed the demo data; safe to run again."

    def handle(self, *args, **options):
        # The demo walks workflows through the real services, which notify
        # people by email; sample addresses must never receive mail.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            counts = seed_demo(stdout=self.stdout)
        for key, tally in counts.items():
            self.stdout.write(f"{LABELS[key]}: {tally.total}（新增 / new: {tally.created}）")
        lines = ["", "演示账号 / demo logins"]
        for entry in load("people")["logins"]:
            username = f"（用户名 / username {entry['username']}）" if "username" in entry else ""
            lines.append(
                f"  {entry['label']}: {entry['email']}{username} / {entry['password']}"
                f" — {entry['pages']}"
            )
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
