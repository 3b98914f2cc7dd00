## Groups: linking, settings, grants

group-link-usage =
    Usage: /link &lt;area code&gt; [police|residents]
    • police — the police work chat of the area (new tips arrive here)
    • residents — a residents' group (advisories go here), the default
group-linked = This group is now linked to { $area } ({ $code }) — { $purpose }.
group-purpose =
    { $purpose ->
        [police] police work chat
        [residents] residents' group
       *[other] { $purpose }
    }
group-purpose-invalid = Unknown group type "{ $purpose }". Use: police or residents.
group-bot-not-admin = ⚠️ The bot is not an administrator of this group, so it cannot delete messages, mute members or verify newcomers. Please make the bot an administrator (delete messages and restrict members).
group-unlinked = This group is no longer linked to { $area }.
group-not-linked = This group is not linked to any area yet. The area's police can type /link &lt;area code&gt;.
group-link-denied = You may not link groups to { $area }. Only the police or admins of that area can.
group-settings =
    <b>Group settings</b>
    • Hide a message after <b>{ $report_threshold }</b> reports · <code>report_threshold</code>
    • Mute after <b>{ $warn_limit }</b> warnings · <code>warn_limit</code>
    • Mute after warnings: <b>{ $warn_mute_minutes }</b> minutes · <code>warn_mute_minutes</code>
    • Default mute: <b>{ $mute_minutes }</b> minutes · <code>mute_minutes</code>
    • Verify newcomers: <b>{ $verify ->
        [on] on
       *[off] off
    }</b> · <code>verify</code>
    • Time to verify: <b>{ $verify_seconds }</b> seconds · <code>verify_seconds</code>
    • Anti-flood: more than <b>{ $flood_messages }</b> messages in <b>{ $flood_seconds }</b> seconds · <code>flood_messages</code>, <code>flood_seconds</code>
    • Mute for flooding: <b>{ $flood_mute_minutes }</b> minutes · <code>flood_mute_minutes</code>
    Change: /settings &lt;name&gt; &lt;value&gt;, e.g. /settings warn_limit 5
group-setting-unknown = There is no setting "{ $key }". Type /settings to see the list.
group-setting-range = { $key } must be a number from { $low } to { $high }.
group-setting-onoff = { $key } only takes on or off.
group-verify-usage = Usage: /verify on or /verify off
group-verify-on = Newcomer verification is on: new members must press the button within { $minutes } minutes or they are removed.
group-verify-off = Newcomer verification is off.
group-grant-usage =
    Usage: /grant @username police|moderator &lt;area code&gt;
    or reply to their message: /grant moderator &lt;area code&gt;
group-granted = Granted { $role } ({ $code }) to { $name }.
group-grant-exists = { $name } already has { $role } ({ $code }).
group-revoked = Role revoked.
group-revoke-none = This person does not have that role.
group-help-link = /link &lt;code&gt; [canhsat|dan] — link a group to an area (police)
group-help-grant = /grant, /revoke — give or take moderator rights
group-command-link = Link the group to an area

## Group moderation

mod-not-allowed = You are not a moderator of { $area }.
mod-reply-needed = Reply to the message of the person concerned, then type the command, or name them after it, e.g. /ban @username
mod-user-unknown = The bot has never seen @{ $username } write, so it does not know who that is. Reply to one of their messages, then type the command.
mod-target-self = You cannot use this on yourself.
mod-target-protected = This person is a moderator or police officer of the area and cannot be handled with this command.
mod-bot-cannot-act = The bot could not do this: check that it is an administrator of the group (delete messages and restrict members).
mod-report-how = To report a bad message: press and hold it, choose "Reply", then type /report.
mod-report-thanks = Thank you, your report is recorded ({ $count }/{ $threshold }). A moderator will look at it.
mod-report-already = You already reported this message. Thank you.
mod-report-hidden = The message was hidden after { $count } reports. A moderator will look at it.
mod-report-bot = Messages of bots cannot be reported.
mod-report-self = You cannot report your own message.
mod-report-protected = Thank you. This person is a moderator or officer of the area, so the report goes to the area's police to look at, not to the moderators. Your name is not passed on.
mod-report-protected-police =
    🛡 <b>A report about a message of { $name }</b> (a moderator or officer of { $area })
    Group: { $group }
    A group member reported the message below. As its author is a moderator or officer of the area, the bot neither hid it nor queued it for the moderators: it is the police's to look at.
    Message: { $text }
mod-warned = ⚠️ { $name } has been warned ({ $count }/{ $limit }). { $reason }
mod-warn-muted = 🔇 { $name } reached the warning limit and is muted until { $until }.
mod-warn-repeated = This warning for { $name } was already recorded.
mod-unwarned = Removed one warning of { $name }. { $count } left.
mod-no-warnings = { $name } has no warnings.
mod-duration-invalid = "{ $value }" is not a valid duration. Examples: 30m, 2h, 1d.
mod-muted = 🔇 { $name } is muted until { $until }.
mod-unmuted = { $name } may write again.
mod-banned = ⛔ { $name } has been banned from the group.
mod-unbanned = { $name } is unbanned and may rejoin the group.
mod-flood-muted = 🔇 { $name } sent too many messages too fast and is muted until { $until }. A moderator will look at it.
mod-verify-prompt = Welcome { $name }! To keep automated accounts out, please press the button below within { $minutes } minutes to be able to write in the group.
mod-verify-button = ✅ I am human, not a bot
mod-verify-done = Thank you! You can now write in the group.
mod-verify-not-you = This button is for the new member, not for you.
mod-verify-not-pending = This verification is already done or has expired.
mod-help-report = /report — reply to a bad message to alert the moderators
mod-help-moderate = /warn, /mute, /ban (and /unwarn, /unmute, /unban) — moderate the group: reply to the person's message, or put @name after the command
mod-command-report = Report a bad message (reply to it)

## Review queue

review-not-allowed = Only moderators and police can see the review queue.
review-overview =
    <b>Review queue</b>: { $total } item(s)
    { $lines }
review-count-line = • { $area }: { $count }
review-empty = Nothing left to review. 👍
review-card-group =
    <b>Review #{ $id }</b> — { $reason }
    Group: { $group } ({ $area })
    Sender: { $name }
    Reports: { $count }{ $hidden ->
        [yes] {" "}— message hidden
       *[other] {""}
    }
    Indicators: { $indicators }
    Text: { $text }
review-card-generic =
    <b>Review #{ $id }</b> ({ $kind }) — { $reason }
    Area: { $area }
    { $text }
review-reason =
    { $reason ->
        [reported] reported message
        [flood] message flood
        [bot_account] a bot account joined
        [suspicious_name] phone number or link in the name
       *[other] { $reason }
    }
review-button-next = ⏭ Skip
review-button-dismiss = ✅ Dismiss report
review-button-delete = 🗑 Delete message
review-button-warn = ⚠️ Warn
review-button-mute = 🔇 Mute
review-button-ban = ⛔ Ban
review-done = Done.
review-acted = Item #{ $id }: { $action }.
review-action-dismiss = report dismissed
review-action-delete = message deleted
review-action-warn = member warned
review-action-mute = member muted
review-action-ban = member banned
review-action-approve = tip confirmed as valid
review-action-reject = tip rejected
review-action-merge = merged into the duplicate
review-action-escalate = escalated
review-action-other = done
review-denied = You may not act on this item. The attempt has been logged.
review-item-missing = This review item does not exist.
review-item-closed = Someone else already handled this item.
review-action-unknown = Unknown action.
review-item-no-chat = The group of this item is no longer known.
review-help = /review — the review queue (moderators, police)
review-command = Review queue

## Audit log

audit-not-allowed = Only moderators, police or admins can read the audit log.
audit-empty = The audit log has no entries for your areas yet.
audit-header = <b>Audit log</b> (page { $page })
audit-entry =
    <b>{ $when }</b> · { $actor }
    { $action } · { $area } { $target }
audit-actor =
    { $kind ->
        [system] system
        [resident] a resident
       *[other] { $kind }
    }
audit-action-grant-add = role granted
audit-action-grant-remove = role revoked
audit-action-chat-link = group linked
audit-action-chat-unlink = group unlinked
audit-action-chat-settings = group settings changed
audit-action-chat-bot_status = bot added/removed/promoted in a group
audit-action-mod-hide = reported message hidden
audit-action-mod-report_to_police = report about an officer, passed to the police
audit-action-mod-delete = message deleted
audit-action-mod-warn = warning
audit-action-mod-unwarn = warning removed
audit-action-mod-mute = mute
audit-action-mod-unmute = unmute
audit-action-mod-ban = ban
audit-action-mod-unban = unban
audit-action-mod-verify_kick = removed (not verified)
audit-action-review-dismiss = review: report dismissed
audit-action-review-delete = review: message deleted
audit-action-review-warn = review: warning
audit-action-review-mute = review: mute
audit-action-review-ban = review: ban
audit-action-review-approve = review: tip valid
audit-action-review-reject = review: tip rejected
audit-action-review-merge = review: duplicate merged
audit-action-review-escalate = review: escalated
audit-action-review-denied = review action refused
audit-action-review-failed = review action failed
audit-action-report-status = tip status changed
audit-action-report-escalate = tip escalated
audit-action-report-review = tip sent to review
audit-action-report-restore = tip restored
audit-action-report-merge = duplicate tip merged
audit-action-report-review_reject = tip closed by a moderator
audit-action-report-relay_question = question to the reporter
audit-action-report-helpful = tip marked valuable
audit-action-scam-confirm = scam confirmed
audit-action-scam-unconfirm = scam confirmation withdrawn
audit-action-scam-group_warnings = automatic scam warnings turned on/off
audit-action-advisory-create = warning composed
audit-action-advisory-missed = warning runs missed
audit-action-advisory-retract = warning retracted
audit-action-advisory-pause = warning paused
audit-action-advisory-resume = warning resumed
audit-action-advisory-edit_text = warning edited
audit-action-advisory-delete = warning schedule deleted
audit-action-area-add = area added
audit-action-area-import = areas imported
audit-action-contact-set = contact updated
audit-action-contact-remove = contact removed
audit-action-faq-set = FAQ edited
audit-action-faq-import = FAQ imported
audit-action-thanks-publish = public thanks sent
audit-action-stats-weekly_digest = weekly report turned on/off
audit-action-web-signin = web sign-in
audit-action-account-link = accounts linked
audit-target = { $type ->
        [report] (tip #{ $id })
        [review_item] (review item #{ $id })
        [indicator] (scam contact #{ $id })
        [advisory] (warning no. { $id })
        [chat] (group { $id })
        [area] (area #{ $id })
        [area_contact] (contact #{ $id })
        [faq] (FAQ #{ $id })
       *[other] (#{ $id })
    }
audit-action-other = other action ({ $action })
audit-newer = ◀ Newer
audit-older = Older ▶
audit-help = /audit — the log of actions in your areas
audit-command = Audit log
