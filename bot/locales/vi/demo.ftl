# anninh demo (bản chạy thử)
demo-refused = Không nạp dữ liệu mẫu: cơ sở dữ liệu này đang có { $count } địa bàn không phải của bản chạy thử ({ $codes }). Dữ liệu thật không được trộn với dữ liệu mẫu. Hãy chạy bản thử với một tệp riêng, ví dụ: anninh demo --database-url sqlite+aiosqlite:///./anninh-demo.db
