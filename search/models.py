from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Lookup
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchTokensField(SearchVectorField):
    """A ``tsvector`` written as its text form (search.fulltext.tsvector_text),
    cast on the way in, so PostgreSQL parses no text itself. Holds nothing on
    SQLite, where the FTS5 table (search.fulltext.FTS_TABLE) holds the tokens."""

    def get_placeholder(self, value, compiler, connection):
        return "%s::tsvector" if connection.vendor == "postgresql" else "%s"


class FacetValuesField(ArrayField):
    """An entry's values of a many-valued facet (category ids with their
    ancestors, certificate kinds) as a PostgreSQL array, GIN-indexed, so the
    database backend filters and counts them without joining a link table.
    Holds nothing on SQLite (a text column left NULL), where the facets read
    the link tables (ProductSearchEntry.categories, ProductSearchCertificateKind)
    that the same writer keeps on both databases."""

    def db_type(self, connection):
        return super().db_type(connection) if connection.vendor == "postgresql" else "text"

    def get_placeholder(self, value, compiler, connection):
        if connection.vendor != "postgresql":
            return "%s"
        return super().get_placeholder(value, compiler, connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor != "postgresql":
            return None
        return super().get_db_prep_value(value, connection, prepared)


@SearchTokensField.register_lookup
class MatchesTsquery(Lookup):
    """``search_vector__matches="'cx' <-> 'cy'"``: the value is tsquery text,
    cast as it is (to_tsquery would re-parse and split the tagged lexemes)."""

    lookup_name = "matches"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ ({rhs})::tsquery", [*lhs_params, *rhs_params]


class ProductSearchEntry(models.Model):
    """The database backend's index: one row per searchable product, holding the
    Python-analysed text (jieba words, pinyin, initials) and the facet values.

    Written by ``search.indexing`` from the same documents Elasticsearch gets,
    so both backends search the same thing. The text is searched through
    ``search_vector`` (PostgreSQL, GIN-indexed) or the FTS5 table (SQLite),
    laid out by search.fulltext; the title's words, pinyin and initials serve
    suggestions (the pinyin with a trigram index on PostgreSQL).
    """

    product = models.OneToOneField(
        "catalogue.Product", primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    title = models.CharField(max_length=255)
    title_words = models.TextField(blank=True)
    title_pinyin = models.TextField(blank=True)
    title_initials = models.TextField(blank=True)
    search_vector = SearchTokensField(null=True)
    province_code = models.CharField(max_length=6, db_index=True)
    city_code = models.CharField(max_length=6, blank=True, db_index=True)
    county_code = models.CharField(max_length=6, db_index=True)
    producer_id = models.BigIntegerField(db_index=True)
    is_key_county = models.BooleanField(default=False)
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    in_stock = models.BooleanField(default=False)
    num_sold = models.PositiveIntegerField(default=0)
    date_created = models.DateTimeField()
    categories = models.ManyToManyField("catalogue.Category", related_name="+")
    # The categories' and certificate kinds' values again, on the row itself
    # (PostgreSQL only, see FacetValuesField); same ids as ``categories``.
    facet_category_ids = FacetValuesField(models.IntegerField(), null=True)
    facet_certificate_kinds = FacetValuesField(models.CharField(max_length=20), null=True)

    class Meta:
        verbose_name = _("商品搜索索引")
        verbose_name_plural = _("商品搜索索引")
        # Browsing without text sorts the whole catalogue: best-selling and newest.
        indexes = [
            models.Index(
                fields=["-num_sold", "-date_created", "-product"], name="search_entry_best_selling"
            ),
            models.Index(fields=["-date_created", "-product"], name="search_entry_newest"),
        ]

    def __str__(self):
        return self.title


class ProductSearchCertificateKind(models.Model):
    entry = models.ForeignKey(
        ProductSearchEntry, on_delete=models.CASCADE, related_name="certificate_kinds"
    )
    kind = models.CharField(max_length=20, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "kind"], name="search_entry_kind_once"),
        ]

    def __str__(self):
        return self.kind


class PageSearchEntry(models.Model):
    """The database backend's index of published content pages (producer
    stories, county pavilions): a page type offers itself by a
    ``search_text()`` method; search.pages writes the rows when it is
    published and removes them when it is unpublished or deleted."""

    page = models.OneToOneField(
        "wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=255)
    words = models.TextField(blank=True)
    pinyin = models.TextField(blank=True)
    first_published_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("内容页搜索索引")
        verbose_name_plural = _("内容页搜索索引")

    def __str__(self):
        return self.title


class ZeroResultQuery(models.Model):
    """A search that found nothing, counted per day: demand signals for staff
    and producers ("what shoppers searched and did not find"). Anonymous by
    construction: the normalised query text and a count, no user, session or
    address. Written by search.demand.zero_result_record."""

    day = models.DateField()
    query = models.CharField(max_length=100)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("无结果搜索")
        verbose_name_plural = _("无结果搜索")
        constraints = [
            models.UniqueConstraint(fields=["day", "query"], name="search_zero_result_once_a_day"),
        ]
        indexes = [models.Index(fields=["day"], name="search_zero_result_day")]

    def __str__(self):
        return self.query


class SearchSynonym(models.Model):
    """An English (or other Latin-letter) name staff add for search, on top of
    the maintained list in search/data/synonyms.toml; a phrase here replaces
    the file's entry for the same phrase. Read by search.querying.synonyms();
    written through search.services (which clears the cached table)."""

    phrase = models.CharField(
        _("英文词"), max_length=60, unique=True, help_text=_("小写英文，如 kiwi 或 wood ear")
    )
    words = models.CharField(
        _("对应的中文词"), max_length=200, help_text=_("一个或多个中文词，用空格或逗号分隔")
    )

    class Meta:
        verbose_name = _("搜索同义词")
        verbose_name_plural = _("搜索同义词")
        ordering = ["phrase"]

    def __str__(self):
        return f"{self.phrase} → {self.words}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from search.exceptions import SynonymPhraseInvalid, SynonymWordsMissing
        from search.rules import synonym_check

        try:
            checked = synonym_check(phrase=self.phrase, words=self.words)
        except SynonymPhraseInvalid as exc:
            raise ValidationError({"phrase": str(exc)}, code=exc.code) from exc
        except SynonymWordsMissing as exc:
            raise ValidationError({"words": str(exc)}, code=exc.code) from exc
        self.phrase, self.words = checked.phrase, checked.words


class IndexOutbox(models.Model):
    """Index work still to do: written by the receivers in the same transaction
    as the change, so it commits (or rolls back) with it, and applied in bulk by
    ``search.apply_outbox`` (search.outbox). A row stays until applied; a failed
    attempt waits longer each time (``next_attempt_at``)."""

    class Op(models.TextChoices):
        INDEX = "index", _("写入")
        DELETE = "delete", _("删除")

    PRODUCT = "product"
    PAGE = "page"  # a Wagtail page offering search_text() (search.pages)

    model = models.CharField(max_length=20, default=PRODUCT)
    object_id = models.BigIntegerField()
    op = models.CharField(max_length=10, choices=Op.choices, default=Op.INDEX)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    # Applied to the live index while search_rebuild_index ran: kept until the
    # rebuild has swapped its alias, then applied again to the new index.
    held = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("搜索索引待办")
        verbose_name_plural = _("搜索索引待办")
        indexes = [models.Index(fields=["held", "next_attempt_at"], name="search_outbox_due")]

    def __str__(self):
        return f"{self.op} {self.model} {self.object_id}"


class IndexRebuild(models.Model):
    """One row while search_rebuild_index runs (committed before its new index
    is read from the database): outbox rows applied meanwhile are held for it.
    The rebuild beats after every batch; a row that stopped beating belongs to
    a rebuild that died (search.rules.rebuild_stale_before) and holds nothing."""

    started_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"rebuild since {self.started_at:%Y-%m-%d %H:%M:%S}"
