## Statistics and reports (stats-)

stats-command = Tip statistics of your area
stats-command-digest = Weekly report for the police chat on/off
stats-help = /stats (/thongke) — tip statistics by week, month, quarter, year; /stats 01/10/2026 31/10/2026 for a date range
stats-help-digest = /digest on|off (/baocaotuan) — weekly report in the police chat, Mondays at 7:30
stats-button = 📊 Statistics

stats-not-allowed = Only the police, moderators and admins of an area can see its statistics.
stats-area-not-found = No such area.
stats-bad-dates =
    Could not read the dates. Type the first and the last day as day/month/year, for example:
    /stats 01/10/2026 31/10/2026
stats-dates-reversed = The first day must come before the last day.
stats-range-too-long = That range is too long: at most { $days } days.

stats-choose-period = 📊 <b>Tip statistics</b> — { $areas }
    Choose a period (or type /stats 01/10/2026 31/10/2026):
stats-btn-period = { $kind ->
        [w] This week
        [m] This month
        [q] This quarter
        [y] This year
        [lw] Last week
        [lm] Last month
       *[c] Other dates
    }
stats-btn-areas = 🏘 By area
stats-btn-area = { $name }
stats-chart-caption = 📊 { $areas } — { $dates }

stats-period-name = { $kind ->
        [w] this week ({ $dates })
        [m] this month ({ $dates })
        [q] this quarter ({ $dates })
        [y] this year ({ $dates })
        [lw] last week ({ $dates })
        [lm] last month ({ $dates })
       *[c] { $dates }
    }

stats-base-last-year = the same period last year
stats-base-week = last week
stats-base-month = last month
stats-base-quarter = last quarter
stats-base-previous = the previous period

stats-unit-tip = { $count } { $n ->
        [one] tip
       *[other] tips
    }
stats-unit-case = { $count } { $n ->
        [one] case
       *[other] cases
    }
stats-unit-indicator = { $count } { $n ->
        [one] scam contact
       *[other] scam contacts
    }
stats-unit-broadcast = { $count } { $n ->
        [one] broadcast
       *[other] broadcasts
    }
stats-unit-group = { $count } { $n ->
        [one] group
       *[other] groups
    }
stats-unit-alert = { $count } { $n ->
        [one] alert
       *[other] alerts
    }

stats-change = { $direction ->
        [up] up { $diff } (+{ $pct }%) on { $base }
        [down] down { $diff } ({ $pct }%) on { $base }
        [same] same as { $base }
       *[nobase] { $base }: 0
    }
stats-speed = { $direction ->
        [up] { $amount } slower than { $base }
        [down] { $amount } faster than { $base }
        [same] same as { $base }
       *[nobase] no figures for { $base }
    }
stats-no-comparison = <i>Not compared with { $bases }: there is not enough data for that period.</i>
stats-bases-both = { $first } and { $second }
stats-with-changes = { $value }, { $changes }

stats-duration-under-minute = under a minute
stats-duration-minutes = { $minutes } min
stats-duration-hours = { $hours } h
stats-duration-hours-minutes = { $hours } h { $minutes } min
stats-duration-days = { $days } days

stats-header = 📊 <b>TIP STATISTICS</b>
stats-header-digest = 📊 <b>WEEKLY REPORT</b>
stats-scope = Area: <b>{ $areas }</b>
stats-period = Period: { $period }
stats-line-total = <b>Tips received:</b> { $value }
stats-line-cases = <b>Cases</b> ({ $duplicates } duplicate tips merged): { $value }
stats-categories-title = <b>By category:</b>
stats-statuses-title = <b>By status:</b>
stats-item = • { $label }: { $value }
stats-line-fraud = <b>Fraud alerts:</b> { $value }
stats-line-indicators = <b>Scam phones, accounts and links confirmed:</b> { $value }
stats-line-median = <b>Time from receipt to first action</b> (median): { $value }
stats-median-none = no tip acted on yet
stats-line-advisories = <b>Warnings and advisories sent:</b> { $value }
stats-reach = { $broadcasts } to { $groups }
stats-line-helpful = <b>Valuable tips:</b> { $value }

stats-cat-crime = Crime
stats-cat-social_evils = Social evils
stats-cat-property_fire = Property, fire
stats-cat-order = Public order
stats-cat-reintegration = Reintegration
stats-cat-online_fraud = Online fraud
stats-cat-other = Other
stats-status-received = { status-received }, not yet acted on
stats-status-verifying = { status-verifying }
stats-status-handled = { status-handled }
stats-status-rejected = { status-rejected }

stats-breakdown-header = 🏘 <b>By area</b> — { $areas }
    Period: { $period }
stats-breakdown-empty = This area has no sub-areas.
stats-breakdown-more = … and { $count } more areas with fewer tips.

stats-chart-title = Tips — { $areas } — { $dates }
stats-chart-by-category = By category
stats-chart-over-time = { $granularity ->
        [day] Per day
        [week] Per week
       *[month] Per month
    }
stats-chart-this-period = This period
stats-chart-last-year = Same period last year
stats-chart-count = Tips

stats-digest = { $body }
stats-digest-footer = Send /stats to the bot privately for details and the chart. Turn the weekly report off: /digest off
stats-digest-on = ✅ Weekly report turned on for this chat ({ $area }): every Monday at 7:30.
stats-digest-off = Weekly report turned off for this chat ({ $area }).
stats-digest-status-on = The weekly report of this chat ({ $area }) is <b>on</b>. Turn off: /digest off
stats-digest-status-off = The weekly report of this chat ({ $area }) is <b>off</b>. Turn on: /digest on
stats-digest-usage = Usage: /digest on to turn it on, /digest off to turn it off.
stats-digest-not-police-chat = The weekly report can only be turned on in a police work chat linked to an area (/link … police).
stats-digest-denied = Only the police of the area can turn the weekly report on or off.

stats-export-metric = Figure
stats-export-current = This period
stats-export-previous = Previous period
stats-export-last-year = Same period last year
stats-export-total = Tips received
stats-export-cases = Cases (duplicate tips merged)
stats-export-category = Category: { $label }
stats-export-status = Status: { $label }
stats-export-fraud = Fraud alerts
stats-export-indicators = Scam contacts confirmed
stats-export-median-minutes = Time to first action, median (minutes)
stats-export-broadcasts = Warnings broadcast
stats-export-groups = Groups reached
stats-export-helpful = Valuable tips
stats-export-col-code = Code
stats-export-col-date = Received
stats-export-col-kind = Kind
stats-export-col-category = Category
stats-export-col-status = Status
stats-export-col-area = Area
stats-export-col-first-action = First action
stats-export-col-handled = Handled
stats-export-col-text = Text
stats-export-kind-tip = Tip
stats-export-kind-fraud = Fraud alert
stats-export-sheet-summary = Summary
stats-export-sheet-tips = Tips
stats-export-title = Tip statistics — { $area } — { $dates }
