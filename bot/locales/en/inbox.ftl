## Police inbox: tip list, tip card, action buttons, anonymous Q&A, tip review

inbox-menu = 📥 Inbox
inbox-command = Tip inbox (police)
inbox-help = /inbox — tips of your area (police); /inbox TB-… opens one tip
inbox-not-police = The inbox is for ward police officers only.
inbox-wrong-chat = Tips open only in your private chat with the bot or in the police work chat of their area.
inbox-title = 📥 <b>Tip inbox</b>
inbox-list =
    { $title }
    Filter: { $status } · { $category }
    Page { $page }/{ $pages } — { $total ->
        [one] 1 tip
       *[other] { $total } tips
    }

    { $lines }
inbox-empty =
    { $title }
    Filter: { $status } · { $category }

    No tips.
inbox-line =
    { $n }. <b>{ $code }</b> · { $category } · { $status }{ $review }
       { $area } · { $time }
       { $summary }
inbox-review-mark = · ⚠️ needs review
inbox-review-rejected-mark = · ✖️ closed by a moderator
inbox-filter-all = All
inbox-filter-category-all = all kinds
inbox-button-status = { $mark }{ $label }
inbox-button-category = 🗂 Kind: { $category } ▸
inbox-button-open = { $n }. { $code }
inbox-button-prev = ◀ Previous
inbox-button-next = Next ▶
inbox-card =
    📄 <b>{ $code }</b> — { $category }{ $review }
    Status: { $status }{ $moderation }
    Area: { $area }
    Time: { $time }
    Address: { $address }
    Reporter: { $reporter }
    { $media }
    <b>Text:</b>
    { $text }{ $fraud }{ $indicators }

    <b>History:</b>
    { $history }{ $relay }
inbox-card-fraud =
    {"\u000A"}{"\u000A"}<b>Scammer details:</b> { $details }
inbox-card-indicators =
    {"\u000A"}{"\u000A"}<b>Phones, accounts, links in this tip:</b>
    { $lines }
inbox-card-indicator = • { $display } — { $state ->
        [confirmed] ✅ confirmed as a scam by the police
        [given] the reporter says it is the scammer's
       *[private] only found in the text, may be the victim's own (not public)
    }
inbox-card-media = 📎 Photos, files and location of tip { $code } (above).
inbox-card-media-line = 📎 { $count ->
        [one] 1 attachment
       *[other] { $count } attachments
    }{ $pin }
inbox-card-media-pin = , 📍 map location
inbox-card-no-media = 📎 No photos or files
inbox-card-anonymous = anonymous
inbox-card-none = none
inbox-card-area-unknown = unknown
inbox-history-line = • { $time } — { $status }{ $who }{ $note }
inbox-history-who = , { $name }
inbox-history-note = : “{ $note }”
inbox-card-relay =
    {"\u000A"}{"\u000A"}<b>Questions to the reporter:</b>
    { $lines }
inbox-relay-line-question = ❓ { $time } Police asked: { $text }
inbox-relay-line-answer = 💬 { $time } Reporter answered: { $text }
inbox-relay-photo = [photo]
inbox-code-not-found = No tip with code { $code }.

tipact-button-verify = 🔎 { action-verify }
tipact-button-handled = ✅ { action-handled }
tipact-button-reject = ✖️ { action-reject }
tipact-button-escalate = ⬆️ { action-escalate }
tipact-button-reply = 💬 { action-reply }
tipact-button-scam = 🚫 { action-scam }
tipact-button-review = 🛡 { action-review }
tipact-button-helpful = ⭐ Valuable tip (thank the reporter)
tipact-button-restore = ↩️ { action-restore }
tipact-button-nonote = No note
tipact-button-cancel = { action-cancel }
tipact-ask-note =
    Tip <b>{ $code }</b>: type the outcome (the reporter will read this note).
    Or press "No note".
tipact-ask-reason =
    Tip <b>{ $code }</b>: type why it could not be confirmed (the reporter will read it, please be kind).
tipact-ask-question =
    Tip <b>{ $code }</b>: type your question for the reporter (a photo is fine too).
    The reporter only sees the unit's name (the ward police) and the tip code, never your account.
tipact-done = { $code } → { $status } ({ $officer })
tipact-done-verify = Tip { $code } is now “{ status-verifying }”.
tipact-done-handled = Tip { $code } is now “{ status-handled }”.
tipact-done-nonote = { tipact-done-handled }
tipact-done-reject = Tip { $code } is now “{ status-rejected }”.
tipact-done-escalate = Tip { $code } was sent up to the higher level.
tipact-done-review = Tip { $code } was sent to the moderators.
tipact-done-restore = Tip { $code } was restored.
tipact-done-scam = The numbers, accounts and links of tip { $code } were confirmed as scams.
tipact-done-helpful = The reporter of tip { $code } was thanked.
tipact-escalated = { $code } escalated to { $area } ({ $officer })
tipact-review-queued = { $code } was sent to review.
tipact-cancelled = Cancelled.
tipact-note-empty = The note needs some words. Type it again, or press "No note".
relay-input-taken = Your previous message was already taken for this; this one was not passed on.
tipact-already = Tip { $code } was already handled by { $officer } ({ $status }). Reopen the inbox to see it.
tipact-someone = another officer
tipact-not-found = This tip was not found.
tipact-denied = You may not act on this tip (it belongs to another area).
tipact-unknown = Invalid action.
tipact-scam-choose =
    <b>{ $code }</b>: confirm <b>each</b> phone, account or link that is the scammer's. Do not confirm the victim's own: residents checking with /check will see "confirmed by the police".
    { $lines }
tipact-scam-confirm-one = 🚫 Confirm: { $display }
tipact-scam-unconfirm-one = ↩️ Take back: { $display }
tipact-indicator-not-on-tip = This tip does not name that phone, account or link.
tipact-not-fraud = This tip is not a fraud report.
tipact-no-indicators = This tip names no phone, account or link to confirm.
tipact-already-in-review = This tip is already waiting for review.
tipact-review-police-only = Tips about "{ $category }" are for the police only; they are not sent to the moderators.
tipact-restored = ↩️ Tip { $code } restored: it is open again for verification, and the reporter was told.
tipact-restore-not-review = Tip { $code } was not closed by a moderator, so there is nothing to restore.
inbox-card-review-closed = ✖️ Moderator { $name } { $how ->
        [merge] merged this tip into a duplicate
       *[other] rejected this tip
    } at { $time }. Press "Restore the tip" if it needs handling.
tipact-no-parent = This area has no higher level to escalate to.
tipact-escalated-police =
    ⬆️ <b>Tip { $code }</b> escalated from { $from_area }
    • Category: { $category }
    • New area: { $to_area }
    { $summary }
tipact-reporter-escalated = 🔔 Your tip <b>{ $code }</b> was passed up to { $area } for handling. Thank you!

relay-question =
    ❓ The police of { $unit } ask about tip <b>{ $code }</b>:
    { $text }

    Answer by replying to this message, or press "Answer".
relay-button-answer = ✍️ Answer
relay-answer =
    💬 The reporter answered about tip <b>{ $code }</b>:
    { $text }

    (Reply to this message to ask more.)
relay-ask-answer = Type your answer about tip <b>{ $code }</b> (a photo is fine too).
relay-question-sent = Your question was passed to the reporter of { $code }. The answer will arrive here.
relay-answer-sent = Your answer about tip { $code } was sent. Thank you!
relay-question-queued = Your question could not reach the reporter of { $code } just now; the bot will send it again. The answer will arrive here.
relay-undelivered = The question could not reach the reporter of { $code } (they may have blocked the bot).
relay-answer-queued = Your answer about { $code } is kept; it could not reach the police just now and the bot will send it again. No need to send it again.
relay-answer-undelivered = Your answer about { $code } could not be delivered yet. Please try again in a few minutes.
relay-no-reporter = The reporter of { $code } cannot be reached.
relay-unit-unknown = the ward
relay-photo-only = (photo)
relay-empty = The message is empty. Type something or send a photo.
relay-denied = You cannot answer this question.
relay-question-missing = This question no longer exists.

inbox-review-card =
    🛡 <b>Review tip { $code }</b>
    Area: { $area }
    Why: { $reasons }
    May repeat: { $duplicate }

    { $text }
inbox-review-rule-first_tip = first tip of this reporter
inbox-review-rule-flood = many tips from one person
inbox-review-rule-many_links = many links
inbox-review-rule-near_duplicate = looks like an open tip
inbox-review-rule-same_indicators = same phone/account as another tip
inbox-review-rule-officer = an officer asked for review
inbox-review-rule-list = { $first }; { $rest }
inbox-review-none = none
inbox-review-area-unknown = unknown
inbox-review-button-approve = ✅ Valid
inbox-review-button-reject = ✖️ Reject
inbox-review-button-merge = 🔗 Merge duplicate
inbox-review-button-escalate = ⬆️ Escalate
inbox-review-note-rejected = Not enough information to act on. Thank you for caring.
inbox-review-note-duplicate = duplicate of { $code }
inbox-review-reporter-rejected =
    🔔 Your tip <b>{ $code }</b> did not have enough information for the police to act on, so it was closed.
    Thank you for looking out for your neighbourhood. If you learn more, please send a new tip.
inbox-review-reporter-merged =
    🔔 Your tip <b>{ $code }</b> repeats tip <b>{ $kept }</b>, which the police are already handling, so it was merged into it.
    Thank you for the tip!
inbox-review-merge-no-target = It is not known which tip this one repeats, so it cannot be merged.
inbox-review-report-closed = Tip { $code } is already closed and cannot be changed.
inbox-review-report-missing = This tip was not found.
relay-answer-wait = You have sent many answers about tip { $code } within an hour. The police have them; please wait at most { $minutes } minutes before sending more, or send a new tip about something else.

# Tip cards redrawn when a tip changes (services/tip_cards.py)
tipcard-body = { $body }
tipcard-moved = Tip { $code } has moved out of your area; this card is no longer updated.
