## Residents' tips (tip-), categories (category-), my tips (mytips-)

category-crime = 🚨 Crime (theft, robbery, fights...)
category-social_evils = 💊 Social evils (drugs, gambling, prostitution)
category-property_fire = 🔥 Property, fire and explosion
category-order = 🚦 Traffic, public and urban order
category-reintegration = 🤝 Offenders being reintegrated
category-online_fraud = ⚠️ Online fraud
category-other = 📌 Something else

tip-menu-send = 📝 Send a tip
tip-menu-scam = ⚠️ Report a scam
tip-command-baotin = Send a tip to the police
tip-command-canhbaolua = Report online fraud
tip-command-huy = Cancel the tip being written
tip-help-baotin = /tip (/baotin) — send a tip to the police (anonymously if you wish)
tip-help-canhbaolua = /scam (/canhbaolua) — report scam phone numbers, accounts, links
tip-help-huy = /cancel (/huy) — cancel the tip being written

tip-private-only = To protect whoever sends a tip, tips are sent only in a private chat. Tap the button below to message me privately, then type /tip.
tip-button-open-private = 💬 Message the bot privately

tip-ask-category =
    <b>Step 1.</b> What would you like to report?
    Tap one of the options below. Type /cancel to stop.
tip-fraud-intro = ⚠️ Reporting online fraud. Thank you for looking out for everyone!
tip-ask-description =
    <b>Topic:</b> { $category }
    Tell us what happened: what, where, when, who was involved.
    You can also send photos, videos, voice messages.
    When you are done tap <b>✅ Done, continue</b>.
tip-ask-description-more =
    <b>Topic:</b> { $category }
    Your text is recorded{ $count ->
        [0] {""}
        [one] {" "}with 1 attachment
       *[other] {" "}with { $count } attachments
    }. You can send more text, photos, videos, or tap <b>✅ Done, continue</b>.
tip-button-done = ✅ Done, continue
tip-button-cancel = ❌ { action-cancel }
tip-button-skip = ⏭ Skip
tip-text-received = ✍️ Recorded. You can write more, send photos/videos, or tap <b>✅ Done, continue</b>.
tip-text-cut = ✂️ The text was too long, so only the first { $limit } characters were kept. What was kept is saved; if needed, send the rest more briefly.
tip-attachment-received = 📎 Attachment received ({ $count } in total). Send more, or tap <b>✅ Done, continue</b>.
tip-album-received = 📎 Album received. Send more, or tap <b>✅ Done, continue</b>.
tip-sticker = Stickers cannot be attached to a tip. Please write text or send photos, videos, voice messages.
tip-unsupported = This kind of content cannot be attached yet. Please write text or send photos, videos, voice messages, documents.
tip-too-many-attachments = A tip can carry at most { $limit } attachments. Those already sent are kept; tap <b>✅ Done, continue</b>.
tip-empty = The tip is empty. Write a few lines or send a photo before continuing.
tip-empty-text = This message has no readable text. Please write it again in plain letters.

tip-ask-fraud =
    <b>About the scammer</b> (if you know):
    phone numbers, bank account numbers and bank, links, websites, Facebook/Zalo accounts...
    Type them in one message, or tap <b>⏭ Skip</b>.
tip-ask-fraud-pick =
    <b>This is what I understood as the scammer's</b> (☑).
    If a phone number or account here is <b>your own</b>, tap it to untick it (☐): it goes to the police only and is never shown to anyone checking it.
    Only ☑ items are shown to people who check with /check (never with your name). When done, tap <b>✅ That's right, continue</b>.
tip-pick-on = ☑ { $display } — the scammer's
tip-pick-off = ☐ { $display } — mine
tip-button-picks-done = ✅ That's right, continue

tip-ask-location =
    <b>Where did it happen?</b>
    • Tap <b>📍 Send current location</b> if you are there, or
    • type the address (house number, alley, street), or
    • tap <b>⏭ Skip location</b>.
tip-button-send-location = 📍 Send current location
tip-button-skip-location = ⏭ Skip location
tip-location-received = 📍 Location received.
tip-location-skipped = Location skipped.
tip-address-received = 🏠 Address recorded.
tip-address-cut = 🏠 The address was too long, so only the first { $limit } characters were kept.
tip-location-invalid = That location is not valid. Send it again or type the address.

tip-ask-area-home = <b>Which residential group is this in?</b> Last time you chose { $name }.
tip-button-home-area = 🏠 { $name }
tip-button-other-area = 🔎 Choose another group
tip-ask-area = <b>Which residential group is this in?</b> Tap to choose:
tip-area-empty-level = There is no residential group here yet. Tap "Back" to choose another place.
tip-area-chosen = ✅ Residential group: { $name }
tip-area-invalid = Please choose a residential group from the list.
tip-area-unknown = unknown

tip-ask-anonymous =
    <b>Do you want to stay anonymous?</b>
    If you choose anonymous, the police see only the tip's code, not your name or account. You can still follow your tip.
tip-button-anonymous = 🙈 Anonymous (hide my name)
tip-button-named = 👤 Show my name to the police

tip-summary =
    <b>Please check your tip</b>
    • Topic: { $category }
    • Text: { $text }
    • Attachments: { $attachments }
    • Place: { $location }
    • Residential group: { $area }
    • { $anonymous }{ $is_fraud ->
        [yes] {"\u000A"}• About the scammer: { $fraud }{"\u000A"}• The scammer's (shown to people who check, never with your name): { $given }
       *[no] {""}
    }
    Tap <b>✅ Send the tip</b> if it is right.
tip-summary-pin = 📍 map location given
tip-summary-address = { $address }
tip-summary-anonymous = Anonymous
tip-summary-named = Name shown to the police
tip-none = none
tip-button-send = ✅ Send the tip
tip-button-edit = ✏️ Edit
tip-ask-edit = What would you like to change?
tip-edit-category = Topic
tip-edit-description = Text (write again)
tip-edit-fraud = About the scammer
tip-edit-location = Place
tip-edit-area = Residential group
tip-edit-anonymity = Anonymous or not
tip-button-back-summary = ⬅️ Back to the summary

tip-submitted =
    ✅ <b>Tip { $code } sent</b> ({ $category }).
    It is stored and passed to the police of the area. You will be told when it is handled. See it again with /mytips.
    Keep the code { $code } in case you need to get in touch.

    In an emergency call now: 113 (Police), 114 (Fire), 115 (Ambulance).
tip-rate-limited = You have sent { $limit } tips in the past hour. So that the police can keep up, please send the next one in about { $minutes } minutes. Your draft is kept. In an emergency call 113.

tip-cancelled = The tip being written was cancelled. Tap 📝 Send a tip to start again.
tip-nothing-to-cancel = You have no tip being written.
tip-resume = You have a tip you had started — continue or drop it?
tip-button-resume = ▶️ Continue that tip
tip-button-discard = 🗑 Drop it, write a new one
tip-nothing-to-resume = That draft is gone. Tap 📝 Send a tip to start.
tip-no-draft = You have no tip being written. Tap 📝 Send a tip or type /tip to start.
tip-old-button = That button belongs to an earlier step. Please answer the question below:
tip-wrong-step = That button belongs to an earlier step.
tip-use-buttons = Please answer with the buttons below:
tip-category-unknown = That option no longer exists. Please choose again.
tip-edit-ignored = Edited messages are not applied to a tip. To change the text, send a new message; the summary has an ✏️ Edit button.

tip-offer =
    Would you like to send this to the police as a tip?{ $truncated ->
        [yes] {"\u000A"}(It was too long, so only the beginning is kept.)
       *[no] {""}
    }
tip-button-offer-yes = 📝 Yes, send it as a tip
tip-button-offer-no = No, thanks
tip-offer-declined = All right. To send a tip, tap 📝 Send a tip. Type /help for help.
tip-sticker-outside = 👋 Hello! To report something to the police, tap 📝 Send a tip.
tip-media-outside = Want to send a location to the police? Tap 📝 Send a tip (or type /tip) and send it at the step "Where did it happen?".
tip-media-offer = Would you like to send this to the police as a tip? Tap "Yes" to start: the photo or file you just sent is attached already.

tip-police-header = 🆕 New tip
tip-police-header-unrouted = ⚠️ Tip with no police covering the area — please assign
tip-police-new =
    <b>{ $header } { $code }</b>
    • Topic: { $category }
    • Area: { $area }
    • Time: { $time }
    • Reporter: { $reporter }
    • Address: { $address }
    • Map location: { $pin }
    • Attachments: { $attachments }{ $is_fraud ->
        [yes] {"\u000A"}• About the scammer: { $fraud }
       *[no] {""}
    }

    { $summary }
tip-pin-yes = yes (see the map pin)
tip-reporter-anonymous = Anonymous
tip-action-verify = 🔎 { action-verify }
tip-action-handled = ✅ { action-handled }
tip-action-reject = ✖️ { action-reject }
tip-action-escalate = ⬆️ { action-escalate }
tip-action-reply = 💬 { action-reply }

tip-status-received = 🟡 { status-received }
tip-status-verifying = 🔎 { status-verifying }
tip-status-handled = ✅ { status-handled }
tip-status-rejected = ✖️ { status-rejected }
tip-status-changed =
    🔔 Your tip <b>{ $code }</b>: { $status }{ $has_note ->
        [yes] {"\u000A"}Police note: { $note }
       *[no] {""}
    }
tip-status-conflict = Tip { $code } was just updated by someone else. Open it again to see its new status.
tip-status-invalid = Invalid status.
tip-status-transition = Cannot go from "{ $old }" to "{ $new }".
tip-report-not-found = This tip was not found.

mytips-menu = 📋 My tips
mytips-command = Tips I have sent
mytips-help = /mytips (/tincuatoi) — the tips you sent and what became of them
mytips-empty = You have not sent any tips yet. Tap 📝 Send a tip to send your first.
mytips-list =
    <b>Your tips</b> ({ $total } in all, page { $page }/{ $pages }):
    { $lines }

    Tap a tip to see its details.
mytips-line = • <b>{ $code }</b> — { $category } — { $status } — { $date }
mytips-button = { $code } · { $status }
mytips-prev = ◀️ Previous
mytips-next = Next ▶️
mytips-back = ⬅️ List of tips
mytips-open = 📋 Open the tip
mytips-not-found = This tip is not among yours.
mytips-detail =
    <b>Tip { $code }</b>
    • Topic: { $category }
    • Status: { $status }
    • Sent: { $date }
    • Residential group: { $area }
    • { $anonymous }
    • Attachments: { $attachments }
    • Text: { $text }

    <b>History</b>
    { $history }
mytips-history-line = { $date }: { $status }{ $has_note ->
        [yes] {" "}— { $note }
       *[no] {""}
    }
tips-ward-flood = ⚠️ { $area }: more than { $count } tips in the last { $minutes } minutes, from several accounts. Someone may be flooding the inbox. Every tip is still stored and routed as usual; see /inbox.
