## Scam check (/check), police confirmation, automatic group warnings

scam-button = 🔍 Check a scam
scam-command-kiemtra = Check a phone number, account or link for scams (Vietnamese)
scam-command-canhbaotudong = Turn automatic scam warnings in this group on/off
scam-help-kiemtra = /check &lt;phone | bank account | link&gt; — see whether anyone reported it as a scam
scam-help-canhbaotudong = /autowarn on|off — (police, moderators) turn automatic scam warnings on/off in a group

scam-check-ask =
    What would you like to check? Send the <b>phone number</b>, <b>bank account</b> or <b>link</b>.
    For example: 0912 345 678 — Vietcombank 0123456789 — vcb-hotro.com
scam-check-placeholder = Phone number, bank account or link
scam-check-usage =
    Add what you want to check, for example:
    /check 0912 345 678
    /check Vietcombank 0123456789
    /check vcb-hotro.com
scam-check-unparseable =
    I can't recognise this as a phone number, bank account or link.
    You can send it like this:
    • Phone: 0912 345 678 or +84 912 345 678
    • Bank account: Vietcombank 0123456789 (the bank name helps)
    • Link: vcb-hotro.com or https://vcb-hotro.com/xac-nhan
    • Facebook, Zalo: facebook.com/some.name, zalo.me/0912345678

scam-kind-phone = Phone number
scam-kind-bank_account = Bank account
scam-kind-url = Link
scam-kind-social = Social media account

scam-check-none =
    🔍 { $kind } <b>{ $display }</b>: <b>nobody has reported it</b> yet.
    That does NOT mean it is safe. Never send money, never read out an OTP code to strangers, never open unknown links.
    If something feels wrong, send a tip to the ward police. If you have lost money, call 113 now.
scam-check-unverified =
    ⚠️ { $kind } <b>{ $display }</b>: <b>1 unverified report</b> from a resident says this is a scammer's.
    Not confirmed by the police yet, but please be very careful.

    Do not send money, do not read out OTP codes, do not open links. If you already paid or are being threatened, call 113 now.
scam-check-reported =
    ⚠️ { $kind } <b>{ $display }</b> has been reported as a scam by <b>{ $people } people</b>.
    Areas: { $wards }{ $more ->
        [0] {""}
       *[other] {" "}and { $more } more
    }
    Not confirmed by the police yet, but please be very careful.

    Do not send money, do not read out OTP codes, do not open links. If you already paid or are being threatened, call 113 now.
scam-check-confirmed =
    🚨 { $kind } <b>{ $display }</b>: <b>the police have confirmed this is a scam</b> (on { $date }).{ $people ->
        [0] {""}
       *[other] {"\u000A"}Reported by { $people } people. Areas: { $wards }{ $more ->
            [0] {""}
           *[other] {" "}and { $more } more
        }
    }

    Do not send money, do not read out OTP codes, do not open links. If you already paid or are being threatened, call 113 now.
scam-area-unknown = area unknown

scam-confirm-button = ✅ { action-scam }
scam-confirm-done = { $display } is now confirmed as a scam. Groups with warnings on will be alerted when someone posts it.
scam-confirm-already = { $display } was already confirmed.
scam-unconfirm-done = { $display } is no longer confirmed: look-ups will not say "confirmed by the police" any more.
scam-confirm-denied = Only the police of an area where it was reported can confirm it.
scam-not-reported = No report mentions this number, account or link.

scam-group-warning =
    🚨 <b>Scam warning!</b> The message above contains { $items }, confirmed as a scam by the police.
    Do not contact them, do not send money, do not open links. If you have been cheated, call 113 now.
scam-group-item = { $kind } { $display }

scam-toggle-usage = Usage: /autowarn on or /autowarn off
scam-toggle-status-on = Automatic scam warnings are <b>ON</b> in this group.
scam-toggle-status-off = Automatic scam warnings are <b>OFF</b> in this group.
scam-toggle-on = Automatic scam warnings are on: when someone posts a number, account or link the police confirmed as a scam, I will warn the group.
scam-toggle-off = Automatic scam warnings are off in this group.
scam-toggle-not-linked = This group is not linked to an area yet, so automatic warnings are not available.
scam-toggle-denied = Only the police or moderators of this area can turn warnings on or off.
scam-check-wait = You have checked many times in a short while. Please wait a few minutes (at most { $minutes } minutes) and check again. If you are being scammed right now, call 113.
