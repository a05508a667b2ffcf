from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue.forms import ProductForm as OscarProductForm
from oscar.apps.dashboard.catalogue.forms import ProductImageForm as OscarProductImageForm
from oscar.apps.dashboard.catalogue.forms import StockRecordForm as OscarStockRecordForm

from catalogue import rules
from catalogue.services import description_to_text
from common.uploads import document_rename, photo_check
from producers.models import Producer
from regions.models import Region


class CountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name}（{obj.code}）"


class ProductForm(OscarProductForm):
    """Oscar's product form plus where the product comes from and who makes it,
    under the same listing rules as the producer's workspace and the import."""

    class Meta(OscarProductForm.Meta):
        fields = [*OscarProductForm.Meta.fields, "producer", "origin_county"]
        field_classes = {"origin_county": CountyChoiceField}

    def __init__(self, product_class, *args, data=None, parent=None, **kwargs):
        super().__init__(product_class, *args, data=data, parent=parent, **kwargs)
        for attribute in product_class.attributes.filter(type="text"):
            field = self.fields.get(f"attr_{attribute.code}")
            if field is not None:
                field.validators.append(
                    rules.as_validator(rules.attribute_value_check, attribute.code)
                )
                field.widget.attrs["maxlength"] = rules.ATTRIBUTE_VALUE_MAX_LENGTH
        if parent is not None or self.instance.is_child:
            # Variants inherit producer, origin and description from their parent.
            self.fields.pop("producer", None)
            self.fields.pop("origin_county", None)
            return
        self.fields["description"].required = rules.DESCRIPTION_REQUIRED
        self.fields["description"].help_text = _("不超过 %(limit)d 字。") % {
            "limit": rules.DESCRIPTION_MAX_LENGTH
        }
        self.fields["producer"].queryset = Producer.objects.select_related("partner")
        self.fields["producer"].required = True
        self.fields["origin_county"].queryset = Region.objects.counties().with_ancestors()
        self.fields["origin_county"].required = True
        self.fields["origin_county"].help_text = _("必须是县级行政区划，通常为生产主体所在县。")

    def changed_claims(self) -> list[str]:
        """The changed fields, leaving out a description that reads the same:
        the dashboard's editor rewrites markup it did not change."""
        changed = list(self.changed_data)
        if "description" in changed and description_to_text(
            self.initial.get("description") or ""
        ) == description_to_text(self.cleaned_data.get("description") or ""):
            changed.remove("description")
        return changed

    def clean_description(self):
        description = self.cleaned_data.get("description", "")
        # The dashboard's editor writes HTML; the limit counts what people read.
        rules.as_validator(rules.description_check)(description_to_text(description))
        return description


class StockRecordForm(OscarStockRecordForm):
    """Oscar's stock record form under the listing rules for 商品编码, price and stock."""

    def clean_partner_sku(self):
        sku = self.cleaned_data.get("partner_sku", "")
        if self.instance.pk and sku == self.instance.partner_sku:
            # A code given before today's alphabet stays usable.
            return sku
        rules.as_validator(rules.sku_check)(sku)
        return sku

    def clean_price(self):
        price = self.cleaned_data.get("price")
        if price is not None:
            rules.as_validator(rules.price_check)(price)
        return price

    def clean_num_in_stock(self):
        num_in_stock = self.cleaned_data.get("num_in_stock")
        if num_in_stock is not None:
            rules.as_validator(rules.stock_check)(num_in_stock)
        return num_in_stock


class ProductImageForm(OscarProductImageForm):
    """Oscar's product photo form under the same check as the producer's
    workspace: a photo is judged by its bytes and stored under a server-chosen name."""

    def clean_original(self):
        original = self.cleaned_data.get("original")
        if isinstance(original, UploadedFile):
            document_rename(original, photo_check(original))
        return original
