# anninh demo
demo-refused = Demo data not loaded: this database already holds areas that are not the demo's ({ $count }: { $codes }). Real data is never mixed with demo data. Run the demo on its own file, e.g.: anninh demo --database-url sqlite+aiosqlite:///./anninh-demo.db
