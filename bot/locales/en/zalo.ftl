## Zalo channel (zalo-): numbered choices instead of buttons, linking Telegram and Zalo accounts

zalo-or = or
zalo-choose = 👉 Reply { $numbers } to choose.
zalo-choice-cancel = ❌ { action-cancel }
zalo-choice-start-tip = 📝 Send a tip
zalo-choice-unknown = There is no choice number { $number }. Reply with one of the numbers in the latest message, or type "help".
zalo-old-choice = That choice belongs to an earlier step. Please answer the question below:
zalo-use-numbers = Please answer with one of the numbers below.
zalo-open-link = Open this link: { $url }
zalo-media-hidden = (With { $count } photo(s)/file(s) — viewable on Telegram only.)
zalo-location = 📍 Location on the map: https://maps.google.com/?q={ $lat },{ $lon }

zalo-help =
    👋 Hello! This is the ward police's security channel on Zalo.
    Type one of these commands:
    • tip — send a tip to the police (anonymously if you like)
    • scam — report a scam phone number, bank account or link
    • mytips — see the tips you sent and what happened to them
    • check 0912 345 678 — check whether a phone number, account or link was reported as a scam
    • area — choose the residential group you live in
    • subscribe — receive police advisories by private message (unsubscribe to stop)
    • link — link with your Telegram account
    • cancel — cancel the tip you are writing
    In an emergency call 113 (Police), 114 (Fire), 115 (Ambulance).
zalo-group-hint =
    To protect tipsters, tips are sent only in a private chat: message me privately and type "tip".
    In the group you can mention me with "check" and a phone number, account or link to check for scams.
zalo-group-coming-soon = Zalo groups are not available yet: the Zalo Bot Platform lists groups for bots as "coming soon" (an internal beta). To try it, set ZALO_GROUPS_ENABLED=true.
zalo-group-unseen = The bot has not seen this Zalo group yet. Mention the bot in the group once (type @ and pick its name), then link again; the group's id is listed by "anninh admin chats".
zalo-photo-outside = Want to send a photo to the police? Start a tip, then send the photo again.
zalo-photo-wrong-step = Photos can only be added while describing what happened. Please answer the question below:
zalo-check-usage =
    Type what to check after the command, for example:
    check 0912 345 678
    check Vietcombank 0123456789
    check vcb-hotro.com

zalo-offer =
    Do you want to send this to the police as a tip?{ $truncated ->
        [yes] {"\u000A"}(It was too long, so only the beginning is kept.)
       *[no] {""}
    }
zalo-offer-declined = All right. When you need to send a tip, type "tip". Type "help" for instructions.
zalo-cancelled = Cancelled. Type "tip" to start again when you need to.

zalo-ask-category =
    Step 1. What do you want to report?
zalo-ask-description =
    Category: { $category }
    Describe what happened: what, where, when, who. You can also send photos.
    When you are done, reply 1 to continue.
zalo-ask-description-more =
    Category: { $category }
    Noted{ $count ->
        [0] {""}
       *[other] {" "}with { $count } photo(s)
    }. You can send more text or photos, or reply 1 to continue.
zalo-text-received = ✍️ Noted. You can write more, send photos, or reply 1 to continue.
zalo-photo-received = 📎 Photo received ({ $count } in total). Send more, or reply 1 to continue.
zalo-ask-fraud =
    Details of the scammer (if any): phone numbers, bank account and bank, links, Facebook/Zalo accounts...
    Type them in one message, or reply 1 to skip.
zalo-ask-fraud-pick =
    This is what I understood as the scammer's (☑).
    If a phone number or account here is your own, reply with its number to untick it (☐): it goes to the police only and is never shown to anyone checking it.
zalo-ask-location =
    Where did it happen?
    • Type the address (house number, lane, street), or
    • paste a Google Maps link, or coordinates like 20.4387, 106.1621, or
    • reply 1 to skip.
zalo-ask-area = Which residential group is this in? { $place }
zalo-area-option = { $name }
zalo-area-up = ⬅️ Back
zalo-summary =
    Please check your tip
    • Category: { $category }
    • Description: { $text }
    • Photos: { $attachments }
    • Place: { $location }
    • Residential group: { $area }
    • { $anonymous }{ $is_fraud ->
        [yes] {"\u000A"}• Scammer details: { $fraud }{"\u000A"}• The scammer's (shown to people who check, never with your name): { $given }
       *[no] {""}
    }
zalo-tip-submitted =
    ✅ Tip { $code } sent ({ $category }).
    It is stored and forwarded to the police of the area. You will get a message when it is handled. Type "mytips" to see it again.
    Keep the code { $code } in case you need to get in touch.

    In an emergency call 113 (Police), 114 (Fire), 115 (Ambulance).

zalo-mytips-empty = You have not sent any tips yet. Type "tip" to send your first one.
zalo-mytips-list =
    Your tips ({ $total }, page { $page }/{ $pages }):
    { $lines }
zalo-relay-answer-prompt = ✍️ Type your answer to the police about tip { $code } (you may add a photo). The police do not see your name or Zalo account.

zalo-area-current = You are in: { $place }. To change it, choose below.
zalo-home-set =
    ✅ Noted: you live in { $place }.
    To receive police advisories by private message, type "subscribe".

zalo-link-command = Link with your Zalo account
zalo-link-help = /linkaccount (/lienkettaikhoan) — link your Telegram and Zalo accounts to see your tips in both
zalo-link-code-telegram =
    🔗 Your link code: <b>{ $code }</b> (valid for { $minutes } minutes).
    Open Zalo and send the security bot: <b>lienket { $code }</b>
    Do not share this code with anyone.
zalo-link-code-zalo =
    🔗 Your link code: { $code } (valid for { $minutes } minutes).
    Open Telegram and send the security bot: /linkaccount { $code }
    Do not share this code with anyone.
zalo-link-done = ✅ Your Telegram and Zalo accounts are linked ({ $name }). Your tips are visible in both.
zalo-link-bad-code = The link code is wrong or has expired. Get a new one ("lienket" on Zalo or /linkaccount on Telegram) and try again.
zalo-link-same-channel = Enter this code in the other app: a code from Telegram goes into Zalo, and the other way round.
zalo-link-already = This account was already linked.
zalo-link-too-many = Too many wrong codes. Please wait { $minutes } minutes and try again.
zalo-link-wrong-channel = Linking is not possible from this channel.

## Zalo wording of a few messages written for Telegram (zalo-via-<original key>)
zalo-via-relay-question =
    ❓ The police of { $unit } ask about tip { $code }:
    { $text }
zalo-link-confirm-claim =
    This code belongs to the { $channel } account “{ $name }”.
    Link this account with that one as one person (tips, area and subscription shared)? Confirm only if both accounts are yours; if someone asked you to type this code, press Cancel.
zalo-link-confirm-owner =
    The { $channel } account “{ $name }” has just typed your link code.
    Link the two accounts as one person? If that is not you, press Cancel.
zalo-link-waiting = Noted. Please confirm once more on { $channel } (in the message just sent to that account).
zalo-link-cancelled = The account link request was cancelled. Nothing changed.
zalo-link-button-yes = ✅ Confirm, it is me
zalo-link-button-no = ❌ Cancel
