# anninh demo (bản chạy thử)
demo-refused = Không nạp dữ liệu mẫu: cơ sở dữ liệu này đang có { $count } địa bàn không phải của bản chạy thử ({ $codes }). Dữ liệu thật không được trộn với dữ liệu mẫu. Hãy chạy bản thử với một tệp riêng, ví dụ: anninh demo --database-url sqlite+aiosqlite:///./anninh-demo.db

# the demo page's hint (what else to try)
demo-hint-others = 👋 Thử vai khác ở ô «Bạn đang là» (nút ☰ trên điện thoại): { $people }.
demo-hint-person = { $name } ({ $role ->
        [resident] người dân
        [police] cảnh sát khu vực
        [moderator] kiểm duyệt nhóm
       *[admin] quản trị
    })
demo-hint-numbers = 🔍 Tra số: /kiemtra { $confirmed } (công an đã xác nhận), /kiemtra { $reported } (nhiều người báo), /kiemtra { $one } (1 báo cáo), /kiemtra { $unknown } (chưa ai báo).
