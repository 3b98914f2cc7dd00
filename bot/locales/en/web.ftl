## The police console (web/) and /web, the command that signs in to it.

web-command = Open the console in a browser
web-help = /web — open the console (inbox, map, statistics, advisories; the review queue for moderators) on a computer or phone
web-link = 🖥 <b>Console</b>: <a href="{ $url }">tap here to sign in</a>
    The link works <b>once</b>, for { $minutes } minutes, and only for you: do not pass it on.
web-private-only = To keep it safe, send /web in your private chat with the bot (not in a group).
web-not-allowed = The console is for police officers, moderators and administrators. Everything the bot does for you is here in the chat.
web-not-configured = The console is not enabled on this server (set WEB_PORT or WEB_BASE_URL).
web-no-telegram = Your account is not linked to Telegram, so the reporter's answer could not reach you.
web-demo-open = Open the console as this person

web-brand = Neighbourhood security
web-title = Console
web-the-bot = the bot
web-nav-inbox = Inbox
web-nav-map = Map
web-nav-stats = Statistics
web-logout = Sign out
web-back-to-inbox = Back to the inbox
web-how-to-sign-in = How to sign in

web-login-title = Sign in to the console
web-login-how = Send /web to { $bot } in a private chat: the bot sends back a one-time sign-in link.
web-login-who = For police officers, moderators and administrators.
web-login-widget = Or sign in with Telegram:
web-login-confirm = Press the button below to sign in. A session lasts at most 12 hours; sign out on a shared computer.
web-login-button = Sign in
web-signed-out-ok = You have signed out.
web-link-problem-title = This link no longer works
web-link-unknown = This sign-in link is not valid.
web-link-used = This sign-in link has already been used (each link works once).
web-link-expired = This sign-in link has expired (links work for 10 minutes).
web-link-invalid = The sign-in link cannot be used.
web-link-new = To get a new link, send /web to { $bot } again in a private chat.
web-refusal-title = Not possible
web-signed-out = Your session has ended. Send /web to the bot to sign in again.
web-csrf-refused = Refused: the page's protection code was missing. Reload the page and try again.

web-filter-status = Status
web-filter-category = Category
web-filter-area = Area
web-filter-all = All
web-filter-all-areas = All my areas
web-filter-from = From
web-filter-to = To
web-filter-search = Search
web-filter-search-hint = Tip code (TB-2611-0042) or words
web-filter-apply = Filter
web-filter-bad-status = Unknown status: showing tips still open.
web-filter-bad-category = Unknown category: showing every category.
web-filter-bad-area = Unknown area: showing all your areas.
web-filter-bad-page = Unknown page: showing the first.
web-filter-bad-date = A date was not understood (e.g. 31/10/2026) and was left out.
web-filter-dates-reversed = The start was after the end: the two dates were swapped.
web-filter-range-too-long = The period is too long: at most 3 years.
web-filter-bad-period = Unknown period: showing this month.
web-area-not-yours = This area is not one of yours.
web-status-open = Still open
web-status-all = All
web-status-received = { status-received }
web-status-verifying = { status-verifying }
web-status-handled = { status-handled }
web-status-rejected = { status-rejected }

web-inbox-count = { $n ->
        [0] No tips
        [one] 1 tip
       *[other] { $count } tips
    }
web-inbox-count-capped = More than { $count } tips — narrow the filter.
web-inbox-empty = No tip matches the filter.
web-col-code = Code
web-col-time = Time
web-col-category = Category
web-col-area = Area
web-col-status = Status
web-col-media = Files
web-col-reporter = Reported by
web-col-summary = Text
web-anonymous = Anonymous
web-area-unknown = Area unknown
web-needs-review = In review
web-page-prev = Previous
web-page-next = Next
web-page-of = Page { $page } of { $pages }

web-reporter = Reported by
web-address = Address
web-fraud-details = The scammer's details
web-indicator-confirmed = confirmed scam
web-media = Photos, videos, voice
web-photo = Photo
web-file = File
web-media-not-found = No such file.
web-media-unavailable = This file cannot be fetched now (too large, or Telegram did not answer).
web-pin = On the map
web-actions = Act
web-action-verify = { action-verify }
web-action-handled = { action-handled }
web-action-reject = { action-reject }
web-action-escalate = { action-escalate }
web-action-reply = { action-reply }
web-action-scam = { action-scam }
web-action-review = { action-review }
web-action-helpful = { action-helpful }
web-note-optional = Outcome (optional; the reporter sees it)
web-reason-required = Reason (required; the reporter sees it)
web-question = Question for the reporter (they do not learn who you are)
web-question-empty = Write the question first.
web-reason-empty = Give the reason it could not be verified.
web-done-verify = { tipact-done-verify }
web-done-handled = { tipact-done-handled }
web-done-reject = { tipact-done-reject }
web-done-escalate = { tipact-done-escalate }
web-done-reply = Question sent to the reporter of { $code }. The answer arrives in your private chat with the bot and shows here.
web-done-scam = { tipact-done-scam }
web-done-review = { tipact-done-review }
web-done-helpful = { tipact-done-helpful }
web-history = Timeline
web-history-none = No changes yet.
web-relay = With the reporter
web-relay-question = Asked:
web-relay-answer = Answered:
web-relay-none = No messages yet.
web-duplicates = Duplicates
web-merged-into = This tip was merged into
web-merged-here = Tips merged into this one:

web-map-period = Period
web-map-days = Last { $days } days
web-map-summary = { $count } tips with a location, { $since } to { $until }.
web-map-truncated = Only the latest 20,000 are shown: narrow the filter.
web-map-markers = Markers
web-map-heat = Heat
web-map-areas = By area
web-map-area-count = { $n ->
        [one] 1 tip
       *[other] { $count } tips
    }
web-map-no-pin = no location
web-map-empty = No tips in this period.
web-map-open-tip = Open

web-stats-period = Period
web-period-w = This week
web-period-m = This month
web-period-q = This quarter
web-period-y = This year
web-period-lw = Last week
web-period-lm = Last month
web-stats-by-area = By area
web-export-csv = Download CSV
web-export-xlsx = Download Excel
web-export-bad-format = Exports are CSV or Excel (xlsx).
web-print = Print
