"""Demo data: sample producers from real formerly poor counties, 80 products with
generated pictures, the home page's featured products and two demo logins.

Everything is built from the test factories, keyed on natural keys, so
``seed_demo`` can run on every ``make run`` without duplicating anything.
"""

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from oscar.core.loading import get_model
from PIL import Image, ImageChops, ImageDraw

from cms.models import HomePage, HomePageFeaturedProduct
from procurement.demo import procurement_seed_demo
from producers.demo import seed_producer_workflow
from producers.models import BenefitLinkage, Certificate, Producer
from producers.services import benefit_linkage_verify
from regions.models import Region
from regions.services import region_set_key_assistance, regions_load_from_dataset
from tests.factories import (
    USCC_PREFIX,
    CategoryFactory,
    ProducerFactory,
    ProductClassFactory,
    ProductImageFactory,
    StaffUserFactory,
    UserFactory,
    county,
    product_with_stock,
    valid_uscc,
)

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")

STAFF_USERNAME = "admin"
STAFF_EMAIL = "admin@example.com"
STAFF_PASSWORD = "demo-admin-2026"
BUYER_EMAIL = "buyer@example.com"
BUYER_PASSWORD = "demo-buyer-2026"

UPC_PREFIX = "DEMO-"

# Demo USCCs draw their organisation-code part from their own range so that
# factories used in tests on a seeded database never produce the same code.
_USCC_SEQ_BASE = 61_000_000

# Demo counties on the 2021 national list of 160 国家乡村振兴重点帮扶县.
# 柞水县 and 紫阳县 are formerly poor counties but not on that list.
KEY_ASSISTANCE_COUNTY_CODES = ("522632", "522633", "530627", "621126", "622926")

FOOD_CLASS = "农产品"
CRAFT_CLASS = "手工艺品"


@dataclass(frozen=True)
class DemoProducer:
    key: str
    county_code: str
    kind: str
    name: str
    introduction: str


@dataclass(frozen=True)
class DemoProduct:
    producer: str
    title: str
    price: Decimal
    stock: int
    description: str


@dataclass(frozen=True)
class DemoCategory:
    code: str
    name: str
    product_class: str
    colours: tuple[str, str]
    products: tuple[DemoProduct, ...]


PRODUCERS = (
    DemoProducer(
        "zs_coop",
        "611026",
        Producer.Kind.COOPERATIVE,
        "柞水县秦岭木耳种植专业合作社",
        "由柞水县山区村民联合成立的木耳种植合作社，采用“合作社+基地+农户”模式，"
        "统一供应菌包、统一技术指导、统一收购。目前与 236 户农户签订种植和收购协议，"
        "其中脱贫户 98 户。",
    ),
    DemoProducer(
        "zs_ent",
        "611026",
        Producer.Kind.ENTERPRISE,
        "柞水县秦岭山珍农产品有限公司",
        "县内农产品加工企业，收购周边山区农户的香菇、核桃、板栗和土蜂蜜，分拣、烘干、"
        "包装后销售。常年吸纳 45 名当地村民在加工车间务工，并以保护价收购 410 户农户的山货。",
    ),
    DemoProducer(
        "zy_coop",
        "610924",
        Producer.Kind.COOPERATIVE,
        "紫阳县汉江富硒茶叶专业合作社",
        "由紫阳县茶农联合组建，在汉江沿岸山坡管护茶园 1,800 余亩。社员采摘鲜叶交合作社"
        "统一加工，年终按交售量分红，联结茶农 320 户，其中脱贫户 126 户。",
    ),
    DemoProducer(
        "zy_ent",
        "610924",
        Producer.Kind.ENTERPRISE,
        "紫阳县硒源农业发展有限公司",
        "紫阳县本地农业企业，经营茶叶精制和农产品加工。与 15 个村的 530 户农户签订订单"
        "收购协议，另有 60 余名村民在工厂和茶园务工。",
    ),
    DemoProducer(
        "cj_coop",
        "522633",
        Producer.Kind.COOPERATIVE,
        "从江县侗乡生态农业专业合作社",
        "由从江县侗族、苗族村寨的农户组建，在梯田种植香禾糯并发展“稻鱼鸭”共生养殖，"
        "在河谷坡地种植椪柑。合作社统一收购、分级和发货，带动 412 户农户，其中脱贫户 187 户。",
    ),
    DemoProducer(
        "cj_farm",
        "522633",
        Producer.Kind.FAMILY_FARM,
        "从江县月亮山香猪家庭农场",
        "一家三代经营的家庭农场，在山林间放养从江香猪，喂玉米、红薯和野菜，出栏周期约 "
        "10 个月。农场向周边 35 户农户收购仔猪和饲草，并雇用 6 名本村村民。",
    ),
    DemoProducer(
        "rj_coop",
        "522632",
        Producer.Kind.COOPERATIVE,
        "榕江县都柳江百香果种植专业合作社",
        "由榕江县都柳江沿岸村民联合成立，种植百香果、脐橙和西瓜。合作社提供种苗和技术，"
        "按保底价收购，联结农户 265 户，其中脱贫户 104 户。",
    ),
    DemoProducer(
        "rj_factory",
        "522632",
        Producer.Kind.COMMUNITY_FACTORY,
        "榕江县侗绣蜡染社区工厂",
        "设在榕江县易地扶贫搬迁安置社区的手工工厂，请侗族、苗族绣娘带徒传艺，做蜡染和"
        "刺绣制品。搬迁群众可在家门口上班，也可领料回家做计件活，目前有 86 名绣娘，"
        "多数是需要照顾老人和孩子的妇女。",
    ),
    DemoProducer(
        "dx_ent",
        "622926",
        Producer.Kind.ENTERPRISE,
        "东乡族自治县河州清真食品有限公司",
        "东乡族自治县的清真食品加工企业，主营东乡手抓羊肉和洋芋制品。羊源来自县内 300 "
        "余户养殖户，以“企业+合作社+养殖户”方式订单收购，车间吸纳 52 名当地群众就业。",
    ),
    DemoProducer(
        "mx_coop",
        "621126",
        Producer.Kind.COOPERATIVE,
        "岷县当归中药材种植专业合作社",
        "由岷县中药材种植户组建，在高寒阴湿山地种植当归、黄芪、党参，并在药田边养殖"
        "中华蜜蜂。合作社统一采挖、晾晒、切片和检验，带动农户 358 户，其中脱贫户 141 户。",
    ),
    DemoProducer(
        "zx_farm",
        "530627",
        Producer.Kind.FAMILY_FARM,
        "镇雄县乌蒙山天麻家庭农场",
        "在乌蒙山区林地里仿野生种植天麻，兼种高山洋芋、苦荞和苹果，散养土鸡和中蜂。"
        "农场常年雇用 12 名周边村民，并收购 40 余户农户的洋芋和苦荞。",
    ),
    DemoProducer(
        "zx_factory",
        "530627",
        Producer.Kind.COMMUNITY_FACTORY,
        "镇雄县乌蒙竹编社区工厂",
        "设在镇雄县易地扶贫搬迁安置点的竹编工厂，用当地竹材编制果篮、收纳篮和茶席用品。"
        "工厂就近吸纳 64 名搬迁群众，老人和残疾人可领料回家编织，按件计酬。",
    ),
)

CATEGORIES = (
    DemoCategory(
        "FRUIT",
        "水果",
        FOOD_CLASS,
        ("#f8b65c", "#e4572e"),
        (
            DemoProduct(
                "cj_coop",
                "从江椪柑 5kg 家庭装",
                Decimal("49.90"),
                320,
                "产自贵州省从江县的河谷坡地果园，冬季成熟。果农让果子在树上自然转色后再采摘，"
                "人工分拣装箱。常温阴凉处可存放 2–3 周，请远离热源。",
            ),
            DemoProduct(
                "cj_coop",
                "从江椪柑 2.5kg 尝鲜装",
                Decimal("29.90"),
                260,
                "与家庭装同一批果园采摘，单果 60–75mm，适合小家庭尝鲜。果皮松软易剥，汁多化渣。"
                "收到后请开箱透气，放在阴凉通风处。",
            ),
            DemoProduct(
                "cj_coop",
                "从江椪柑 精选大果礼盒 12 个装",
                Decimal("69.90"),
                120,
                "从当季果中挑选单果 75mm 以上、果面完整的椪柑，单个包纸装入礼盒，"
                "适合节日送礼和单位慰问。请在收货后两周内吃完。",
            ),
            DemoProduct(
                "rj_coop",
                "榕江百香果 紫香一号 3 斤装",
                Decimal("29.90"),
                400,
                "产自贵州省榕江县都柳江沿岸的百香果园，果皮紫红、香气浓郁。果实自然熟落后拾果、"
                "分级装箱。表皮起皱是成熟的表现，常温放置 3–5 天风味更好，切开后请冷藏。",
            ),
            DemoProduct(
                "rj_coop",
                "榕江百香果 大果 5 斤装",
                Decimal("45.90"),
                300,
                "单果 60g 以上的大果，适合做果汁、冲水或做甜品。合作社统一采收分级，当天发货。"
                "未切开的果实常温可放一周左右，冷藏可延长到两周。",
            ),
            DemoProduct(
                "rj_coop",
                "榕江脐橙 5kg 整箱",
                Decimal("59.90"),
                180,
                "榕江县丘陵果园种植的脐橙，11 月下旬起采摘。果农不打蜡、不染色，清水洗果后"
                "分级装箱。放在阴凉通风处可保存 20 天左右。",
            ),
            DemoProduct(
                "rj_coop",
                "榕江脐橙 2.5kg 小箱",
                Decimal("32.90"),
                150,
                "与整箱脐橙同园同批，果径 70–80mm，肉质脆嫩、酸甜适口。请存放在阴凉处，避免挤压。",
            ),
            DemoProduct(
                "rj_coop",
                "榕江小西瓜 2 个装 约 8 斤",
                Decimal("39.90"),
                0,
                "榕江县河谷坝区种植的小型西瓜，皮薄瓤红，夏季上市。瓜农按成熟度分批采摘，"
                "泡沫箱包装发货。本季已售罄，下一批预计来年 6 月上市。",
            ),
            DemoProduct(
                "zs_ent",
                "柞水鲜板栗 2.5kg",
                Decimal("45.00"),
                140,
                "产自陕西省柞水县秦岭南麓的山地栗园，秋季自然成熟落地后拣收。收购后去除虫果、"
                "坏果，按大小分级。鲜栗请冷藏保存，两周内吃完口感最好。",
            ),
            DemoProduct(
                "zx_farm",
                "镇雄高山红富士苹果 5kg",
                Decimal("55.00"),
                90,
                "产自云南省镇雄县的高山果园，昼夜温差大，果肉脆甜。家庭农场套袋栽培、"
                "人工采摘分级。冷藏可保存一个月以上。",
            ),
        ),
    ),
    DemoCategory(
        "TEA",
        "茶叶",
        FOOD_CLASS,
        ("#b5e08a", "#2e8b57"),
        (
            DemoProduct(
                "zy_coop",
                "紫阳富硒绿茶 明前特级 100g",
                Decimal("128.00"),
                80,
                "产自陕西省紫阳县汉江两岸的高山茶园，清明前采摘一芽一叶初展的嫩芽。经摊放、"
                "杀青、揉捻、烘干等工序制成，条索紧细、汤色嫩绿。请密封避光，冷藏保存。",
            ),
            DemoProduct(
                "zy_coop",
                "紫阳毛尖 一级 250g",
                Decimal("98.00"),
                150,
                "紫阳毛尖是紫阳县的传统名茶，选用谷雨前后的一芽一叶至一芽二叶，由合作社统一"
                "加工，茶汤清亮、栗香明显。开封后请密封防潮，建议半年内喝完。",
            ),
            DemoProduct(
                "zy_coop",
                "紫阳翠峰 雨前 250g",
                Decimal("76.00"),
                200,
                "紫阳翠峰外形扁平挺直、色泽翠绿，谷雨前采摘制作。茶农将鲜叶交合作社统一杀青"
                "理条，当季装罐。请存放于阴凉干燥处，远离异味。",
            ),
            DemoProduct(
                "zy_coop",
                "紫阳富硒绿茶 高山云雾 250g",
                Decimal("118.00"),
                110,
                "来自海拔 800 米以上的山坡茶园，云雾多、日照短，茶叶生长慢。春季手工采摘，"
                "机械与手工结合炒制。密封冷藏可保持香气一年。",
            ),
            DemoProduct(
                "zy_coop",
                "紫阳炒青绿茶 口粮茶 500g",
                Decimal("68.00"),
                260,
                "用夏秋季鲜叶制作的炒青绿茶，滋味浓厚、耐冲泡，适合日常饮用和单位茶水间。"
                "开袋后请夹紧封口，放在干燥处。",
            ),
            DemoProduct(
                "zy_coop",
                "紫阳富硒绿茶 尝鲜罐 50g",
                Decimal("38.00"),
                300,
                "小罐装明后绿茶，方便第一次品尝紫阳茶。茶叶来自合作社社员茶园，统一加工、"
                "统一检测。开罐后一个月内喝完为佳。",
            ),
            DemoProduct(
                "zy_ent",
                "紫阳工夫红茶 200g",
                Decimal("88.00"),
                140,
                "选用紫阳县夏季鲜叶，经萎凋、揉捻、发酵、干燥制成工夫红茶，汤色红亮、带蜜香。"
                "鲜叶按订单向周边茶农收购。请密封常温保存，避免受潮。",
            ),
            DemoProduct(
                "zy_ent",
                "紫阳富硒红茶 礼盒 2×125g",
                Decimal("198.00"),
                60,
                "两罐工夫红茶配手提礼盒，适合节日慰问和工会采购。茶叶产自紫阳县汉江沿岸茶园，"
                "由企业精制车间拼配、包装。常温避光保存，保质期 24 个月。",
            ),
            DemoProduct(
                "zy_ent",
                "紫阳富硒茶 明前礼盒 2×100g",
                Decimal("398.00"),
                0,
                "明前特级绿茶两罐装，每年产量有限，由企业从合作社精选收购，充氮小罐包装。"
                "今年的明前茶已售完，新茶上市后补货。",
            ),
            DemoProduct(
                "zy_ent",
                "紫阳绿茶 袋泡茶 2g×30 袋",
                Decimal("39.90"),
                360,
                "将紫阳炒青绿茶精制成独立袋泡茶，适合办公室和出差携带。用 85℃ 左右的热水"
                "冲泡 2–3 分钟即可。请存放于干燥处。",
            ),
        ),
    ),
    DemoCategory(
        "GRAIN",
        "粮油",
        FOOD_CLASS,
        ("#f6dc8c", "#c98b2b"),
        (
            DemoProduct(
                "cj_coop",
                "从江香禾糯 2.5kg",
                Decimal("59.90"),
                220,
                "香禾糯是从江县侗族村寨世代种植的糯稻品种，长在山间梯田里，一年一季。合作社"
                "收购社员的稻谷后低温碾米、真空包装。开袋后请密封，置于阴凉干燥处。",
            ),
            DemoProduct(
                "cj_coop",
                "从江梯田红米 2.5kg",
                Decimal("49.90"),
                180,
                "梯田里种植的老品种红米，保留部分米糠层，口感偏糙、米香浓。适合与大米按比例"
                "混合煮饭或熬粥。请密封防潮，夏季建议冷藏。",
            ),
            DemoProduct(
                "cj_coop",
                "从江稻鱼鸭生态大米 5kg",
                Decimal("69.90"),
                240,
                "产自从江县“稻鱼鸭”共生的梯田：稻田里放鱼养鸭，鱼鸭吃虫除草。稻谷收割后自然"
                "晾晒，当月碾米发货。开袋后请尽快食用，或分装密封保存。",
            ),
            DemoProduct(
                "dx_ent",
                "东乡洋芋 黄心土豆 5kg",
                Decimal("19.90"),
                400,
                "产自甘肃省东乡族自治县的山旱地，昼夜温差大，洋芋口感沙面。企业向种植户订单"
                "收购，人工挑拣后装箱。请存放在阴凉避光处，发芽部分不可食用。",
            ),
            DemoProduct(
                "dx_ent",
                "东乡冷榨胡麻油 2.5L",
                Decimal("89.00"),
                130,
                "用临夏本地种植的胡麻籽，经清选、低温压榨、过滤制成，带有胡麻特有的香气，"
                "适合凉拌和炒菜。开封后请拧紧瓶盖，避光存放。",
            ),
            DemoProduct(
                "zx_farm",
                "镇雄高山马铃薯 5kg",
                Decimal("18.80"),
                350,
                "种植在镇雄县乌蒙山区的高山坡地，冷凉气候下长成的马铃薯表皮光滑、口感细腻。"
                "农场采挖后晾干表面泥土装箱。请避光保存，防止发芽变绿。",
            ),
            DemoProduct(
                "zx_farm",
                "镇雄苦荞米 1kg",
                Decimal("25.80"),
                210,
                "镇雄县高寒山区种植的苦荞，经脱壳、蒸煮、烘干制成苦荞米，可单独煮粥或与大米"
                "同煮。农场自种自加工。开袋后请密封防潮。",
            ),
            DemoProduct(
                "zy_ent",
                "紫阳手工挂面 1kg",
                Decimal("16.80"),
                300,
                "按陕南传统做法，经和面、醒面、拉伸后自然晾干，煮后筋道不浑汤。由紫阳县加工"
                "车间生产。请存放在干燥处，避免压碎。",
            ),
            DemoProduct(
                "zy_ent",
                "紫阳菜籽油 物理压榨 5L",
                Decimal("118.00"),
                100,
                "用紫阳县农户种植的油菜籽，经物理压榨、自然沉淀、过滤制成，菜籽香味浓郁。"
                "企业按保护价收购农户菜籽。开封后请避光密封，尽快食用。",
            ),
            DemoProduct(
                "zs_ent",
                "柞水核桃油 500ml",
                Decimal("68.00"),
                90,
                "选用柞水县山区的核桃仁低温压榨，不经化学浸出。适合凉拌和调味，不宜高温久炒。"
                "开封后请冷藏，三个月内用完。",
            ),
        ),
    ),
    DemoCategory(
        "FUNGI",
        "菌菇干货",
        FOOD_CLASS,
        ("#d9b48f", "#7b4f2c"),
        (
            DemoProduct(
                "zs_coop",
                "柞水黑木耳 250g 礼盒装",
                Decimal("49.90"),
                260,
                "产自陕西省柞水县秦岭南麓，合作社农户用代料菌袋在大棚里栽培。木耳采摘后在"
                "晾晒架上自然晒干，朵小肉厚。请密封置于阴凉干燥处，泡发后当天食用。",
            ),
            DemoProduct(
                "zs_coop",
                "柞水黑木耳 500g 家庭装",
                Decimal("79.90"),
                220,
                "与礼盒装同一批秋耳，简易袋装，适合家庭日常食用。凉拌、炒菜、炖汤均可。"
                "请防潮保存，泡发时间不宜超过 4 小时。",
            ),
            DemoProduct(
                "zs_coop",
                "柞水小碗耳 精选 150g",
                Decimal("39.90"),
                180,
                "挑选单片小、形似小碗的木耳，口感更脆。手工分拣去除杂质和碎片后包装。"
                "开袋后请夹紧封口，放在干燥处。",
            ),
            DemoProduct(
                "zs_ent",
                "柞水香菇干 250g",
                Decimal("45.00"),
                160,
                "柞水县山区农户种植的香菇，采收后在企业烘干房低温烘干，按菌盖大小分级包装。"
                "请密封防潮，泡发后可炖汤或红烧。",
            ),
            DemoProduct(
                "zs_ent",
                "柞水花菇 200g",
                Decimal("68.00"),
                100,
                "花菇是香菇在低温干燥天气里菌盖表面开裂形成的，肉厚而紧实。企业向山区农户"
                "收购后分级烘干。请放在阴凉干燥处，避免受潮发霉。",
            ),
            DemoProduct(
                "zs_ent",
                "柞水薄皮核桃 1kg",
                Decimal("39.90"),
                240,
                "柞水县山区种植的核桃，壳薄易剥。秋季采收后去青皮、清洗、自然晾晒。"
                "请存放在阴凉干燥处，开袋后尽快吃完，防止果仁氧化。",
            ),
            DemoProduct(
                "mx_coop",
                "岷县当归片 250g",
                Decimal("68.00"),
                150,
                "甘肃省岷县是当归的传统产区，当地所产当归习称“岷归”。合作社在秋末采挖，"
                "经晾晒、切片后包装，常用于炖汤。请密封存放于阴凉干燥处。",
            ),
            DemoProduct(
                "mx_coop",
                "岷县黄芪片 250g",
                Decimal("45.00"),
                170,
                "产自岷县高寒山地，黄芪生长两到三年后秋季采挖，经晾晒、切片、挑选后包装，"
                "常用于煲汤。请密封防潮保存。",
            ),
            DemoProduct(
                "zx_farm",
                "镇雄天麻干片 250g",
                Decimal("128.00"),
                70,
                "产自云南省镇雄县乌蒙山区的林下天麻，仿野生种植，生长周期约 18 个月。"
                "农场采收后蒸制、烘干、切片。请密封存放于阴凉干燥处。",
            ),
            DemoProduct(
                "zx_farm",
                "镇雄竹笋干 250g",
                Decimal("58.00"),
                130,
                "春季采集镇雄县山区竹林的鲜笋，经煮制、晒干制成。食用前用清水浸泡一夜，"
                "可炒肉或炖汤。请存放于干燥通风处。",
            ),
        ),
    ),
    DemoCategory(
        "MEAT",
        "肉禽蛋",
        FOOD_CLASS,
        ("#f5b5a8", "#c0392b"),
        (
            DemoProduct(
                "cj_farm",
                "从江香猪腊肉 500g",
                Decimal("88.00"),
                120,
                "用贵州省从江县山林放养的从江香猪五花肉，按侗家传统方法腌制后挂在火塘上烟熏"
                "一个月。切片蒸熟或炒蒜苗都好吃。请冷藏保存，开袋后尽快食用。",
            ),
            DemoProduct(
                "cj_farm",
                "从江香猪五花肉 冷冻 1kg",
                Decimal("98.00"),
                60,
                "从江香猪体型小、肉质细嫩。农场放养约 10 个月出栏，经定点屠宰、分割后急冻，"
                "全程冷链发货。收到后请放入冷冻室保存。",
            ),
            DemoProduct(
                "cj_farm",
                "从江香猪侗家香肠 500g",
                Decimal("78.00"),
                90,
                "用香猪前腿肉加本地辣椒、花椒灌制，再用柴火熏干。蒸熟切片即可食用。"
                "请冷藏保存，保质期 90 天。",
            ),
            DemoProduct(
                "cj_farm",
                "从江稻田鸭蛋 20 枚",
                Decimal("39.90"),
                150,
                "农场的麻鸭在稻田里吃虫、吃杂草长大。每天拣蛋、清洁后装入防震蛋托发货。"
                "收到后请冷藏，15 天内食用。",
            ),
            DemoProduct(
                "dx_ent",
                "东乡手抓羊肉 真空装 500g",
                Decimal("89.00"),
                200,
                "东乡手抓羊肉是甘肃省东乡族自治县的传统清真美食，选用本地羔羊肉清水煮制，"
                "只加盐和少量香料。真空包装冷链发货，加热后蘸椒盐食用。请冷藏保存。",
            ),
            DemoProduct(
                "dx_ent",
                "东乡羔羊排 1kg",
                Decimal("168.00"),
                80,
                "选用东乡县养殖户饲养的羔羊，企业清真屠宰、分割后急冻。羊排肥瘦相间，适合"
                "手抓、烧烤或炖煮。请冷冻保存，解冻后不要反复冷冻。",
            ),
            DemoProduct(
                "dx_ent",
                "东乡羊肉年货礼盒 2.5kg",
                Decimal("368.00"),
                1,
                "礼盒内含手抓羊肉、羊排和羊腿肉，适合春节和开斋节团圆。企业向合作养殖户收购"
                "羔羊，清真屠宰加工，冷链发货。收到后请立即冷冻。",
            ),
            DemoProduct(
                "zy_ent",
                "紫阳土鸡蛋 30 枚",
                Decimal("49.90"),
                180,
                "紫阳县山区农户散养土鸡所产的鸡蛋，由企业统一收购、清洁、检测后装箱。蛋壳"
                "颜色深浅不一属正常现象。收到后请冷藏，20 天内食用。",
            ),
            DemoProduct(
                "zy_ent",
                "紫阳腊肉 500g",
                Decimal("75.00"),
                110,
                "陕南人家冬天都有熏腊肉的习惯。企业收购农户自养的生猪，用盐和花椒腌制后以"
                "柏枝烟熏，蒸透后切片炒蒜苗、炒竹笋都合适。请冷藏保存。",
            ),
            DemoProduct(
                "zx_farm",
                "镇雄土鸡 整只冷冻 约 1.2kg",
                Decimal("88.00"),
                70,
                "农场在林地里散养的本地土鸡，饲养期 8 个月以上。定点屠宰后整只急冻，冷链发货，"
                "适合炖汤。请冷冻保存。",
            ),
        ),
    ),
    DemoCategory(
        "HONEY",
        "蜂蜜",
        FOOD_CLASS,
        ("#ffdc80", "#e08e0b"),
        (
            DemoProduct(
                "zs_ent",
                "柞水秦岭土蜂蜜 百花蜜 500g",
                Decimal("68.00"),
                200,
                "产自陕西省柞水县秦岭南麓，山区农户用传统木桶饲养中华蜜蜂，一年只取一到两次"
                "蜜。企业收购后过滤、检测、灌装。低温下结晶属正常现象，请常温密封保存。",
            ),
            DemoProduct(
                "zs_ent",
                "柞水洋槐蜜 500g",
                Decimal("58.00"),
                180,
                "每年五月洋槐花开时采收的单花蜜，色浅味清香、不易结晶。由柞水县养蜂户交售，"
                "企业统一检测灌装。请常温避光存放，勿用金属容器盛装。",
            ),
            DemoProduct(
                "zs_ent",
                "柞水土蜂蜜 便携条装 10g×20",
                Decimal("39.90"),
                250,
                "把百花蜜分装成 10 克小条，方便冲水或出差携带。原料来自柞水县养蜂户。"
                "请常温保存，撕开后一次用完。",
            ),
            DemoProduct(
                "zy_ent",
                "紫阳土蜂蜜 500g",
                Decimal("75.00"),
                160,
                "紫阳县汉江两岸山区农户饲养的中华蜜蜂，采集山花和茶花。企业统一收购、过滤、"
                "检测后灌装。冬季结晶属正常现象，请常温密封保存。",
            ),
            DemoProduct(
                "zy_ent",
                "紫阳土蜂蜜 礼盒 2×500g",
                Decimal("158.00"),
                70,
                "两瓶土蜂蜜配礼盒和手提袋，适合节日慰问。蜂蜜由紫阳县签约养蜂户提供，"
                "批批检测。请常温避光保存，保质期 24 个月。",
            ),
            DemoProduct(
                "mx_coop",
                "岷县高原中蜂百花蜜 500g",
                Decimal("78.00"),
                140,
                "岷县高寒山区花期短，合作社社员在药田边放置蜂箱，一年取一次成熟蜜。"
                "过滤后直接灌装。请常温密封保存。",
            ),
            DemoProduct(
                "mx_coop",
                "岷县黄芪花蜜 500g",
                Decimal("88.00"),
                90,
                "七八月黄芪开花时采收的单花蜜，色泽浅黄、口感清爽，由合作社养蜂户在黄芪种植"
                "基地放蜂采集。结晶后可隔温水化开，水温不要超过 40℃。",
            ),
            DemoProduct(
                "cj_coop",
                "从江侗乡中蜂蜜 500g",
                Decimal("68.00"),
                120,
                "从江县侗族村寨的农户在房前屋后和山林里养殖中华蜜蜂，合作社统一收购成熟蜜"
                "并过滤灌装，带山花香气。请常温密封保存。",
            ),
            DemoProduct(
                "rj_coop",
                "榕江土蜂蜜 250g 小瓶",
                Decimal("36.00"),
                150,
                "榕江县山区农户饲养的中蜂所产，由合作社代收代销。小瓶装适合第一次尝试。"
                "请常温保存，避免阳光直射。",
            ),
            DemoProduct(
                "zx_farm",
                "镇雄荞麦蜜 500g",
                Decimal("59.90"),
                100,
                "镇雄县高山荞麦开花时采收的单花蜜，颜色深褐、味道浓郁，是少见的深色蜂蜜。"
                "农场自养蜜蜂自取蜜。请常温密封保存。",
            ),
        ),
    ),
    DemoCategory(
        "CRAFT",
        "手工艺品",
        CRAFT_CLASS,
        ("#7d9dd0", "#1f3a68"),
        (
            DemoProduct(
                "rj_factory",
                "榕江蜡染方巾 50×50cm",
                Decimal("68.00"),
                90,
                "贵州省榕江县搬迁社区的绣娘用蜡刀蘸蜂蜡在白布上绘出纹样，再用蓝靛多次浸染、"
                "脱蜡而成，每块花纹略有不同。请冷水手洗，不可漂白，避免暴晒。",
            ),
            DemoProduct(
                "rj_factory",
                "榕江蜡染桌旗 30×180cm",
                Decimal("128.00"),
                40,
                "传统鸟纹、鱼纹蜡染桌旗，适合茶桌、餐桌装饰。纯棉土布手工点蜡、蓝靛染色，"
                "首次洗涤会有轻微浮色。请冷水轻柔手洗，阴干。",
            ),
            DemoProduct(
                "rj_factory",
                "榕江侗绣零钱包",
                Decimal("39.90"),
                150,
                "榕江侗族绣娘手工刺绣的零钱包，拉链开口，可放硬币、钥匙和耳机，一件要绣大约"
                "一天。请避免水洗，脏污可用湿布轻擦。",
            ),
            DemoProduct(
                "rj_factory",
                "榕江侗绣帆布托特包",
                Decimal("89.00"),
                80,
                "在帆布包上缝制侗族传统太阳纹刺绣片，能装下 A4 文件和笔记本电脑。社区工厂"
                "统一裁剪，绣娘在家刺绣，再回厂缝合。绣片部分请勿机洗。",
            ),
            DemoProduct(
                "rj_factory",
                "榕江蜡染靠枕套 45×45cm",
                Decimal("79.00"),
                60,
                "蓝白蜡染靠枕套，隐形拉链，不含枕芯。手工制作，纹样位置每件略有差异。"
                "请冷水手洗，与深色衣物分开洗涤。",
            ),
            DemoProduct(
                "rj_factory",
                "榕江苗绣书签 3 枚装",
                Decimal("29.90"),
                200,
                "用苗族刺绣边角料制作的书签，配流苏，适合作伴手礼和会议纪念品，每枚绣样不同。"
                "请避免折叠和水洗。",
            ),
            DemoProduct(
                "zx_factory",
                "镇雄竹编果篮",
                Decimal("49.90"),
                120,
                "云南省镇雄县安置点竹编工厂的手工制品，选用当地竹材剖篾、蒸煮防蛀后编织，"
                "可盛放水果、面包和干货。请放在通风处，避免长时间泡水。",
            ),
            DemoProduct(
                "zx_factory",
                "镇雄竹编收纳篮 大号",
                Decimal("59.90"),
                90,
                "带提手的大号收纳篮，可放杂物、玩具和毛巾。竹篾经过蒸煮和烘干，不易变形。"
                "请保持干燥，发霉可用淡盐水擦拭后晒干。",
            ),
            DemoProduct(
                "zx_factory",
                "镇雄竹编杯垫 6 片装",
                Decimal("35.00"),
                180,
                "手工编织的圆形竹杯垫，隔热防滑，适合茶席和餐桌。老人在家领料编织，工厂统一"
                "收货检验。用后擦干，放在通风处。",
            ),
            DemoProduct(
                "zx_factory",
                "镇雄竹编灯罩",
                Decimal("158.00"),
                0,
                "按订单手工编织的竹编吊灯灯罩，直径约 40 厘米，透光柔和，每件需要一位师傅"
                "编三天左右。目前已售完，编好后补货。",
            ),
        ),
    ),
    DemoCategory(
        "FOOD",
        "加工食品",
        FOOD_CLASS,
        ("#94d3c9", "#2a7f76"),
        (
            DemoProduct(
                "zs_coop",
                "柞水即食凉拌木耳 160g×6 袋",
                Decimal("39.90"),
                300,
                "用柞水黑木耳泡发、焯水后调味装袋，开袋即食，由合作社加工车间生产。"
                "未开封常温保存，开袋后请当天吃完。",
            ),
            DemoProduct(
                "zs_coop",
                "柞水木耳酱 200g×2 瓶",
                Decimal("32.00"),
                200,
                "把黑木耳切碎，与香菇、辣椒、菜籽油一起熬成拌饭酱，微辣，适合拌面、夹馍。"
                "开盖后请冷藏，并用干净的勺子取用。",
            ),
            DemoProduct(
                "zy_ent",
                "紫阳魔芋粉丝 200g×5 袋",
                Decimal("25.80"),
                260,
                "紫阳县山区种植的魔芋经研磨、成型制成粉丝，口感爽滑，适合凉拌、涮火锅和做"
                "酸辣粉。请常温避光保存，开袋后冷藏。",
            ),
            DemoProduct(
                "dx_ent",
                "东乡洋芋粉条 1kg",
                Decimal("29.90"),
                220,
                "用东乡洋芋的淀粉按传统工艺漏粉、冷冻、晾晒制成，炖菜、凉拌都可以，"
                "煮后不易断。请存放于干燥处，防潮防虫。",
            ),
            DemoProduct(
                "dx_ent",
                "东乡羊肉臊子 400g",
                Decimal("58.00"),
                110,
                "将羔羊肉切丁，加洋葱、辣椒炒制成臊子，可直接拌面或炒菜。清真生产，"
                "真空包装。请冷藏保存，开封后三天内吃完。",
            ),
            DemoProduct(
                "cj_coop",
                "从江香禾糯糍粑 1kg",
                Decimal("35.00"),
                160,
                "用从江香禾糯蒸熟后人工舂打成糍粑，切块真空包装，可煎、烤或煮甜酒。"
                "请冷藏保存，长期存放请冷冻。",
            ),
            DemoProduct(
                "rj_coop",
                "榕江百香果原浆 500g",
                Decimal("39.90"),
                140,
                "用当季百香果挖取果肉，不加水、不加糖，冷冻锁鲜，加蜂蜜冲水或做甜品都很方便。"
                "请冷冻保存，解冻后 3 天内食用。",
            ),
            DemoProduct(
                "mx_coop",
                "岷县当归黄芪炖汤料 5 袋",
                Decimal("59.00"),
                120,
                "每袋含当归片、黄芪片和党参段，按一次煲汤的量配好，原料来自合作社社员"
                "自种的药材。请密封存放于干燥处。",
            ),
            DemoProduct(
                "zx_farm",
                "镇雄天麻粉 100g",
                Decimal("88.00"),
                80,
                "用农场自种的天麻干片研磨成细粉，罐装方便取用，可加入粥、汤或蒸蛋。"
                "请密封冷藏，开罐后三个月内用完。",
            ),
            DemoProduct(
                "zx_farm",
                "镇雄手工洋芋片 麻辣味 6 袋",
                Decimal("25.80"),
                230,
                "选用农场自种的高山洋芋，手工切片、油炸后拌上本地辣椒面和花椒面，每袋 70 克。"
                "请存放于阴凉干燥处，开袋后尽快吃完。",
            ),
        ),
    ),
)


def demo_upc(category: DemoCategory, index: int) -> str:
    return f"{UPC_PREFIX}{category.code}-{index:02d}"


# --- pictures -------------------------------------------------------------

_SIZE = 600
# Shapes are drawn at twice the size and scaled down: ImageDraw does not antialias.
_CANVAS = _SIZE * 2
_INK = (255, 255, 255, 235)
_SOFT = (255, 255, 255, 70)


def _ellipse_points(cx, cy, rx, ry, angle_deg, steps=72):
    a = math.radians(angle_deg)
    points = []
    for i in range(steps):
        t = 2 * math.pi * i / steps
        x, y = rx * math.cos(t), ry * math.sin(t)
        points.append(
            (cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a))
        )
    return points


def _leaf_points(base, tip, width, steps=40):
    """A pointed leaf from ``base`` to ``tip`` (sin-shaped half widths)."""
    (bx, by), (tx, ty) = base, tip
    length = math.hypot(tx - bx, ty - by)
    nx, ny = -(ty - by) / length, (tx - bx) / length
    side = []
    for i in range(steps + 1):
        u = i / steps
        w = width / 2 * math.sin(math.pi * u) ** 0.8
        side.append((bx + (tx - bx) * u, by + (ty - by) * u, w))
    return [(x + nx * w, y + ny * w) for x, y, w in side] + [
        (x - nx * w, y - ny * w) for x, y, w in reversed(side)
    ]


def _draw_fruit(d: ImageDraw.ImageDraw, bg):
    for cx, cy in ((470, 700), (730, 700), (600, 500)):
        d.ellipse((cx - 170, cy - 170, cx + 170, cy + 170), fill=_INK, outline=bg, width=14)
    d.line((600, 330, 640, 250), fill=_INK, width=22)
    d.polygon(_leaf_points((640, 270), (800, 220), 90), fill=_INK)


def _draw_tea(d: ImageDraw.ImageDraw, bg):
    d.line((600, 930, 600, 400), fill=_INK, width=24)
    for base, tip in (((600, 760), (330, 520)), ((600, 640), (870, 420))):
        d.polygon(_leaf_points(base, tip, 200), fill=_INK)
        d.line((*base, *tip), fill=bg, width=10)
    d.polygon(_leaf_points((600, 470), (600, 250), 90), fill=_INK)


def _draw_grain(d: ImageDraw.ImageDraw, bg):
    d.line((600, 980, 600, 300), fill=_INK, width=20)
    for i in range(6):
        y = 820 - i * 95
        for side in (-1, 1):
            d.polygon(_ellipse_points(600 + side * 70, y, 85, 40, -side * 35), fill=_INK)
    d.polygon(_ellipse_points(600, 250, 40, 80, 0), fill=_INK)


def _draw_fungi(d: ImageDraw.ImageDraw, bg):
    for cx, base, r in ((520, 900, 260), (830, 900, 150)):
        stem_w, cap_y = r * 0.45, base - r * 1.5
        d.rounded_rectangle(
            (cx - stem_w / 2, cap_y, cx + stem_w / 2, base), radius=stem_w / 3, fill=_INK
        )
        d.pieslice((cx - r, cap_y - r, cx + r, cap_y + r), 180, 360, fill=_INK)
        d.line((cx - r, cap_y, cx + r, cap_y), fill=bg, width=12)


def _draw_meat(d: ImageDraw.ImageDraw, bg):
    for cx, cy, r in ((500, 640, 230), (760, 720, 170)):
        points = []
        for i in range(90):
            t = 2 * math.pi * i / 90
            # Narrower towards the top, as an egg is.
            points.append(
                (cx + r * 0.78 * math.cos(t) * (1 + 0.16 * math.sin(t)), cy + r * math.sin(t))
            )
        d.polygon(points, fill=_INK, outline=bg, width=14)


def _draw_honey(d: ImageDraw.ImageDraw, bg):
    r = 120
    step_x, step_y = r * math.sqrt(3), r * 1.5
    cells = [(0, 0), (-1, 0), (1, 0), (-0.5, -1), (0.5, -1), (-0.5, 1), (0.5, 1)]
    for col, row in cells:
        centre = (600 + col * step_x, 600 + row * step_y)
        d.regular_polygon((centre, r - 12), 6, rotation=30, fill=_INK)


def _draw_craft(d: ImageDraw.ImageDraw, bg):
    def diamond(cx, cy, r, **kw):
        d.polygon(((cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)), **kw)

    diamond(600, 600, 330, fill=_INK)
    diamond(600, 600, 230, fill=bg)
    diamond(600, 600, 130, fill=_INK)
    for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        diamond(600 + dx * 430, 600 + dy * 430, 60, fill=_INK)


def _draw_food(d: ImageDraw.ImageDraw, bg):
    d.rounded_rectangle((390, 400, 810, 940), radius=90, fill=_INK)
    d.rounded_rectangle((420, 290, 780, 390), radius=24, fill=_INK)
    d.rounded_rectangle((450, 560, 750, 760), radius=20, fill=bg)


_EMBLEMS: dict[str, Callable[[ImageDraw.ImageDraw, tuple], None]] = {
    "FRUIT": _draw_fruit,
    "TEA": _draw_tea,
    "GRAIN": _draw_grain,
    "FUNGI": _draw_fungi,
    "MEAT": _draw_meat,
    "HONEY": _draw_honey,
    "CRAFT": _draw_craft,
    "FOOD": _draw_food,
}


def _hex_rgb(value: str) -> tuple[int, int, int]:
    return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))


@cache
def category_picture(code: str, top: str, bottom: str) -> bytes:
    """A 600×600 PNG: diagonal gradient with the category's emblem."""
    vertical = Image.linear_gradient("L").resize((_CANVAS, _CANVAS))
    mask = ImageChops.add(vertical, vertical.transpose(Image.Transpose.ROTATE_90), scale=2)
    image = Image.composite(
        Image.new("RGBA", (_CANVAS, _CANVAS), _hex_rgb(bottom)),
        Image.new("RGBA", (_CANVAS, _CANVAS), _hex_rgb(top)),
        mask,
    )
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.ellipse((120, 120, _CANVAS - 120, _CANVAS - 120), fill=_SOFT)
    _EMBLEMS[code](draw, (*_hex_rgb(bottom), 255))
    image = Image.alpha_composite(image, layer).convert("RGB").resize((_SIZE, _SIZE), Image.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# --- seeding ----------------------------------------------------------------


def _tally(created: int, total: int) -> dict[str, int]:
    return {"created": created, "total": total}


def _seed_key_assistance() -> dict[str, int]:
    flagged = 0
    for code in KEY_ASSISTANCE_COUNTY_CODES:
        region = county(code)
        if not region.is_key_assistance_county:
            region_set_key_assistance(region=region, flag=True)
            flagged += 1
    return _tally(flagged, len(KEY_ASSISTANCE_COUNTY_CODES))


def _seed_producers() -> tuple[dict[str, Producer], dict[str, int]]:
    producers, created = {}, 0
    for seq, spec in enumerate(PRODUCERS, start=_USCC_SEQ_BASE):
        region: Region = county(spec.county_code)
        uscc = valid_uscc(seq, region_code=region.code, prefix=USCC_PREFIX[spec.kind])
        producer = Producer.objects.filter(uscc=uscc).first()
        if producer is None:
            producer = ProducerFactory(
                name=spec.name,
                kind=spec.kind,
                county=region,
                uscc=uscc,
                introduction=spec.introduction,
                is_sample=True,
            )
            created += 1
        producers[spec.key] = producer
    return producers, _tally(created, len(producers))


def _seed_products(producers: dict[str, Producer]) -> tuple[list, dict[str, dict[str, int]]]:
    """Create missing products with their stock and pictures; return the first
    product of each category (the home page's picks) and the tallies."""
    product_classes = {name: ProductClassFactory(name=name) for name in (FOOD_CLASS, CRAFT_CLASS)}
    categories_created = products_created = images_created = 0
    firsts = []
    for spec in CATEGORIES:
        categories_created += not Category.objects.filter(depth=1, name=spec.name).exists()
        category = CategoryFactory(name=spec.name)
        for index, item in enumerate(spec.products, start=1):
            upc = demo_upc(spec, index)
            product = Product.objects.filter(upc=upc).first()
            if product is None:
                product = product_with_stock(
                    price=item.price,
                    stock=item.stock,
                    partner_sku=upc,
                    upc=upc,
                    title=item.title,
                    description=f"<p>{item.description}</p>",
                    product_class=product_classes[spec.product_class],
                    producer=producers[item.producer],
                    categories=[category],
                )
                products_created += 1
            if not product.images.exists():
                ProductImageFactory(
                    product=product,
                    original=ContentFile(
                        category_picture(spec.code, *spec.colours), name=f"{upc.lower()}.png"
                    ),
                    caption=item.title,
                )
                images_created += 1
            if index == 1:
                firsts.append(product)
    total = sum(len(spec.products) for spec in CATEGORIES)
    return firsts, {
        "categories": _tally(categories_created, len(CATEGORIES)),
        "products": _tally(products_created, total),
        # Each new product gets exactly one stock record.
        "stockrecords": _tally(products_created, total),
        "images": _tally(images_created, total),
    }


def _seed_featured(products: list) -> dict[str, int]:
    page = HomePage.objects.get()
    # Editors may have chosen their own picks since the last run; keep them.
    if page.featured_products.exists():
        return _tally(0, page.featured_products.count())
    page.featured_products = [
        HomePageFeaturedProduct(product=product, sort_order=i) for i, product in enumerate(products)
    ]
    # Publishing a revision keeps the live page and the editor's latest revision
    # in step, so Wagtail's edit form shows the picks too.
    page.save_revision().publish()
    return _tally(len(products), len(products))


def _seed_users() -> dict[str, int]:
    User = get_user_model()
    created = 0
    for factory, username, email, password in (
        (StaffUserFactory, STAFF_USERNAME, STAFF_EMAIL, STAFF_PASSWORD),
        (UserFactory, BUYER_EMAIL, BUYER_EMAIL, BUYER_PASSWORD),
    ):
        if not User.objects.filter(Q(email__iexact=email) | Q(username=username)).exists():
            factory(username=username, email=email, password=password)
            created += 1
    return _tally(created, 2)


# (producer key, kind, number, issuer, valid from, valid until); the last one
# (green food, April 2026) has lapsed, so its products drop out of that certificate filter.
DEMO_CERTIFICATES = (
    (
        "zs_coop",
        Certificate.Kind.POVERTY_ALLEVIATION_2020,
        "FP-611026-2020-0012",
        "陕西省乡村振兴局",
        date(2020, 6, 1),
        date(2027, 12, 31),
    ),
    (
        "zs_coop",
        Certificate.Kind.GEOGRAPHICAL_INDICATION,
        "AGI-2018-02417",
        "农业农村部",
        date(2018, 12, 1),
        date(2028, 11, 30),
    ),
    (
        "zs_ent",
        Certificate.Kind.CONSUMPTION_ASSISTANCE_2024,
        "XFBF-61-2024-0305",
        "陕西省乡村振兴局",
        date(2024, 9, 1),
        date(2027, 8, 31),
    ),
    (
        "zy_coop",
        Certificate.Kind.GREEN_FOOD,
        "LB-15-2305061234",
        "中国绿色食品发展中心",
        date(2023, 5, 1),
        date(2026, 4, 30),
    ),
    (
        "zy_coop",
        Certificate.Kind.POVERTY_ALLEVIATION_2020,
        "FP-610924-2020-0031",
        "陕西省乡村振兴局",
        date(2020, 6, 1),
        date(2027, 12, 31),
    ),
)


def _seed_certificates(producers: dict[str, Producer]) -> dict[str, int]:
    created = 0
    for key, kind, number, issuer, valid_from, valid_until in DEMO_CERTIFICATES:
        producer = producers.get(key)
        if producer is None:
            continue
        certificate, was_created = Certificate.objects.get_or_create(
            producer=producer,
            kind=kind,
            number=number,
            defaults={"issuer": issuer, "valid_from": valid_from, "valid_until": valid_until},
        )
        if was_created:
            certificate.products.set(producer.products.all())
            created += 1
    return _tally(created, len(DEMO_CERTIFICATES))


@dataclass(frozen=True)
class DemoLinkage:
    """One year of a demo producer's benefit linkage; households, then yuan paid."""

    producer: str
    year: int
    employment: tuple[int, str]
    asset_income: tuple[int, str]
    purchase: tuple[int, str]
    total_households: int
    verified: bool


# Totals lie between the largest mechanism and the sum: households that both
# work for the producer and sell to it are counted once. Unverified ones show
# how the pages mark figures staff have not checked yet.
DEMO_LINKAGES = (
    DemoLinkage("zs_coop", 2024, (18, "216000.00"), (60, "54000.00"), (91, "637000.00"), 95, True),
    DemoLinkage("zs_coop", 2025, (22, "281600.00"), (64, "60800.00"), (98, "715400.00"), 98, True),
    DemoLinkage("zs_ent", 2025, (31, "1041600.00"), (0, "0.00"), (142, "852000.00"), 160, False),
    DemoLinkage(
        "zy_coop", 2025, (15, "135000.00"), (126, "214200.00"), (120, "1188000.00"), 126, True
    ),
    DemoLinkage("zy_ent", 2025, (28, "756000.00"), (0, "0.00"), (175, "1225000.00"), 190, False),
    DemoLinkage(
        "cj_coop", 2025, (12, "108000.00"), (80, "96000.00"), (187, "1346400.00"), 187, True
    ),
    DemoLinkage("rj_coop", 2025, (9, "81000.00"), (40, "36000.00"), (104, "811200.00"), 104, False),
    DemoLinkage("rj_factory", 2025, (61, "1171200.00"), (0, "0.00"), (0, "0.00"), 61, True),
    DemoLinkage(
        "mx_coop", 2025, (20, "180000.00"), (95, "114000.00"), (141, "1410000.00"), 141, False
    ),
    DemoLinkage("zx_factory", 2025, (47, "705000.00"), (0, "0.00"), (0, "0.00"), 47, True),
)


def _demo_staff():
    # The demo staff login, however _seed_users found or made it.
    return (
        get_user_model()
        .objects.filter(Q(email__iexact=STAFF_EMAIL) | Q(username=STAFF_USERNAME))
        .order_by("pk")
        .first()
    )


def _seed_linkages(producers: dict[str, Producer]) -> None:
    staff = _demo_staff()
    for spec in DEMO_LINKAGES:
        linkage, was_created = BenefitLinkage.objects.get_or_create(
            producer=producers[spec.producer],
            year=spec.year,
            defaults={
                "employment_households": spec.employment[0],
                "employment_amount": Decimal(spec.employment[1]),
                "asset_income_households": spec.asset_income[0],
                "asset_income_amount": Decimal(spec.asset_income[1]),
                "purchase_households": spec.purchase[0],
                "purchase_amount": Decimal(spec.purchase[1]),
                "total_households": spec.total_households,
            },
        )
        # Only fresh rows are verified: staff may have reviewed the rest since.
        if was_created and spec.verified:
            benefit_linkage_verify(linkage=linkage, actor=staff)


@transaction.atomic
def seed_demo(*, stdout=None) -> dict[str, dict[str, int]]:
    """Create whatever part of the demo data is missing; returns, per kind of
    object, how many were created now and how many the demo has in all."""

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message)

    say("行政区划 / regions …")
    regions = regions_load_from_dataset()
    counts = {"regions": _tally(regions["created"], regions["total"])}
    counts["key_assistance_counties"] = _seed_key_assistance()
    say("生产主体 / producers …")
    producers, counts["producers"] = _seed_producers()
    say("商品与图片 / products and pictures …")
    featured, product_counts = _seed_products(producers)
    counts.update(product_counts)
    counts["certificates"] = _seed_certificates(producers)
    say("首页推荐 / home page …")
    counts["featured_products"] = _seed_featured(featured)
    counts["users"] = _seed_users()
    # Not in ``counts``: the seed command prints a label for each key it knows.
    _seed_linkages(producers)
    say("入驻申请与商品审核 / onboarding and listing review …")
    seed_producer_workflow(producer=producers["zs_coop"], staff=_demo_staff())
    procurement_seed_demo()
    return counts
