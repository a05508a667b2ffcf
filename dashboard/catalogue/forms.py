from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue.forms import ProductForm as OscarProductForm

from producers.models import Producer
from regions.models import Region


class CountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name}（{obj.code}）"


class ProductForm(OscarProductForm):
    """Oscar's product form plus where the product comes from and who makes it."""

    class Meta(OscarProductForm.Meta):
        fields = [*OscarProductForm.Meta.fields, "producer", "origin_county"]
        field_classes = {"origin_county": CountyChoiceField}

    def __init__(self, product_class, *args, data=None, parent=None, **kwargs):
        super().__init__(product_class, *args, data=data, parent=parent, **kwargs)
        if parent is not None or self.instance.is_child:
            # Variants inherit producer and origin from their parent.
            self.fields.pop("producer", None)
            self.fields.pop("origin_county", None)
            return
        self.fields["producer"].queryset = Producer.objects.select_related("partner")
        self.fields["producer"].required = True
        self.fields["origin_county"].queryset = Region.objects.counties().with_ancestors()
        self.fields["origin_county"].required = True
        self.fields["origin_county"].help_text = _("必须是县级行政区划，通常为生产主体所在县。")
