## Greeting, help, language, common errors

start-greeting =
    Hello { $name }! 👋
    This is the neighbourhood security assistant of your ward police.
start-role-resident =
    You can:
    • send a tip about security and public order (anonymously if you wish),
    • report and check scam phone numbers, bank accounts and links,
    • follow the tips you sent and receive police advisories.
start-role-police =
    You are the ward police officer for: { $areas }.
    Residents' tips for your area reach you; you can handle them, reply to the reporter and broadcast warnings to the groups.
start-role-moderator =
    You are a moderator for: { $areas }.
    You review flagged reports and flagged group messages.
start-role-admin = You are a system administrator.
start-emergency = In an emergency call: 113 (Police), 114 (Fire), 115 (Ambulance).
start-menu-hint = Pick an action on the keyboard below, or type /help.
start-group =
    Hello everyone! I am the neighbourhood security assistant.
    Message me privately to send a tip (anonymously if you wish). In an emergency call 113.

help-text =
    <b>How to use</b>
    { $commands }

    In an emergency call 113 (Police), 114 (Fire), 115 (Ambulance).
help-command-start = /start — start, show the action keyboard
help-command-help = /help — this help
help-command-language = /language vi|en — change language

language-current = Current language: English. Choose a language:
language-set = Switched to English.
language-unknown = There is no language "{ $value }". Choose: vi (Tiếng Việt) or en (English).
language-name-vi = Tiếng Việt
language-name-en = English

button-help = ❓ Help
button-language = 🌐 Language

error-generic = Sorry, something went wrong. Your request was not carried out; please try again in a few minutes.
error-database-unavailable = The system cannot store data right now. Your message has NOT been recorded; please try again in a few minutes. In an emergency call 113.
error-unknown-command = I don't know the command { $command }. Type /help to see the commands.
error-button-expired = This button has expired. Please start again.
error-permission-denied = You are not allowed to do this.
error-private-only = This command only works in a private chat with the bot.
error-group-only = This command only works in a group.
error-text-too-long = Your message is too long ({ $length } characters). The limit is { $limit }.
error-flood = You are sending too fast. Please wait { $seconds } seconds and try again.

command-start = Start
command-help = Help
command-language = Change language

error-not-found = Not found.
error-invalid-input = Invalid input.
area-code-invalid = Area code "{ $code }" is invalid: use upper-case letters without accents, digits, "-" or "_", at most 32 characters.
area-code-taken = Area code { $code } already exists.
area-kind-invalid = Area kind "{ $kind }" is invalid. Use: province, district, ward, residential_group.
area-name-empty = The area name must not be empty.
area-parent-required = An area of kind { $kind } needs a parent area (--parent).
area-parent-kind = An area of kind { $kind } cannot be placed under an area of kind { $parent_kind }.
area-not-found = There is no area with code { $code }.
area-csv-header = The CSV file lacks columns: { $columns } (expected code,name,kind,parent_code).
area-csv-parent = Line { $line }: parent area { $code } not found.
police-unit = { $kind ->
        [ward] { $name } Ward
        [commune] { $name } Commune
        [township] { $name } Township
        [special-zone] { $name } Special Zone
        [district] { $name } District
        [town] { $name } Town
        [city] { $name } City
        [province] { $name } Province
       *[other] { $name }
    }
grant-role-invalid = Role "{ $role }" is invalid. Use: admin, police, moderator.
grant-user-unknown = User @{ $username } not found. They need to message the bot first.
user-username-ambiguous = More than one account goes by @{ $username }, so the bot cannot tell who is meant. Reply to one of their messages, then type the command.
grant-user-missing = Say who receives the role (--user ID or @username).
role-admin = administrator
role-police = ward police officer
role-moderator = moderator
area-picker-prompt = Choose the area:
area-picker-whole = ✅ All of { $name }
area-picker-up = ⬅️ Back
area-picker-empty = No areas have been set up yet. Please contact your ward police.

## Shared vocabulary: the names of a tip's statuses and of the police's actions. Everywhere
## else (tip cards, buttons, notices to the reporter, statistics, web pages) reuses these words.

status-received = Received
status-verifying = Being verified
status-handled = Handled
status-rejected = Not confirmed
action-verify = Verify
action-handled = Handled
action-reject = Not confirmed
action-escalate = Escalate
action-reply = Ask the reporter
action-scam = Confirm scam
action-review = Send to review
action-helpful = Thank the reporter
action-restore = Restore the tip
action-cancel = Cancel
