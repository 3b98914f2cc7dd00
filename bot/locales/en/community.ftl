## Community: QR codes per area, who to call, procedures FAQ, thanks

## --- QR codes and residents' home areas (onb-) ---

onb-poster-header = NEIGHBOURHOOD SECURITY
onb-poster-scan = Scan to connect with your ward police
onb-poster-feature-1 = • Send security tips, anonymously if you wish
onb-poster-feature-2 = • Check phone numbers, bank accounts and links for scams
onb-poster-feature-3 = • Get police advisories and your area officer's phone number
onb-poster-emergency = Emergency: 113 Police · 114 Fire · 115 Ambulance
onb-poster-footer = Area code: { $code }

onb-button-yes = ✅ Yes, I live here
onb-button-no = ✖️ No
onb-button-subscribe = 🔔 Get advisories by direct message
onb-button-contacts = ☎️ Useful phone numbers
onb-button-choose = 📍 Choose my residential group

onb-unknown-code =
    The area code "{ $code }" is not known (the QR code may be outdated or misprinted).
    You can choose your residential group with /area.
onb-confirm =
    The QR code you scanned belongs to:
    <b>{ $place }</b>

    Is this where you live?
onb-home-set =
    ✅ Noted: you live in <b>{ $place }</b>.
    Your tips and advisories are linked to this area. To change it, type /area.
onb-home-set-moved =
    ✅ Noted: you live in <b>{ $place }</b>.
    Your direct-message advisories moved to the new area too. To change it, type /area.
onb-choose-prompt = Choose your ward, then your residential group:
onb-area-none =
    You have not chosen your residential group yet.
    Choose your ward, then your residential group:
onb-area-current =
    You live in: <b>{ $place }</b>.
    To change it, choose your ward, then your new residential group:
onb-area-gone = This area no longer exists. Please choose again with /area.
onb-need-area = You have not chosen your residential group yet. Please choose it first (button below or /area).
onb-subscribed =
    🔔 Subscribed. Police advisories for <b>{ $place }</b> will be sent to you directly.
    To stop, type /unsubscribe.
onb-already-subscribed = You already get the advisories of <b>{ $place }</b>. To stop, type /unsubscribe.
onb-unsubscribed = 🔕 Direct-message advisories stopped. To get them again, type /subscribe.
onb-not-subscribed = You are not subscribed to direct-message advisories. To subscribe, type /subscribe.

onb-qr-usage =
    Type /qr with an area code to get its QR posters, e.g. /qr { $codes }
    A ward's code gives one poster per residential group.
onb-qr-sending = Making { $count } QR poster(s)…
onb-qr-caption =
    <b>{ $place }</b>
    { $link }
onb-qr-caption-pdf = { $count } QR posters, one residential group per page. Print on A4.
onb-qr-too-many = This area has { $count } residential groups, too many to send in chat (at most { $limit }). Ask per ward, or have an admin run "anninh admin qr".
onb-qr-not-yours = You do not cover area { $code }, so you cannot get its QR codes.
onb-qr-too-many-cli = { $count } areas exceed the limit of { $limit }. Choose a smaller area.

onb-command-area = Choose your residential group
onb-command-subscribe = Get advisories by direct message
onb-help-area = /area — choose or change your residential group
onb-help-subscribe = /subscribe, /unsubscribe — turn direct-message advisories on or off

## --- Who to call (contact-) ---

contact-button = ☎️ Contacts
contact-button-tip = 📝 Send a tip now
contact-command = Your area police phone numbers
contact-help = /contacts — the duty line and your area officer's phone number

contact-card =
    ☎️ <b>Contacts — { $place }</b>

    { $duty }
    { $officer }

    🚨 Emergency (free, 24/7): <b>113</b> Police · <b>114</b> Fire · <b>115</b> Ambulance
contact-duty-line = 🏢 Police duty line, { $area }: <b>{ $phone }</b>
contact-duty-missing = 🏢 Ward police duty line: not entered yet (emergency: call 113).
contact-officer-line = 👮 Officer in charge: { $person }
contact-officer-missing = 👮 Officer in charge: not entered yet.
contact-person = { $has_rank ->
        [yes] { $rank } { $name }
       *[no] { $name }
    } — <b>{ $phone }</b>
contact-need-area = You have not chosen your residential group, so I don't know your area police yet. Message me /area privately to choose it.

contact-role-duty = duty line
contact-role-officer = officer in charge
contact-set-usage =
    Update the phone numbers residents see: type /setcontact, a new line, then one item per line:
    <code>/setcontact
    area: { $code }
    role: officer
    name: Tran Van Hung
    rank: Senior Lieutenant
    phone: 0912 345 678</code>

    Role: "officer" (the officer in charge of a residential group) or "duty" (the ward's duty line; give the ward's code).
contact-saved =
    ✅ Updated the { $role } of <b>{ $area }</b>:
    { $rank } { $name } — { $phone }
contact-role-invalid = Unknown role "{ $role }". Use "officer" or "duty".
contact-form-line = The line "{ $line }" has no colon. Write each line as "item: value".
contact-form-key = Unknown item "{ $key }". Use: area, role, name, rank, phone.
contact-too-long = The name or rank is too long (at most { $limit } characters).
contact-name-required = Please give the officer's name ("name: …").
contact-phone-invalid = "{ $phone }" is not a valid phone number. Example: 0912 345 678 or 0228 3636 113.
contact-not-yours = You do not cover area { $code }, so you cannot change its contacts.

## --- Procedures FAQ (faq-) ---

faq-button = 📚 Procedures
faq-button-more = 📚 Other questions
faq-button-tip = 📝 Send a tip
faq-button-not-it = Not what you meant? Send a tip
faq-command = Common procedures (residence, lost papers…)
faq-help = /faq — answers on procedures: temporary residence, absence, lost documents, scams, fire…

faq-topics = 📚 <b>Common questions.</b> Choose one, or type your own question:
faq-answer =
    <b>{ $question }</b>

    { $answer }
faq-search-results = I found these questions; choose the closest one:
faq-search-none = No answer yet for "{ $query }". Here are the common questions:
faq-empty = There are no questions yet. You can ask the ward police directly.
faq-not-found = This question is no longer available. Type /faq to see the others.

faq-edit-usage =
    Edit or add a question: type /editfaq, a new line, then one item per line (answers may span lines):
    <code>/editfaq
    slug: tam-tru
    question: Where do I register temporary residence?
    answer: Use VNeID or go to the ward police…
    keywords: temporary residence, rented room
    active: yes</code>

    Add English with "question en:" and "answer en:"; hide a question with "active: no".
    Existing slugs: { $slugs }
faq-created = ✅ Added question { $slug }: { $question }
faq-updated = ✅ Updated question { $slug }: { $question }
faq-form-line = The line "{ $line }" belongs to no item. Start with "slug: …", "question: …", "answer: …".
faq-position-invalid = The position "{ $value }" must be a number.
faq-active-invalid = "active" takes "yes" or "no" (you wrote "{ $value }").
faq-too-long = Too long (at most { $limit } characters).
faq-slug-invalid = The slug "{ $slug }" is not valid: use letters without accents, digits and hyphens, e.g. tam-tru.
faq-slug-missing = Please give the question's slug ("slug: …"), e.g. "slug: tam-tru".
faq-new-needs-text = The new question { $slug } needs both "question:" and "answer:".
faq-csv-header = The CSV lacks the column(s): { $columns } (needs slug,question_vi,answer_vi; optional question_en,answer_en,keywords,position,active).
faq-csv-row = Line { $line }: { $problem }

## --- Thanks (thanks-) ---

thanks-private =
    🙏 Thank you from the ward police! Your tip { $code } helped keep our neighbourhood safe.
    Your identity stays confidential. We hope you keep working with us.
thanks-public =
    🙏 The ward police thank the residents of { $area } for { $count } valuable tip(s) in { $period }.
    Every tip helps keep the neighbourhood safe. Tipsters' identities are always kept confidential.
    To send a tip: message the bot privately and type /tip. Emergency: call 113.
thanks-usage = Type /thanks with the code of a valuable tip, e.g. /thanks TB-2611-0123. The sender is thanked privately and stays anonymous.
thanks-code-invalid = That is not a valid tip code.
thanks-report-not-found = There is no tip with code { $code }.
thanks-not-yours = Tip { $code } is not in an area you cover.
thanks-area-not-yours = You do not cover area { $code }.
thanks-nothing-yet = No tip in { $area } has been marked valuable this month yet (use /thanks with a tip code).
thanks-already = Tip { $code } has already been thanked.
thanks-done = ✅ Tip { $code } marked as valuable; its sender has been thanked privately.
thanks-done-unreachable = ✅ Tip { $code } marked as valuable. Its sender cannot receive messages right now, so no thank-you was sent.
thanks-publish-usage = Type /publishthanks with an area code to send this month's thank-you to its residents' groups, e.g. /publishthanks { $codes }
thanks-published = ✅ Thank-you ({ $count } valuable tips) sent to { $groups } residents' group(s) of { $area }.{ $later ->
        [0] {""}
       *[other] {" "}{ $later } more group(s) could not take it yet: it will be sent again automatically.
    }
thanks-published-later = ⏳ { $area } has { $count } valuable tip(s). The thank-you could not reach its { $later } residents' group(s) yet: it will be sent again automatically.
thanks-published-nowhere = { $area } has { $count } valuable tip(s), but no residents' group received the thank-you ({ $failed } failed).
