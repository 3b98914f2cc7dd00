# anninh demo
demo-refused = Demo data not loaded: this database already holds areas that are not the demo's ({ $count }: { $codes }). Real data is never mixed with demo data. Run the demo on its own file, e.g.: anninh demo --database-url sqlite+aiosqlite:///./anninh-demo.db

# the demo page's hint (what else to try)
demo-hint-others = 👋 Try another role in the «Bạn đang là» box (the ☰ button on a phone): { $people }.
demo-hint-person = { $name } ({ $role ->
        [resident] resident
        [police] ward police
        [moderator] group moderator
       *[admin] admin
    })
demo-hint-numbers = 🔍 Check a number: /check { $confirmed } (confirmed by the police), /check { $reported } (reported by several), /check { $one } (1 report), /check { $unknown } (nobody reported it).
