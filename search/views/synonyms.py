"""Programme staff's English names for search (英文同义词): the maintained list
(search/data/synonyms.toml) beside the phrases staff added, a form to add or
replace one, and removal of staff's own. Writes go through search.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.roles import require_platform_staff
from search.exceptions import SearchError, SynonymPhraseInvalid, SynonymWordsMissing
from search.forms import SynonymDeleteForm, SynonymForm
from search.selectors import synonym_rows
from search.services import search_synonym_delete, search_synonym_save


@login_required
def staff_synonyms(request):
    require_platform_staff(request.user)
    if request.method == "POST":
        form = SynonymForm(request.POST)
        if form.is_valid():
            try:
                synonym = search_synonym_save(
                    actor=request.user,
                    phrase=form.cleaned_data["phrase"],
                    words=form.cleaned_data["words"],
                )
            except SynonymPhraseInvalid as exc:
                form.add_error("phrase", str(exc))
            except SynonymWordsMissing as exc:
                form.add_error("words", str(exc))
            except SearchError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("已保存：搜索“%(phrase)s”会找到含 %(words)s 的商品。")
                    % {"phrase": synonym.phrase, "words": synonym.words},
                )
                return redirect("search:synonyms")
    else:
        form = SynonymForm(initial={"phrase": request.GET.get("phrase", "")[:60]})
    contains = request.GET.get("q", "")[:60]
    return render(
        request,
        "search/synonyms/staff.html",
        {"form": form, "rows": synonym_rows(contains=contains), "q": contains},
    )


@login_required
@require_POST
def staff_synonym_delete(request):
    require_platform_staff(request.user)
    form = SynonymDeleteForm(request.POST)
    if form.is_valid():
        try:
            search_synonym_delete(actor=request.user, phrase=form.cleaned_data["phrase"])
        except SearchError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已删除工作人员添加的英文词。"))
    return redirect("search:synonyms")
