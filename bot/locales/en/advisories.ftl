## Police warnings and advisories to residents' groups (adv-), schedules (sched-)

adv-button = 📢 Broadcast a warning
adv-command = Broadcast a warning to the groups
adv-command-schedules = Broadcast schedules
adv-command-retract = Retract a sent warning
help-adv = /broadcast — send a warning or advisory to residents' groups (police)
help-adv-schedules = /schedules — view, pause, edit or delete broadcast schedules (police)
help-adv-retract = /retract number — delete a warning from every group (police)

adv-message =
    📢 <b>Police of { $unit }</b> · { $time }
    { $text }

adv-police-only = Only ward police and administrators can do this.
adv-private-only = Write to the bot privately to compose a warning.
adv-area-not-yours = This area is not one you are responsible for.
adv-groups-gone = Some of the chosen groups no longer receive messages. Please choose again.
adv-text-empty = The warning text cannot be empty.
adv-media-unsupported = Only a photo or a file can be attached.
adv-target-missing = Choose who receives it: an area or some groups.
adv-not-found = Warning number { $id } was not found.
adv-not-yours = This warning is not for an area you are in charge of now; you cannot change it.
adv-no-groups = No residents' group is linked to your areas yet.

adv-ask-text =
    <b>📢 Compose a warning or advisory</b>
    Step 1. Type the text for residents (bold and italics work as in any message).
    You may also send a photo with a caption.
adv-ask-media = Step 2. Attach a photo or a file if you have one, or press "Skip".
adv-need-text = Please type the text (or send a photo with a caption).
adv-need-media = Please send a photo or a file, or press "Skip".
adv-skip = Skip ➡️
adv-cancel = ❌ { action-cancel }
adv-cancelled = Cancelled; nothing was sent.
adv-ask-target = Step 3. Where to? Choose an area (a whole ward, or single residential groups), or pick groups one by one.
adv-pick-groups = 👥 Pick groups
adv-groups-prompt = Choose the groups (press to tick ✅), then press "Done".
adv-groups-done = Done ➡️
adv-groups-none = Choose at least one group.
adv-more = Next page ▶️
adv-target-chosen = Sending to: { $target } ({ $count } groups).
adv-target-groups = { $count } chosen groups
adv-ask-options = Step 4. Options:
adv-opt-pin = 📌 Pin in groups: { $on ->
    [yes] Yes
   *[no] No
}
adv-opt-silent = 🔕 Send silently: { $on ->
    [yes] Yes
   *[no] No
}
adv-next = Continue ➡️
adv-ask-when = Step 5. When?
adv-when-now = 🚀 Now
adv-when-at = 🕗 At a time
adv-when-daily = 🔁 Daily
adv-when-weekly = 🔁 Weekly
adv-when-monthly = 🔁 Monthly
adv-ask-datetime = Type the date and time, e.g. <code>07:30 25/12/2026</code>, <code>7h30 25/12</code> or just <code>7h30</code> (today, or tomorrow if already past).
adv-ask-weekdays = Choose the days of the week (press to tick ✅), then press "Done".
adv-weekdays-none = Choose at least one day.
adv-ask-monthday = Which day of the month? Type a number from 1 to 31.
adv-ask-time = At what time? E.g. <code>07:30</code> or <code>7h30</code>.
adv-ask-until = Repeat until which date? Type a date (e.g. <code>31/12/2026</code>), or press "No end".
adv-no-end = No end ➡️
adv-preview-note =
    ⬆️ Above is what residents will receive.
    <b>To:</b> { $target }
    <b>When:</b> { $when }
    <b>Pin:</b> { $pin ->
        [yes] yes
       *[no] no
    } · <b>Silent:</b> { $silent ->
        [yes] yes
       *[no] no
    }
    Press "Confirm" to { $now ->
        [yes] send it now.
       *[no] save the schedule.
    }
adv-when-now-text = right now
adv-confirm = ✅ Confirm
adv-created-now = ✅ Warning number { $id } saved. Sending to { $count } groups; you will get a report.
adv-created-later = ✅ Warning number { $id } saved: { $when }. First run: { $next }. See and change it with /schedules.
adv-summary =
    📢 Warning number { $id }: sent to { $sent }/{ $total } groups{ $failed ->
        [0] .
       *[other] ; { $failed } failed: { $groups }.
    }{ $inactive ->
        [0] {""}
       *[other] {"\u000A"}The bot was removed or blocked in { $inactive } groups ({ $inactive_groups }); they no longer receive messages until a group admin adds the bot back.
    }{ $uncertain ->
        [0] {""}
       *[other] {"\u000A"}The system restarted mid-way: { $uncertain } groups may have received it twice.
    }{ $quota ->
        [0] {""}
       *[other] {"\u000A"}The Zalo OA sending quota is used up: { $quota } followers did not get it (OA sends pause for an hour).
    }{ $held ->
        [0] {""}
       *[other] {"\u000A"}{ $held } OA followers have not written to the OA for over 7 days: it is held and sent when they next write.
    }
adv-missed = ⚠️ Warning number { $id } missed { $count } run(s) ({ $times }) because the system was down too long; they were not sent late.

adv-retract-usage = Usage: /retract warning_number (see the numbers in /schedules).
adv-retract-confirm =
    Retract warning number { $id }? It will be deleted from <b>{ $groups ->
        [0] the groups (none has received it yet)
        [one] 1 group
       *[other] { $groups } groups
    }</b>; this cannot be undone. A run still sending it stops.
adv-retract-yes = ↩️ Retract
adv-retract-confirmed = Retraction of warning number { $id } confirmed.
adv-retract-kept = Not retracted: warning number { $id } stays in the groups.
adv-retract-started = Retracting warning number { $id } from the groups…
adv-retracted = Warning number { $id } retracted: { $deleted }/{ $total } messages deleted.{ $stopped ->
        [0] {""}
       *[other] {" "}{ $stopped } copies not sent yet were stopped.
    }
adv-edit-prompt = Type the new text for warning number { $id } (used from the next run on).
adv-edited = The text of warning number { $id } was changed.

sched-none = There are no warnings for your areas yet. Compose one with /broadcast.
sched-item =
    <b>No. { $id }</b> · { $title }
    🗓 { $when }
    { $status ->
        [waiting] 🕗 Waiting · first send: { $next }
        [active] 🔁 Repeating · next send: { $next }
        [paused] ⏸ Paused
       *[done] ✔️ Finished
    }
sched-next-none = none
sched-pause = ⏸ Pause
sched-resume = ▶️ Resume
sched-edit = ✏️ Edit text
sched-delete = 🗑 Delete schedule
sched-retract = ↩️ Retract sent copies
sched-paused = Warning number { $id } is paused.
sched-resumed = Warning number { $id } resumed. Next run: { $next }.
sched-deleted = The schedule of warning number { $id } was deleted. Sent copies stay in the groups (retract them with /retract { $id }).
sched-not-active = This warning is not running.
sched-not-paused = This warning is not paused.
sched-invalid = The schedule is not valid.
sched-weekdays-missing = Choose at least one day of the week.
sched-month-day-invalid = The day of the month must be from 1 to 31.
sched-no-future-run = This schedule has no future runs.
sched-datetime-invalid = I did not understand the time "{ $text }". Type e.g. <code>07:30 25/12/2026</code> or <code>7h30</code>.
sched-datetime-past = "{ $text }" is in the past. Choose a time to come.
sched-time-invalid = I did not understand the time "{ $text }". Type e.g. <code>07:30</code> or <code>7h30</code>.
sched-date-invalid = I did not understand the date "{ $text }". Type e.g. <code>31/12/2026</code>.
sched-once = { $time } on { $date }
sched-daily = { $time } every day
sched-weekly = { $time } every { $days }
sched-monthly = { $time } on day { $day } of every month
sched-until = { $schedule }, until { $date }
sched-weekday-0 = Monday
sched-weekday-1 = Tuesday
sched-weekday-2 = Wednesday
sched-weekday-3 = Thursday
sched-weekday-4 = Friday
sched-weekday-5 = Saturday
sched-weekday-6 = Sunday
sched-wd-short-0 = Mon
sched-wd-short-1 = Tue
sched-wd-short-2 = Wed
sched-wd-short-3 = Thu
sched-wd-short-4 = Fri
sched-wd-short-5 = Sat
sched-wd-short-6 = Sun
