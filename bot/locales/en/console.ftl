## The console, part 2: Advisories, Areas, Log (police) and Review (moderators).

console-nav-advisories = Advisories
console-nav-areas = Areas
console-nav-audit = Log
console-nav-review = Review
console-back-to-review = Back to the review queue
console-cancel = Cancel
web-police-only = This page is for police officers and administrators.
web-moderators-only = This page is for moderators. Police officers review tips in the inbox and with /review.

console-adv-compose = Compose an advisory
console-cal-previous = Previous month
console-cal-next = Next month
console-cal-month = { $month }/{ $year }
console-cal-kind-planned = planned
console-cal-kind-sent = sent
console-cal-kind-missed = missed
console-adv-list = Advisories of your areas
console-adv-none = No advisories yet. Press "Compose an advisory" to send or schedule one.
console-adv-col-title = Text
console-adv-col-target = Sent to
console-adv-col-schedule = Schedule
console-adv-col-next = Next send
console-adv-status-active = running
console-adv-status-paused = paused
console-adv-status-done = done
console-adv-status-deleted = deleted
console-adv-step-text = 1. The advisory's text
console-adv-step-target = 2. Send to
console-adv-step-options = 3. Options
console-adv-step-when = 4. When
console-adv-target-area = Every residents' group of the area:
console-adv-target-groups = Only the groups ticked below:
console-adv-pin = 📌 Pin in the group
console-adv-silent = 🔕 Send silently
console-adv-at-date = Date (scheduled)
console-adv-at-time = Time (scheduled)
console-adv-time-of-day = Time (repeating)
console-adv-weekdays = Days of the week:
console-adv-month-day = Day of the month
console-adv-until = Until (optional)
console-adv-when-hint = Scheduled: pick the date and time. Daily, weekly, monthly: pick the time (and the days, or the day of the month).
console-adv-preview = Preview
console-adv-preview-hint = Residents in the groups will get exactly this message.
console-adv-groups-count = { $count ->
    [one] 1 group
   *[other] { $count } groups
}
console-adv-send-now = 🚀 Send now
console-adv-schedule = ✅ Schedule
console-adv-edit = Edit
console-adv-title = Advisory no. { $id }
console-back-to-calendar = Back to the calendar
console-adv-created = The advisory is saved. The bot sends it on time; each group's report shows here after every send.
console-adv-sending = The advisory is saved and the bot is sending it to the groups; reload the page to see each group's delivery.
console-adv-retracted = Retracted: { $deleted } of { $total } messages deleted from the groups.
console-adv-retract = Retract
console-adv-retract-question = Delete { $copies } copies of this advisory from the groups, and stop a send still running (groups not reached yet will not get it)? The schedule stays as it is.
console-adv-retract-yes = ↩️ Retract
console-adv-retract-no = No, keep it
console-adv-runs = Sends
console-adv-no-runs = Not sent yet.
console-run-status-running = sending
console-run-status-done = sent
console-run-status-missed = missed (the bot was down when it was due)
console-delivery-pending = waiting
console-delivery-sending = sending
console-delivery-sent = sent
console-delivery-failed = failed
console-delivery-skipped = skipped
console-delivery-retracted = retracted
console-delivery-uncertain = may have arrived twice
console-delivery-direct = { $count } residents by private message
console-col-group = Group
console-col-attempts = Attempts
console-col-updated = Updated

console-areas-truncated = Too many areas to show at once: choose a ward or commune.
console-area-kind-province = province, city
console-area-kind-district = district
console-area-kind-ward = ward, commune
console-area-kind-residential_group = tổ dân phố
console-purpose-residents = residents' group
console-purpose-police = police work chat
console-purpose-none = not assigned
console-group-inactive = the bot is no longer in the group
console-group-not-admin = the bot is not an admin
console-group-last-activity = last activity: { $when }

console-audit-action = Action
console-audit-actor = Done by
console-audit-col-time = Time
console-audit-col-action = Action
console-audit-col-actor = Done by
console-audit-col-area = Area
console-audit-col-target = Subject

console-review-total = { $count ->
    [one] 1 item to review
   *[other] { $count } items to review
}
console-review-done = Done: { $action }.
console-review-more = There is more: finish the items above, then reload the page.
