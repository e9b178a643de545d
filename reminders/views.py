from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.access import staff_required
from core.errors import show_error
from core.pagination import page_of

from . import selectors, services


@login_required
def mine(request):
    """Every reminder sent to the person logged in: what, when, how, and whether it went."""
    page = page_of(request, selectors.reminders_sent_to(request.user), 50)
    return render(request, "reminders/mine.html", {"page": page})


@require_POST
@staff_required
def task_done(request, pk: int):
    task = get_object_or_404(selectors.staff_tasks_visible_to(request.user), pk=pk)
    try:
        services.staff_task_done(task=task, actor=request.user)
    except services.ReminderError as error:
        show_error(request, error)
    else:
        messages.success(request, f"Marked as done: {task.text}")
    return redirect("staff_dashboard")


@require_GET
@staff_required
def task_letter(request, pk: int):
    """The message as a letter to print and post; 'Posted' marks the task done."""
    from .letters import letter_for_task

    task = get_object_or_404(selectors.staff_tasks_visible_to(request.user), pk=pk)
    return render(request, "reminders/letter.html", {"task": task, "letter": letter_for_task(task)})
